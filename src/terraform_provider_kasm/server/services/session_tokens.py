"""Session tokens: Kasm 1.15's public session-token calls (errors are HTTP 400 there)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select

from ..endpoints import EndpointGroup, KasmCall
from ..errors import KasmError
from ..ids import parse_id
from ..models.common import Empty
from ..models.session_tokens import (
    SessionTokenOut,
    SessionTokenResponse,
    SessionTokensResponse,
    TargetSessionTokenRequest,
    TargetUserTokensRequest,
)
from ..permissions import Permission as P
from ..storage.tables import SessionToken, User, utcnow
from .common import MISSING_COLON, kasm_time, target
from .users import SESSION_LIFETIME_SECONDS, find_user, new_session_token

endpoints = EndpointGroup("session_tokens")
AUTH = [P.USERS_AUTH_SESSION]


def token_out(token: SessionToken) -> dict[str, Any]:
    return SessionTokenOut(
        session_token=token.session_token_id,
        session_token_date=kasm_time(token.session_token_date),
        expires_at=kasm_time(token.expires_at),
    ).model_dump()


def _target_user(call: KasmCall) -> User:
    spec = target(call.body, "target_user")
    if spec is None or not spec.get("user_id"):
        raise KasmError(MISSING_COLON, 400)
    user = find_user(call.db, {"user_id": spec["user_id"]})
    if user is None:
        raise KasmError(f"No user found with id: ({spec['user_id']})", 400)
    return user


def _target_token(call: KasmCall) -> SessionToken:
    spec = target(call.body, "target_session_token")
    if spec is None or not spec.get("session_token"):
        raise KasmError(MISSING_COLON, 400)
    value = spec["session_token"]
    token_id = parse_id(value)
    token = call.db.get(SessionToken, token_id) if token_id else None
    if token is None or (token.expires_at is not None and token.expires_at <= utcnow()):
        raise KasmError(f"Session Token ({value}) not found", 400)
    return token


@endpoints.endpoint(
    "create_session_token",
    actions=AUTH,
    read_only=False,
    request=TargetUserTokensRequest,
    response=SessionTokenResponse,
)
def create_session_token(call: KasmCall) -> dict[str, Any]:
    """A new login token for `target_user`."""
    user = _target_user(call)
    return {"session_token": token_out(new_session_token(call.db, user.user_id))}


@endpoints.endpoint(
    "get_session_token",
    actions=AUTH,
    read_only=True,
    request=TargetSessionTokenRequest,
    response=SessionTokenResponse,
)
def get_session_token(call: KasmCall) -> dict[str, Any]:
    """One token (expired ones are not found)."""
    return {"session_token": token_out(_target_token(call))}


@endpoints.endpoint(
    "get_session_tokens",
    actions=AUTH,
    read_only=True,
    request=TargetUserTokensRequest,
    response=SessionTokensResponse,
)
def get_session_tokens(call: KasmCall) -> dict[str, Any]:
    """A user's unexpired tokens, oldest first."""
    user = _target_user(call)
    now = utcnow()
    tokens = call.db.scalars(
        select(SessionToken)
        .where(SessionToken.user_id == user.user_id)
        .order_by(SessionToken.session_token_date, SessionToken.session_token_id)
    )
    live = [t for t in tokens if t.expires_at is None or t.expires_at > now]
    return {"session_tokens": [token_out(t) for t in live]}


@endpoints.endpoint(
    "update_session_token",
    actions=AUTH,
    read_only=False,
    request=TargetSessionTokenRequest,
    response=SessionTokenResponse,
)
def update_session_token(call: KasmCall) -> dict[str, Any]:
    """Refresh the token: a new date, and the lifetime counted from it."""
    token = _target_token(call)
    now = utcnow()
    token.session_token_date = now
    token.expires_at = now + timedelta(seconds=SESSION_LIFETIME_SECONDS)
    return {"session_token": token_out(token)}


@endpoints.endpoint(
    "delete_session_token", actions=AUTH, read_only=False, request=TargetSessionTokenRequest, response=Empty
)
def delete_session_token(call: KasmCall) -> dict[str, Any]:
    """Invalidate one token."""
    call.db.delete(_target_token(call))
    return {}


@endpoints.endpoint(
    "delete_session_tokens", actions=AUTH, read_only=False, request=TargetUserTokensRequest, response=Empty
)
def delete_session_tokens(call: KasmCall) -> dict[str, Any]:
    """Invalidate all of a user's tokens."""
    user = _target_user(call)
    call.db.execute(delete(SessionToken).where(SessionToken.user_id == user.user_id))
    return {}
