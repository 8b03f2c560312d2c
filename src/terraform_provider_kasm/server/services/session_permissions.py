"""Session permissions (sharing ACLs): Kasm 1.15's public calls (errors are HTTP 400 there).

`access` letters: `r` view, `w` control, `o` owner; each viewer also gets KasmVNC credentials.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..endpoints import EndpointGroup, KasmCall
from ..errors import KasmError
from ..ids import parse_id
from ..models.common import Empty
from ..models.session_permissions import (
    SessionPermissionOut,
    SessionPermissionsRequest,
    SessionPermissionsResponse,
)
from ..permissions import Permission as P
from ..storage.tables import Kasm, SessionPermission, User
from .common import MISSING_COLON, find_row, require_row, target
from .session_sharing import add_session_permission

endpoints = EndpointGroup("session_permissions")

ACCESS = ("r", "rw", "rwo")


def _spec(call: KasmCall) -> dict[str, Any]:
    spec = target(call.body, "target_session_permissions")
    if not spec:
        raise KasmError(MISSING_COLON, 400)
    return spec


def _kasm(call: KasmCall) -> Kasm:
    where = "target_session_permissions.kasm_id"
    return require_row(
        call, Kasm, where, MISSING_COLON, "No session found with kasm_id ({value})", status=400
    )


def _access(value: Any) -> str:
    if not isinstance(value, str) or value.lower() not in ACCESS:
        raise KasmError("Error with request", 400)
    return value.lower()


def _of_kasm(call: KasmCall, kasm: Kasm) -> list[SessionPermission]:
    query = select(SessionPermission).where(SessionPermission.kasm_id == kasm.kasm_id)
    return list(call.db.scalars(query.order_by(SessionPermission.session_permission_id)))


@endpoints.read_write([P.SESSIONS_MODIFY], SessionPermissionsRequest, SessionPermissionsResponse)
def set_session_permissions(call: KasmCall) -> dict[str, Any]:
    """Grant users access (`r`, `rw`, `rwo`) to a session; existing grants are updated."""
    spec = _spec(call)
    kasm = _kasm(call)
    entries = spec.get("session_permissions")
    if not isinstance(entries, list) or not entries:
        raise KasmError(MISSING_COLON, 400)
    existing = {p.user_id: p for p in _of_kasm(call, kasm)}
    changed: list[SessionPermission] = []
    for entry in entries:
        if not isinstance(entry, dict) or not entry.get("user_id") or "access" not in entry:
            raise KasmError(MISSING_COLON, 400)
        user = find_row(call.db, User, entry["user_id"])
        if user is None:
            raise KasmError(f"No user found with id: ({entry['user_id']})", 400)
        access = _access(entry["access"])
        permission = existing.get(user.user_id)
        if permission is None:
            permission = add_session_permission(call.db, kasm, user, access)
            existing[user.user_id] = permission
        permission.access = access
        changed.append(permission)
    return {"session_permissions": [SessionPermissionOut.dump(p) for p in changed]}


@endpoints.read_write([P.SESSIONS_MODIFY], SessionPermissionsRequest, SessionPermissionsResponse)
def set_all_session_permissions(call: KasmCall) -> dict[str, Any]:
    """Set `access` on every existing grant of a session."""
    spec = _spec(call)
    kasm = _kasm(call)
    if "access" not in spec:
        raise KasmError(MISSING_COLON, 400)
    access = _access(spec["access"])
    permissions = _of_kasm(call, kasm)
    for permission in permissions:
        permission.access = access
    return {"session_permissions": [SessionPermissionOut.dump(p) for p in permissions]}


@endpoints.read_only([P.SESSIONS_VIEW], SessionPermissionsRequest, SessionPermissionsResponse)
def get_session_permissions(call: KasmCall) -> dict[str, Any]:
    """Grants filtered by `kasm_id`, `user_id` and/or `session_permission_id` (one is required)."""
    spec = _spec(call)
    keys = {"kasm_id": SessionPermission.kasm_id, "user_id": SessionPermission.user_id}
    keys["session_permission_id"] = SessionPermission.session_permission_id
    query = select(SessionPermission)
    given = False
    for key, column in keys.items():
        if spec.get(key):
            given = True
            query = query.where(column == (parse_id(spec[key]) or ""))
    if not given:
        raise KasmError(MISSING_COLON, 400)
    rows = call.db.scalars(query.order_by(SessionPermission.session_permission_id))
    return {"session_permissions": [SessionPermissionOut.dump(p) for p in rows]}


@endpoints.read_write([P.SESSIONS_MODIFY], SessionPermissionsRequest, Empty)
def delete_session_permissions(call: KasmCall) -> dict[str, Any]:
    """Remove the grants of `user_ids` on a session (all or nothing)."""
    spec = _spec(call)
    kasm = _kasm(call)
    user_ids = spec.get("user_ids")
    if not isinstance(user_ids, list) or not user_ids:
        raise KasmError(MISSING_COLON, 400)
    existing = {p.user_id: p for p in _of_kasm(call, kasm)}
    doomed = []
    for value in user_ids:
        permission = existing.get(parse_id(value) or "")
        if permission is None:
            raise KasmError(
                f"No session_permissions found with kasm_id: ({spec['kasm_id']}) and user_id: ({value})", 400
            )
        doomed.append(permission)
    for permission in doomed:
        call.db.delete(permission)
    return {}


@endpoints.read_write([P.SESSIONS_MODIFY], SessionPermissionsRequest, Empty)
def delete_all_session_permissions(call: KasmCall) -> dict[str, Any]:
    """Remove every grant of a session."""
    kasm = _kasm(call)
    for permission in _of_kasm(call, kasm):
        call.db.delete(permission)
    return {}
