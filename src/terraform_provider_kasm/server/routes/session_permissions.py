"""Session permissions (documented; Sessions Modify, get: Sessions View; errors are HTTP 400)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..endpoints import EndpointGroup, KasmCall
from ..models.common import Empty
from ..models.session_permissions import SessionPermissionsRequest, SessionPermissionsResponse
from ..permissions import Permission as P
from ..services import session_permissions

endpoints = EndpointGroup("session_permissions")


@endpoints.endpoint(
    "set_session_permissions",
    actions=[P.SESSIONS_MODIFY],
    read_only=False,
    request=SessionPermissionsRequest,
    response=SessionPermissionsResponse,
)
def set_session_permissions(call: KasmCall) -> Mapping[str, Any]:
    """Grant users access (`r`, `rw`, `rwo`) to a session; existing grants are updated."""
    return session_permissions.set_session_permissions(call)


@endpoints.endpoint(
    "set_all_session_permissions",
    actions=[P.SESSIONS_MODIFY],
    read_only=False,
    request=SessionPermissionsRequest,
    response=SessionPermissionsResponse,
)
def set_all_session_permissions(call: KasmCall) -> Mapping[str, Any]:
    """Set `access` on every existing grant of a session."""
    return session_permissions.set_all_session_permissions(call)


@endpoints.endpoint(
    "get_session_permissions",
    actions=[P.SESSIONS_VIEW],
    read_only=True,
    request=SessionPermissionsRequest,
    response=SessionPermissionsResponse,
)
def get_session_permissions(call: KasmCall) -> Mapping[str, Any]:
    """Grants filtered by `kasm_id`, `user_id` and/or `session_permission_id` (one is required)."""
    return session_permissions.get_session_permissions(call)


@endpoints.endpoint(
    "delete_session_permissions",
    actions=[P.SESSIONS_MODIFY],
    read_only=False,
    request=SessionPermissionsRequest,
    response=Empty,
)
def delete_session_permissions(call: KasmCall) -> Mapping[str, Any]:
    """Remove the grants of `user_ids` on a session (all or nothing)."""
    return session_permissions.delete_session_permissions(call)


@endpoints.endpoint(
    "delete_all_session_permissions",
    actions=[P.SESSIONS_MODIFY],
    read_only=False,
    request=SessionPermissionsRequest,
    response=Empty,
)
def delete_all_session_permissions(call: KasmCall) -> Mapping[str, Any]:
    """Remove every grant of a session."""
    return session_permissions.delete_all_session_permissions(call)
