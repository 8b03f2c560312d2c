"""Session tokens (login tokens for users): ``client.session_tokens`` (reference §2.5).

Every call needs the *Users Auth Session* permission. Token values are secrets: they never
appear in reprs, logs or exception text.
"""

from __future__ import annotations

import builtins

from . import convert
from ._area import Area, ignore_missing, member, members
from .models import SessionToken


class SessionTokens(Area):
    def create(self, user_id: str) -> SessionToken:
        """A new token for the user (``create_session_token``). Never retried after an ambiguous
        failure: tokens have no natural key to look up, and an unused one simply expires."""
        body = {"target_user": {"user_id": convert.require_id(user_id, "user_id")}}
        data = self._call("create_session_token", body, idempotent=False)
        return SessionToken.from_json(member("create_session_token", data, "session_token"))

    def get(self, session_token: str) -> SessionToken:
        """The token's dates; NotFound once it is gone (``get_session_token``)."""
        body = {"target_session_token": {"session_token": session_token}}
        data = self._call("get_session_token", body, idempotent=True)
        return SessionToken.from_json(member("get_session_token", data, "session_token"))

    def list(self, user_id: str) -> builtins.list[SessionToken]:
        """The user's tokens (``get_session_tokens``)."""
        body = {"target_user": {"user_id": convert.require_id(user_id, "user_id")}}
        data = self._call("get_session_tokens", body, idempotent=True)
        return [SessionToken.from_json(t) for t in members("get_session_tokens", data, "session_tokens")]

    def update(self, session_token: str) -> SessionToken:
        """Refresh the token's date, extending its life (``update_session_token``)."""
        body = {"target_session_token": {"session_token": session_token}}
        data = self._call("update_session_token", body, idempotent=True)
        return SessionToken.from_json(member("update_session_token", data, "session_token"))

    def delete(self, session_token: str, *, missing_ok: bool = False) -> None:
        """Revoke one token (``delete_session_token``)."""
        body = {"target_session_token": {"session_token": session_token}}
        ignore_missing(lambda: self._call("delete_session_token", body, idempotent=True), missing_ok)

    def delete_all(self, user_id: str) -> None:
        """Revoke all of the user's tokens (``delete_session_tokens``)."""
        body = {"target_user": {"user_id": convert.require_id(user_id, "user_id")}}
        self._call("delete_session_tokens", body, idempotent=True)
