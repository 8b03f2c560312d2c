"""Session tokens (documented; *Users Auth Session*; errors are HTTP 400)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..endpoints import EndpointGroup, KasmCall
from ..models.common import Empty
from ..models.session_tokens import (
    SessionTokenResponse,
    SessionTokensResponse,
    TargetSessionTokenRequest,
    TargetUserTokensRequest,
)
from ..permissions import Permission as P
from ..services import session_tokens

endpoints = EndpointGroup("session_tokens")
AUTH = [P.USERS_AUTH_SESSION]


@endpoints.endpoint(
    "create_session_token",
    actions=AUTH,
    read_only=False,
    request=TargetUserTokensRequest,
    response=SessionTokenResponse,
)
def create_session_token(call: KasmCall) -> Mapping[str, Any]:
    """A new login token for `target_user`."""
    return session_tokens.create_session_token(call)


@endpoints.endpoint(
    "get_session_token",
    actions=AUTH,
    read_only=True,
    request=TargetSessionTokenRequest,
    response=SessionTokenResponse,
)
def get_session_token(call: KasmCall) -> Mapping[str, Any]:
    """One token (expired ones are not found)."""
    return session_tokens.get_session_token(call)


@endpoints.endpoint(
    "get_session_tokens",
    actions=AUTH,
    read_only=True,
    request=TargetUserTokensRequest,
    response=SessionTokensResponse,
)
def get_session_tokens(call: KasmCall) -> Mapping[str, Any]:
    """A user's unexpired tokens, oldest first."""
    return session_tokens.get_session_tokens(call)


@endpoints.endpoint(
    "update_session_token",
    actions=AUTH,
    read_only=False,
    request=TargetSessionTokenRequest,
    response=SessionTokenResponse,
)
def update_session_token(call: KasmCall) -> Mapping[str, Any]:
    """Refresh a token (its lifetime starts again)."""
    return session_tokens.update_session_token(call)


@endpoints.endpoint(
    "delete_session_token", actions=AUTH, read_only=False, request=TargetSessionTokenRequest, response=Empty
)
def delete_session_token(call: KasmCall) -> Mapping[str, Any]:
    """Invalidate one token."""
    return session_tokens.delete_session_token(call)


@endpoints.endpoint(
    "delete_session_tokens", actions=AUTH, read_only=False, request=TargetUserTokensRequest, response=Empty
)
def delete_session_tokens(call: KasmCall) -> Mapping[str, Any]:
    """Invalidate all of a user's tokens."""
    return session_tokens.delete_session_tokens(call)
