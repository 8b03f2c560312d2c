from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class KasmRequest(BaseModel):
    """Every call carries the API key and secret in the body (or the `api-key`/`api-key-secret` headers)."""

    model_config = ConfigDict(extra="allow")

    api_key: str | None = None
    api_key_secret: str | None = None


class ErrorMessage(BaseModel):
    error_message: str


class Empty(BaseModel):
    """`{}`: a success with nothing to return."""

    model_config = ConfigDict(extra="forbid")


class TargetUserRef(BaseModel):
    model_config = ConfigDict(extra="allow")

    user_id: str | None = None
    username: str | None = None


class TargetGroupRef(BaseModel):
    model_config = ConfigDict(extra="allow")

    group_id: str | None = None


class TargetImageRef(BaseModel):
    model_config = ConfigDict(extra="allow")

    image_id: str | None = None
