"""Session tokens (login tokens of users, made on their behalf by an API key)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from .common import KasmRequest, KasmTime, OpenModel, RowOut, TargetUserRef


class TargetSessionTokenRef(OpenModel):
    session_token: str | None = None


class TargetUserTokensRequest(KasmRequest):
    target_user: TargetUserRef | None = None


class TargetSessionTokenRequest(KasmRequest):
    target_session_token: TargetSessionTokenRef | None = None


class SessionTokenOut(RowOut):
    session_token: str = Field(validation_alias="session_token_id")
    session_token_date: KasmTime
    expires_at: KasmTime


class SessionTokenResponse(BaseModel):
    session_token: SessionTokenOut


class SessionTokensResponse(BaseModel):
    session_tokens: list[SessionTokenOut]
