"""`request_kasm`: Kasm 1.15's checks in its order, then a session on the simulated agent."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..constants import LOCAL_AGENT_ID, LOCAL_AGENT_IP
from ..endpoints import EndpointGroup, KasmCall
from ..errors import KasmError
from ..ids import dashed, parse_id
from ..models.sessions import RequestKasmRequest, RequestKasmResponse
from ..permissions import Permission as P
from ..storage.tables import Image, Kasm, User, UserAttributes, Zone, utcnow
from .common import find_row
from .group_settings import setting_bool, setting_int, setting_str
from .licenses import PER_NAMED_USER, effective_license
from .session_sharing import new_share_id, sharing_allowed
from .session_state import (
    anonymous_user,
    begin,
    concurrent_sessions,
    connect_url,
    expiration,
    user_may_launch,
)
from .users import new_session_token

endpoints = EndpointGroup("session_requests")

DOCKER_NETWORK = "kasm_default_network"
DEFAULT_MAX_KASMS_PER_USER = 2


@endpoints.read_write([P.USER], RequestKasmRequest, RequestKasmResponse)
def request_kasm(call: KasmCall) -> dict[str, Any]:
    """Start a session of `image_id` for `user_id` (an anonymous user when omitted); answers "starting"."""
    db, body, now = call.db, call.body, utcnow()
    user = call.user if call.user is not None else anonymous_user(db)
    image_value = body.get("image_id")
    if not image_value:
        image_value = _default_image_id(db, user)
        if not image_value:
            raise KasmError("No Default Image Found")
    # Kasm's order: per-user limit, usage limit, named-user seats, concurrent seats, zone, image.
    max_kasms = setting_int(db, user.user_id, "max_kasms_per_user", DEFAULT_MAX_KASMS_PER_USER)
    owned = db.scalar(select(func.count()).select_from(Kasm).where(Kasm.user_id == user.user_id)) or 0
    if owned >= max_kasms:
        raise KasmError(f"Kasm limit exceeded for user: ({user.username})")
    current = effective_license(db, now)
    if current.license_type == PER_NAMED_USER:
        named = db.scalar(select(func.count(func.distinct(Kasm.user_id)))) or 0
        has_session = owned > 0
        if not has_session and named >= current.limit:
            raise KasmError("Per named user license limit exceeded. Unable to create Kasm")
    elif concurrent_sessions(db) >= current.limit:
        raise KasmError("Per concurrent session license limit exceeded. Unable to create session")
    zone: Zone | None = None
    if body.get("zone_id") and setting_bool(db, user.user_id, "allow_zone_selection"):
        zone = find_row(db, Zone, body["zone_id"])
        if zone is None:
            raise KasmError(f"Invalid zone_id ({body['zone_id']})")
    image = find_row(db, Image, image_value)
    if image is None:
        raise KasmError("Invalid Request")
    if not user_may_launch(db, user.user_id, image):
        raise KasmError("Image Not Authorized")
    _check_launch_selections(image, body.get("launch_selections"))
    if image.image_type != "Container":
        # This server has no RDP/VNC/SSH servers or pools for such images to point at.
        raise KasmError("The server this Workspaces is associated with no longer exists.")
    if zone is None:
        zone = image.zone if image.restrict_to_zone and image.zone is not None else _default_zone(db)
    kasm = _new_kasm(call, user, image, zone, now)
    response: dict[str, Any] = {
        "kasm_id": dashed(kasm.kasm_id),
        "status": "starting",
        "user_id": user.user_id,
        "username": user.username,
    }
    if body.get("enable_sharing"):
        if sharing_allowed(db, user.user_id):
            kasm.share_id = new_share_id(db)
        else:
            response["error_message"] = "Failed to create Share ID"
    token = new_session_token(db, user.user_id)
    user.last_session = now
    db.flush()
    response["session_token"] = dashed(token.session_token_id)
    response["kasm_url"] = connect_url(kasm, user, token.session_token_id, user_id_dashed=False)
    if kasm.share_id:
        response["share_id"] = kasm.share_id
    return response


def _default_image_id(db: Session, user: User) -> str | None:
    attributes = db.scalar(select(UserAttributes).where(UserAttributes.user_id == user.user_id))
    if attributes is not None and attributes.default_image:
        return attributes.default_image
    value = setting_str(db, user.user_id, "default_image", "")
    return parse_id(value) if value else None


def _default_zone(db: Session) -> Zone | None:
    # The zone of the (simulated) manager, as Kasm's API server uses its own zone.
    zone = db.scalar(select(Zone).where(Zone.local_manager.is_(True)))
    return zone if zone is not None else db.scalars(select(Zone).order_by(Zone.zone_name)).first()


def _check_launch_selections(image: Image, selections: Any) -> None:
    if not selections:
        return
    form = (image.launch_config or {}).get("launch_form", [])
    known = {item.get("key") for item in form if isinstance(item, dict)}
    if not isinstance(selections, dict):
        raise KasmError(f"User-specified launch_selections are invalid: {[str(selections)]}")
    invalid = sorted(str(key) for key in selections if key not in known)
    if invalid:
        raise KasmError(f"User-specified launch_selections are invalid: {invalid}")


def _new_kasm(call: KasmCall, user: User, image: Image, zone: Zone | None, now: datetime) -> Kasm:
    body = call.body
    environment: dict[str, Any] = dict((image.run_config or {}).get("environment") or {})
    if isinstance(body.get("environment"), dict):
        environment.update({str(k): str(v) for k, v in body["environment"].items()})
    if body.get("kasm_url"):
        environment["KASM_URL"] = str(body["kasm_url"])
    for key, name in (("client_language", "LANG"), ("client_timezone", "TZ")):
        if body.get(key):
            environment[name] = str(body[key])
    kasm = Kasm(
        kasm_id=uuid.uuid4().hex,
        user_id=user.user_id,
        image_id=image.image_id,
        zone_id=zone.zone_id if zone is not None else None,
        server_id=LOCAL_AGENT_ID,
        container_id=secrets.token_hex(32),
        container_ip=f"172.18.{secrets.randbelow(254) + 1}.{secrets.randbelow(254) + 1}",
        docker_network=DOCKER_NETWORK,
        cores=image.cores,
        memory=image.memory,
        gpus=image.gpu_count if image.require_gpu else 0,
        hostname=None,
        host=LOCAL_AGENT_IP,
        port=zone.proxy_port if zone is not None else 443,
        start_date=now,
        created_date=now,
        keepalive_date=now,
        is_persistent_profile=bool(image.persistent_profile_path),
        persistent_profile_mode=body.get("persistent_profile_mode")
        if image.persistent_profile_path
        else None,
        is_standby=False,
        connection_info=body.get("connection_info")
        if isinstance(body.get("connection_info"), dict)
        else None,
        queued_tasks=[],
        environment=environment,
    )
    kasm.image = image
    kasm.user = user
    # The image may still be "pulling" on the simulated agent: the session starts once it is there.
    seconds = call.settings.session_start_seconds
    if image.available_at is not None and image.available_at > now:
        seconds = max(seconds, (image.available_at - now).total_seconds())
    begin(kasm, "starting", "running", now, seconds, "Starting the session")
    kasm.expiration_date = expiration(call.db, kasm, now)
    call.db.add(kasm)
    call.db.flush()
    return kasm
