"""Session tokens (login tokens of users, made on their behalf by an API key)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from .common import KasmRequest, TargetUserRef


class TargetSessionTokenRef(BaseModel):
    model_config = ConfigDict(extra="allow")

    session_token: str | None = None


class TargetUserTokensRequest(KasmRequest):
    target_user: TargetUserRef | None = None


class TargetSessionTokenRequest(KasmRequest):
    target_session_token: TargetSessionTokenRef | None = None


class SessionTokenOut(BaseModel):
    session_token: str
    session_token_date: str | None
    expires_at: str | None


class SessionTokenResponse(BaseModel):
    session_token: SessionTokenOut


class SessionTokensResponse(BaseModel):
    session_tokens: list[SessionTokenOut]
