"""Session tokens: Kasm 1.15's public session-token calls (errors are HTTP 400 there)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select

from ..endpoints import EndpointGroup, KasmCall
from ..errors import KasmError
from ..models.common import Empty
from ..models.session_tokens import (
    SessionTokenOut,
    SessionTokenResponse,
    SessionTokensResponse,
    TargetSessionTokenRequest,
    TargetUserTokensRequest,
)
from ..permissions import Permission as P
from ..storage.tables import SessionToken, utcnow
from .common import MISSING_COLON, find_row, target
from .users import SESSION_LIFETIME_SECONDS, new_session_token, required_user

endpoints = EndpointGroup("session_tokens")
AUTH = [P.USERS_AUTH_SESSION]


def token_out(token: SessionToken) -> dict[str, Any]:
    return SessionTokenOut.dump(token)


def _target_token(call: KasmCall) -> SessionToken:
    spec = target(call.body, "target_session_token")
    if not spec.get("session_token"):
        raise KasmError(MISSING_COLON, 400)
    token = find_row(call.db, SessionToken, spec["session_token"])
    if token is None or (token.expires_at is not None and token.expires_at <= utcnow()):
        raise KasmError(f"Session Token ({spec['session_token']}) not found", 400)
    return token


@endpoints.read_write(AUTH, TargetUserTokensRequest, SessionTokenResponse)
def create_session_token(call: KasmCall) -> dict[str, Any]:
    """A new login token for `target_user`."""
    user = required_user(call)
    return {"session_token": token_out(new_session_token(call.db, user.user_id))}


@endpoints.read_only(AUTH, TargetSessionTokenRequest, SessionTokenResponse)
def get_session_token(call: KasmCall) -> dict[str, Any]:
    """One token (expired ones are not found)."""
    return {"session_token": token_out(_target_token(call))}


@endpoints.read_only(AUTH, TargetUserTokensRequest, SessionTokensResponse)
def get_session_tokens(call: KasmCall) -> dict[str, Any]:
    """A user's unexpired tokens, oldest first."""
    user = required_user(call)
    now = utcnow()
    tokens = call.db.scalars(
        select(SessionToken)
        .where(SessionToken.user_id == user.user_id)
        .order_by(SessionToken.session_token_date, SessionToken.session_token_id)
    )
    live = [t for t in tokens if t.expires_at is None or t.expires_at > now]
    return {"session_tokens": [token_out(t) for t in live]}


@endpoints.read_write(AUTH, TargetSessionTokenRequest, SessionTokenResponse)
def update_session_token(call: KasmCall) -> dict[str, Any]:
    """Refresh the token: a new date, and the lifetime counted from it."""
    token = _target_token(call)
    now = utcnow()
    token.session_token_date = now
    token.expires_at = now + timedelta(seconds=SESSION_LIFETIME_SECONDS)
    return {"session_token": token_out(token)}


@endpoints.read_write(AUTH, TargetSessionTokenRequest, Empty)
def delete_session_token(call: KasmCall) -> dict[str, Any]:
    """Invalidate one token."""
    call.db.delete(_target_token(call))
    return {}


@endpoints.read_write(AUTH, TargetUserTokensRequest, Empty)
def delete_session_tokens(call: KasmCall) -> dict[str, Any]:
    """Invalidate all of a user's tokens."""
    user = required_user(call)
    call.db.execute(delete(SessionToken).where(SessionToken.user_id == user.user_id))
    return {}
