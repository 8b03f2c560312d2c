"""Session sharing: share ids and joining a shared session (Kasm 1.15's rules and messages)."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..endpoints import EndpointGroup, KasmCall
from ..errors import KasmError
from ..ids import dashed
from ..models.common import Empty
from ..models.sessions import JoinedKasmOut, JoinKasmRequest, JoinKasmResponse, KasmIdRequest, ShareIdResponse
from ..permissions import Permission as P
from ..storage.tables import Kasm, SessionPermission, User, utcnow
from .common import kasm_time
from .group_settings import setting_bool
from .licenses import effective_license
from .session_state import (
    DELETE_STATES,
    STARTING_STATES,
    anonymous_user,
    client_settings,
    hostname_for,
    port_map,
    session_image,
    settle,
    target_session,
)
from .users import new_session_token

endpoints = EndpointGroup("session_sharing")

JOIN_PORT_MAP_SERVICES = ("vnc", "audio", "gamepad")
JOIN_IMAGE_KEYS = {"image_id", "name", "friendly_name", "image_src", "session_time_limit"}


def new_share_id(db: Session) -> str:
    while True:
        share_id = secrets.token_hex(4)
        if db.scalar(select(Kasm.kasm_id).where(Kasm.share_id == share_id)) is None:
            return share_id


def sharing_allowed(db: Session, user_id: str) -> bool:
    return setting_bool(db, user_id, "allow_kasm_sharing") and "allow_kasm_sharing" in (
        effective_license(db).features
    )


def _shared(call: KasmCall) -> Kasm:
    return target_session(call, "Unauthorized", P.SESSIONS_MODIFY)[0]


@endpoints.read_write([P.USER], KasmIdRequest, ShareIdResponse)
def create_kasm_share_id(call: KasmCall) -> dict[str, Any]:
    """Enable sharing: a new 8-hex-character share id (group setting `allow_kasm_sharing`)."""
    kasm = _shared(call)
    if not sharing_allowed(call.db, kasm.user_id):
        raise KasmError(f"Sharing is not allowed for this ({kasm.user.username})")
    if kasm.share_id:
        raise KasmError(f"A share_id already exists for Kasm ({kasm.share_id})")
    kasm.share_id = new_share_id(call.db)
    return {"share_id": kasm.share_id}


@endpoints.read_only([P.USER], KasmIdRequest, ShareIdResponse)
def get_kasm_share_id(call: KasmCall) -> dict[str, Any]:
    """The session's share id (null when sharing is off)."""
    return {"share_id": _shared(call).share_id}


@endpoints.read_write([P.USER], KasmIdRequest, Empty)
def delete_kasm_share_id(call: KasmCall) -> dict[str, Any]:
    """Disable sharing; viewers lose their session permissions."""
    kasm = _shared(call)
    kasm.share_id = None
    # Viewers lose their access with the link.
    for permission in call.db.scalars(
        select(SessionPermission).where(SessionPermission.kasm_id == kasm.kasm_id)
    ):
        call.db.delete(permission)
    return {}


@endpoints.read_only([P.USER], JoinKasmRequest, JoinKasmResponse, writes=True)
def join_kasm(call: KasmCall) -> dict[str, Any]:
    """Join a shared session by `share_id` as `user_id` (an anonymous viewer when omitted)."""
    db, now = call.db, utcnow()
    share_id = call.body.get("share_id")
    if not share_id:
        raise KasmError("Missing Parameters: share_id is missing")
    kasm = db.scalar(select(Kasm).where(Kasm.share_id == str(share_id)))
    if kasm is None:
        raise KasmError(f"No Kasm found with share_id ({share_id})")
    if "allow_kasm_sharing" not in effective_license(db, now).features:
        raise KasmError("Access Denied. This feature is not licensed")
    status = settle(kasm, now).status
    if status in STARTING_STATES:
        raise KasmError(f"This session is currently {status}.")
    if status in DELETE_STATES:
        raise KasmError(
            "Kasm session is currently scheduled to be deleted or in the process of being deleted."
        )
    if status != "running":
        raise KasmError(f"Kasm ({kasm.kasm_id}) is not running")
    viewer = call.user if call.user is not None else anonymous_user(db)
    if viewer.user_id != kasm.user_id:
        existing = db.scalar(
            select(SessionPermission).where(
                SessionPermission.kasm_id == kasm.kasm_id, SessionPermission.user_id == viewer.user_id
            )
        )
        if existing is None:
            full = setting_bool(db, kasm.user_id, "shared_session_full_control")
            add_session_permission(db, kasm, viewer, "rw" if full else "r")
    token = dashed(new_session_token(db, viewer.user_id).session_token_id)
    joined = JoinedKasmOut.dump(
        kasm,
        port_map=port_map(kasm, JOIN_PORT_MAP_SERVICES),
        image=session_image(kasm.image).model_dump(include=JOIN_IMAGE_KEYS),
        client_settings=client_settings(db, kasm.user_id),
        hostname=hostname_for(kasm.zone, call.host),
    )
    return {
        "kasm": joined,
        "current_time": kasm_time(now),
        "user_id": viewer.user_id,
        "username": viewer.username,
        "session_token": token,
        "kasm_url": f"/#/connect/join/{kasm.share_id}/{viewer.user_id}/{token}",
    }


def add_session_permission(db: Session, kasm: Kasm, user: User, access: str) -> SessionPermission:
    """A viewer's grant, with its own KasmVNC credentials (join_kasm, set_session_permissions)."""
    permission = SessionPermission(
        kasm_id=kasm.kasm_id,
        user_id=user.user_id,
        access=access,
        vnc_username=secrets.token_hex(8),
        vnc_password=secrets.token_hex(16),
    )
    permission.user = user
    db.add(permission)
    db.flush()
    return permission
