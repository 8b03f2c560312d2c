"""Who may view or control a shared session: ``client.session_permissions`` (reference §2.4.13).

``access`` is ``"r"`` (view), ``"rw"`` (control) or ``"rwo"`` (owner).
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping
from typing import Any

from . import convert
from ._area import Area, ignore_missing, members
from .models import SessionPermission

ACCESS_VALUES = frozenset({"r", "rw", "rwo"})


def _check_access(access: str) -> str:
    if access not in ACCESS_VALUES:
        raise ValueError(f"access must be one of r, rw, rwo (got {access!r})")
    return access


class SessionPermissions(Area):
    def set(self, kasm_id: str, permissions: Mapping[str, str]) -> builtins.list[SessionPermission]:
        """Grant each user (id → access) access to the session (``set_session_permissions``;
        *Sessions Modify*). Setting the same grants again changes nothing, so it is retried."""
        target = {
            "kasm_id": convert.require_id(kasm_id, "kasm_id"),
            "session_permissions": [
                {"user_id": convert.require_id(uid, "user_id"), "access": _check_access(access)}
                for uid, access in permissions.items()
            ],
        }
        data = self._call("set_session_permissions", {"target_session_permissions": target}, idempotent=True)
        return [
            SessionPermission.from_json(p)
            for p in members("set_session_permissions", data, "session_permissions")
        ]

    def set_all(self, kasm_id: str, access: str) -> None:
        """Give every existing grant of the session this access (``set_all_session_permissions``)."""
        target = {"kasm_id": convert.require_id(kasm_id, "kasm_id"), "access": _check_access(access)}
        self._call("set_all_session_permissions", {"target_session_permissions": target}, idempotent=True)

    def list(
        self,
        *,
        kasm_id: str | None = None,
        user_id: str | None = None,
        session_permission_id: str | None = None,
    ) -> builtins.list[SessionPermission]:
        """Grants filtered by session, user or id (at least one; ``get_session_permissions``;
        *Sessions View*)."""
        target: dict[str, Any] = {}
        if kasm_id is not None:
            target["kasm_id"] = convert.require_id(kasm_id, "kasm_id")
        if user_id is not None:
            target["user_id"] = convert.require_id(user_id, "user_id")
        if session_permission_id is not None:
            target["session_permission_id"] = convert.require_id(
                session_permission_id, "session_permission_id"
            )
        if not target:
            raise ValueError("give kasm_id, user_id or session_permission_id")
        data = self._call("get_session_permissions", {"target_session_permissions": target}, idempotent=True)
        return [
            SessionPermission.from_json(p)
            for p in members("get_session_permissions", data, "session_permissions")
        ]

    def delete(self, kasm_id: str, user_ids: Iterable[str], *, missing_ok: bool = False) -> None:
        """Withdraw the users' grants on the session (``delete_session_permissions``; *Sessions Modify*)."""
        target = {
            "kasm_id": convert.require_id(kasm_id, "kasm_id"),
            "user_ids": [convert.require_id(u, "user_id") for u in user_ids],
        }
        ignore_missing(
            lambda: self._call(
                "delete_session_permissions", {"target_session_permissions": target}, idempotent=True
            ),
            missing_ok,
        )

    def delete_all(self, kasm_id: str) -> None:
        """Withdraw every grant on the session (``delete_all_session_permissions``; *Sessions Modify*)."""
        target = {"kasm_id": convert.require_id(kasm_id, "kasm_id")}
        self._call("delete_all_session_permissions", {"target_session_permissions": target}, idempotent=True)
