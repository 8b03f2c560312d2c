"""Sessions ("kasms"): Kasm 1.15's request/status/destroy rules over a simulated agent.

Lifecycle: a session row carries its current `operational_status` and, while a transition runs, the
target state and when it completes (`phase_target`, `phase_ends_at`). Nothing runs in the background:
`view()` works out the state at a given time (read-only calls), `settle()` also stores it (calls that
write). `request_kasm` gives `starting` (shown as `provisioning` for the first half of the start time),
then `running` after `settings.session_start_seconds` (or once the image's simulated pull is done);
stop/pause/resume go through `stopping`/`pausing`/`starting` the same way. `destroy_kasm` removes the
session at once (Kasm may list it as `delete_pending` for a while; the row is simply gone here).
Sessions do not expire on their own here (no manager reaps them after `expiration_date`).
"""

from __future__ import annotations

import io
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from PIL import Image as PILImage
from PIL import ImageDraw
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.responses import Response

from ..constants import LOCAL_AGENT_HOSTNAME, LOCAL_AGENT_ID, LOCAL_AGENT_IP
from ..endpoints import EndpointGroup, KasmCall
from ..errors import KasmError
from ..ids import dashed, parse_id
from ..models.common import Empty
from ..models.sessions import (
    ExecCommandRequest,
    FrameStatsRequest,
    FrameStatsResponse,
    GetKasmRequest,
    GetKasmResponse,
    GetKasmsRequest,
    GetKasmsResponse,
    JoinKasmRequest,
    JoinKasmResponse,
    KasmIdRequest,
    KasmResponse,
    KasmStatusRequest,
    KasmStatusResponse,
    KeepaliveRequest,
    KeepaliveResponse,
    ListedSessionOut,
    RdpConnectionInfoRequest,
    RdpConnectionInfoResponse,
    RequestKasmRequest,
    RequestKasmResponse,
    ScreenshotRequest,
    SessionImageOut,
    SessionOut,
    SessionRecordingsRequest,
    SessionRecordingsResponse,
    SessionServerOut,
    SessionsRecordingsRequest,
    SessionsRecordingsResponse,
    SessionUserOut,
    ShareIdResponse,
    UserKasmsRequest,
    UserKasmsResponse,
)
from ..permissions import Permission
from ..permissions import Permission as P
from ..storage.tables import (
    GroupImage,
    Image,
    Kasm,
    SessionPermission,
    User,
    UserAttributes,
    UserGroup,
    Zone,
    utcnow,
)
from .common import kasm_time
from .group_settings import setting_bool, setting_int, setting_str
from .licenses import PER_NAMED_USER, effective_license
from .users import create_user_record, new_session_token

endpoints = EndpointGroup("sessions")

DOCKER_NETWORK = "kasm_default_network"
DEFAULT_MAX_KASMS_PER_USER = 2
DEFAULT_KEEPALIVE_EXPIRATION = 3600

STARTING_STATES = ("requested", "provisioning", "assigned", "starting")
DELETE_STATES = ("delete_pending", "user_delete_pending", "admin_delete_pending", "destroying", "deleting")
DELETABLE_STATES = (
    "running",
    "stopped",
    "paused",
    "saving",
    "starting",
    "provisioning",
    "assigned",
    "requested",
    "deleting",
)
# Sessions that do not hold a concurrent-session license seat.
IDLE_STATES = ("stopped", "paused")
# Container ports inside the session (Kasm's default image port map), keyed by service.
PORT_MAP_SERVICES = ("vnc", "audio", "uploads", "audio_input", "gamepad", "webcam")
JOIN_PORT_MAP_SERVICES = ("vnc", "audio", "gamepad")
CLIENT_SETTINGS_BOOL = (
    "allow_kasm_audio",
    "allow_kasm_uploads",
    "allow_kasm_downloads",
    "allow_kasm_clipboard_down",
    "allow_kasm_clipboard_up",
    "allow_kasm_clipboard_seamless",
    "allow_kasm_microphone",
    "allow_kasm_gamepad",
    "allow_kasm_webcam",
    "allow_kasm_printing",
    "allow_kasm_sharing",
    "allow_persistent_profile",
    "allow_point_of_presence",
    "kasm_audio_default_on",
    "kasm_ime_mode_default_on",
    "lock_sharing_video_mode",
    "enable_webp",
)


# --- lifecycle --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class State:
    status: str
    progress: int
    message: str | None


def view(kasm: Kasm, now: datetime) -> State:
    """The session's state at `now`, applying a finished transition without storing it."""
    if kasm.phase_target is None or kasm.phase_ends_at is None:
        return State(kasm.operational_status, kasm.operational_progress, kasm.operational_message)
    if now >= kasm.phase_ends_at:
        return State(kasm.phase_target, 100, None)
    started = kasm.phase_started_at or now
    total = (kasm.phase_ends_at - started).total_seconds()
    fraction = (now - started).total_seconds() / total if total > 0 else 1.0
    progress = max(0, min(99, int(fraction * 100)))
    status = kasm.operational_status
    if status == "starting" and kasm.phase_target == "running" and fraction < 0.5:
        return State("provisioning", progress, "Provisioning the session on an agent")
    return State(status, progress, kasm.operational_message)


def settle(kasm: Kasm, now: datetime) -> State:
    """`view`, stored on the row (for calls that write anyway)."""
    state = view(kasm, now)
    if kasm.phase_target is not None and kasm.phase_ends_at is not None and now >= kasm.phase_ends_at:
        kasm.operational_status = kasm.phase_target
        kasm.operational_progress = 100
        kasm.operational_message = None
        kasm.phase_target = kasm.phase_started_at = kasm.phase_ends_at = None
    return state


def begin(kasm: Kasm, status: str, target: str, now: datetime, seconds: float, message: str) -> None:
    kasm.operational_status = status
    kasm.operational_progress = 0
    kasm.operational_message = message
    kasm.phase_target = target
    kasm.phase_started_at = now
    kasm.phase_ends_at = now + timedelta(seconds=max(0.0, seconds))


# --- output -----------------------------------------------------------------------------------------


def _zone(db: Session, kasm: Kasm) -> Zone | None:
    return db.get(Zone, kasm.zone_id) if kasm.zone_id else None


def hostname_for(zone: Zone | None, request_host: str) -> str:
    """The proxy host clients connect to: the request's Host when the zone says `$request_host$`."""
    if zone is None or not zone.proxy_hostname or zone.proxy_hostname == "$request_host$":
        return request_host.split(":")[0] if request_host.count(":") == 1 else request_host
    return zone.proxy_hostname


def port_map(kasm: Kasm, zone: Zone | None, services: tuple[str, ...] = PORT_MAP_SERVICES) -> dict[str, Any]:
    path = (zone.proxy_path if zone is not None and zone.proxy_path else "desktop").strip("/")
    port = zone.proxy_port if zone is not None else 443
    kasm_dashed = dashed(kasm.kasm_id)
    return {name: {"path": f"{path}/{kasm_dashed}/{name}", "port": port} for name in services}


def client_settings(db: Session, user_id: str) -> dict[str, Any]:
    settings: dict[str, Any] = {name: setting_bool(db, user_id, name) for name in CLIENT_SETTINGS_BOOL}
    idle = setting_str(db, user_id, "idle_disconnect", "20")
    try:
        settings["idle_disconnect"] = float(idle)
    except ValueError:
        settings["idle_disconnect"] = 20.0
    return dict(sorted(settings.items()))


def _image_out(image: Image) -> SessionImageOut:
    categories = list(image.categories or [])
    return SessionImageOut(
        image_id=image.image_id,
        name=image.name,
        friendly_name=image.friendly_name,
        image_src=image.image_src,
        session_time_limit=image.session_time_limit,
        categories=categories,
        default_category=categories[0] if categories else "",
        image_type=image.image_type,
    )


def _session_fields(db: Session, kasm: Kasm, request_host: str, now: datetime) -> dict[str, Any]:
    state = view(kasm, now)
    zone = _zone(db, kasm)
    starting = state.status in STARTING_STATES
    return {
        "kasm_id": kasm.kasm_id,
        "user_id": kasm.user_id,
        "image_id": kasm.image_id,
        "zone_id": kasm.zone_id,
        "server_id": kasm.server_id,
        "container_id": kasm.container_id,
        "container_ip": kasm.container_ip,
        "docker_network": kasm.docker_network,
        "cores": kasm.cores,
        "memory": kasm.memory,
        "gpus": kasm.gpus,
        "hostname": hostname_for(zone, request_host),
        "host": kasm.host,
        "port": kasm.port,
        "port_map": port_map(kasm, zone),
        "token": "",
        "view_only_token": "",
        "share_id": kasm.share_id,
        "operational_status": state.status,
        "operational_message": state.message,
        "operational_progress": state.progress,
        "start_date": kasm_time(kasm.start_date),
        "created_date": kasm_time(kasm.created_date),
        "keepalive_date": kasm_time(kasm.keepalive_date),
        "expiration_date": kasm_time(kasm.expiration_date),
        "is_persistent_profile": kasm.is_persistent_profile,
        "persistent_profile_mode": kasm.persistent_profile_mode,
        "is_standby": kasm.is_standby,
        "staging_config_id": kasm.staging_config_id,
        "cast_config_id": kasm.cast_config_id,
        "autoscale_config_id": kasm.autoscale_config_id,
        "connection_proxy_id": kasm.connection_proxy_id,
        "connection_info": kasm.connection_info,
        "connection_credential": kasm.connection_credential,
        "queued_tasks": list(kasm.queued_tasks or []),
        "image": _image_out(kasm.image),
        "client_settings": [] if starting else client_settings(db, kasm.user_id),
    }


def session_out(db: Session, kasm: Kasm, request_host: str, now: datetime) -> dict[str, Any]:
    return SessionOut(**_session_fields(db, kasm, request_host, now)).model_dump()


def listed_session_out(db: Session, kasm: Kasm, request_host: str, now: datetime) -> dict[str, Any]:
    state = view(kasm, now)
    zone = _zone(db, kasm)
    placed = state.status not in ("requested", "provisioning", "assigned")
    return ListedSessionOut(
        **_session_fields(db, kasm, request_host, now),
        user=SessionUserOut(username=kasm.user.username),
        server=SessionServerOut(
            hostname=LOCAL_AGENT_HOSTNAME if placed else None,
            port=kasm.port if placed else None,
            provider="docker" if placed else None,
            zone_name=zone.zone_name if zone is not None else None,
        ),
    ).model_dump()


def connect_url(kasm: Kasm, user: User, token_id: str, *, user_id_dashed: bool) -> str:
    """`/#/connect/kasm/<kasm_id>/<user_id>/<token>`; request_kasm uses the hex user id, status the dashed."""
    user_part = dashed(user.user_id) if user_id_dashed else user.user_id
    return f"/#/connect/kasm/{dashed(kasm.kasm_id)}/{user_part}/{dashed(token_id)}"


# --- shared checks ----------------------------------------------------------------------------------


def user_may_launch(db: Session, user_id: str, image: Image) -> bool:
    """Kasm's `Image.is_user_authorized`: enabled, and authorised for one of the user's groups."""
    if not image.enabled:
        return False
    member_of = select(UserGroup.group_id).where(UserGroup.user_id == user_id)
    query = select(GroupImage.group_image_id).where(
        GroupImage.image_id == image.image_id, GroupImage.group_id.in_(member_of)
    )
    return db.scalars(query).first() is not None


def concurrent_sessions(db: Session) -> int:
    """Sessions holding a concurrent-session seat (stopped and paused ones do not)."""
    query = select(func.count()).select_from(Kasm).where(Kasm.operational_status.notin_(IDLE_STATES))
    return db.scalar(query) or 0


def _anonymous_user(db: Session) -> User:
    return create_user_record(db, f"anonymous-{secrets.token_hex(8)}", anonymous=True)


def _default_image_id(db: Session, user: User) -> str | None:
    attributes = db.scalar(select(UserAttributes).where(UserAttributes.user_id == user.user_id))
    if attributes is not None and attributes.default_image:
        return attributes.default_image
    value = setting_str(db, user.user_id, "default_image", "")
    return parse_id(value) if value else None


def _expiration(db: Session, kasm: Kasm, now: datetime) -> datetime:
    limit = _time_limit(db, kasm)
    if limit:
        return kasm.start_date + timedelta(seconds=limit)
    seconds = setting_int(db, kasm.user_id, "keepalive_expiration", DEFAULT_KEEPALIVE_EXPIRATION)
    return now + timedelta(seconds=seconds)


def _time_limit(db: Session, kasm: Kasm) -> int:
    """The image's session_time_limit, else the user's group setting (0: none)."""
    if kasm.image.session_time_limit:
        return int(kasm.image.session_time_limit)
    return max(0, setting_int(db, kasm.user_id, "session_time_limit", 0))


def new_share_id(db: Session) -> str:
    while True:
        share_id = secrets.token_hex(4)
        if db.scalar(select(Kasm.kasm_id).where(Kasm.share_id == share_id)) is None:
            return share_id


def _sharing_allowed(db: Session, user_id: str) -> bool:
    return setting_bool(db, user_id, "allow_kasm_sharing") and "allow_kasm_sharing" in (
        effective_license(db).features
    )


# --- request_kasm -----------------------------------------------------------------------------------


@endpoints.read_write([P.USER], RequestKasmRequest, RequestKasmResponse)
def request_kasm(call: KasmCall) -> dict[str, Any]:
    """Start a session of `image_id` for `user_id` (an anonymous user when omitted); answers "starting"."""
    db, body, now = call.db, call.body, utcnow()
    user = call.user if call.user is not None else _anonymous_user(db)
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
        zone_hex = parse_id(body["zone_id"])
        zone = db.get(Zone, zone_hex) if zone_hex else None
        if zone is None:
            raise KasmError(f"Invalid zone_id ({body['zone_id']})")
    image_hex = parse_id(image_value)
    image = db.get(Image, image_hex) if image_hex else None
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
        if _sharing_allowed(db, user.user_id):
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
    kasm.expiration_date = _expiration(call.db, kasm, now)
    call.db.add(kasm)
    call.db.flush()
    return kasm


# --- reading sessions ---------------------------------------------------------------------------------


def _owned(call: KasmCall) -> Kasm:
    """The session named by `kasm_id`, which must belong to the impersonated user."""
    kasm = call.kasm
    if kasm is None:
        raise KasmError("Invalid Request")
    if call.user is None or kasm.user_id != call.user.user_id:
        raise KasmError("Access Denied")
    return kasm


def _state_message(status: str) -> str | None:
    if status in STARTING_STATES:
        return f"This session is currently {status}."
    if status in DELETE_STATES:
        return "Kasm is currently scheduled to be deleted."
    if status == "pausing":
        return "This session is currently scheduled to be paused."
    if status == "stopping":
        return "This session is currently scheduled to be stopped."
    return None


@endpoints.read_only([P.USER], KasmStatusRequest, KasmStatusResponse, writes=True)
def get_kasm_status(call: KasmCall) -> dict[str, Any]:
    """A session's state; once running, the session and a connect URL with a new session token."""
    kasm = _owned(call)
    now = utcnow()
    state = settle(kasm, now)
    assert call.user is not None
    token = new_session_token(call.db, call.user.user_id)
    if state.status == "running":
        return {
            "kasm": session_out(call.db, kasm, call.host, now),
            "current_time": kasm_time(now),
            "kasm_url": connect_url(kasm, call.user, token.session_token_id, user_id_dashed=True),
        }
    answer: dict[str, Any] = {
        "operational_status": state.status,
        "operational_progress": state.progress,
        "operational_message": state.message,
    }
    message = _state_message(state.status)
    if message is not None:
        answer["error_message"] = message
    return answer


@endpoints.read_only([P.SESSIONS_VIEW], GetKasmsRequest, GetKasmsResponse)
def get_kasms(call: KasmCall) -> dict[str, Any]:
    """Every session of every user, in any state, oldest first."""
    now = utcnow()
    kasms = call.db.scalars(select(Kasm).order_by(Kasm.created_date, Kasm.kasm_id))
    return {
        "kasms": [listed_session_out(call.db, kasm, call.host, now) for kasm in kasms],
        "current_time": kasm_time(now),
    }


@endpoints.read_only([P.SESSIONS_VIEW], GetKasmRequest, GetKasmResponse)
def get_kasm(call: KasmCall) -> dict[str, Any]:
    """One session by `target_kasm.kasm_id` (`{}` when it does not exist)."""
    spec = call.body.get("target_kasm")
    if not spec:
        raise KasmError("Invalid Request. Missing target_kasm")
    if not isinstance(spec, dict) or not spec.get("kasm_id"):
        raise KasmError("Invalid Request. Missing kasm_id")
    kasm_hex = parse_id(spec["kasm_id"])
    if kasm_hex is None:
        raise KasmError("Invalid Request. Invalid kasm_id")
    kasm = call.db.get(Kasm, kasm_hex)
    if kasm is None:
        return {}
    now = utcnow()
    return {"kasm": listed_session_out(call.db, kasm, call.host, now), "current_time": kasm_time(now)}


@endpoints.read_only([P.USER], UserKasmsRequest, UserKasmsResponse)
def get_user_kasms(call: KasmCall) -> dict[str, Any]:
    """The impersonated user's sessions."""
    if call.user is None:
        raise KasmError("Invalid Request")
    now = utcnow()
    kasms = call.db.scalars(
        select(Kasm).where(Kasm.user_id == call.user.user_id).order_by(Kasm.created_date, Kasm.kasm_id)
    )
    return {
        "kasms": [session_out(call.db, kasm, call.host, now) for kasm in kasms],
        "current_time": kasm_time(now),
    }


# --- changing sessions --------------------------------------------------------------------------------


@endpoints.read_write([P.USER], KasmIdRequest, Empty)
def destroy_kasm(call: KasmCall) -> dict[str, Any]:
    """Destroy a session of `user_id` (any user's with Sessions Delete); it is gone at once here."""
    kasm = call.kasm
    if kasm is None:
        raise KasmError("Invalid Request")
    admin = call.can(Permission.SESSIONS_DELETE)
    owner = call.user is not None and kasm.user_id == call.user.user_id
    if not owner and not admin:
        raise KasmError("Unauthorized attempt to delete session")
    if not admin and not setting_bool(call.db, kasm.user_id, "allow_kasm_delete", True):
        raise KasmError("User is not authorized to issue a delete request")
    state = settle(kasm, utcnow())
    if state.status not in DELETABLE_STATES:
        raise KasmError("Session is not in a valid state to be deleted")
    # Kasm's agent tears the container down and then removes the row; here both happen at once.
    call.db.delete(kasm)
    return {}


@endpoints.read_only([P.SESSIONS_MODIFY], KeepaliveRequest, KeepaliveResponse, writes=True)
def keepalive(call: KasmCall) -> dict[str, Any]:
    """Push a session's expiration back by the owner's `keepalive_expiration`."""
    kasm = call.kasm
    if kasm is None:
        raise KasmError("Invalid Request: Missing required parameters", 400)
    now = utcnow()
    state = settle(kasm, now)
    if state.status in DELETE_STATES:
        raise KasmError(
            f"Kasm ({kasm.kasm_id}) is currently scheduled to be deleted. Can not honor keepalive request"
        )
    if _time_limit(call.db, kasm):
        # A session time limit caps the lifetime: keepalives do not extend it.
        return {}
    kasm.keepalive_date = now
    kasm.expiration_date = _expiration(call.db, kasm, now)
    return {"usage_reached": False}


@endpoints.read_write([P.SESSIONS_MODIFY], ExecCommandRequest, KasmResponse)
def exec_command_kasm(call: KasmCall) -> dict[str, Any]:
    """Run `exec_config.cmd` in a running session (fire and forget: no output comes back)."""
    exec_config = call.body.get("exec_config")
    kasm = call.kasm
    if (
        kasm is None
        or not isinstance(exec_config, dict)
        or not exec_config.get("cmd")
        or (call.user is not None and kasm.user_id != call.user.user_id)
    ):
        raise KasmError("Invalid request, check paramemters")
    now = utcnow()
    if settle(kasm, now).status != "running":
        raise KasmError("Kasm is not running or is not responding")
    # Fire and forget, as Kasm: no output or exit code comes back.
    return {"kasm": session_out(call.db, kasm, call.host, now), "current_time": kasm_time(now)}


def _lifecycle_target(call: KasmCall, verb: str, setting: str) -> tuple[Kasm, State, bool]:
    """The session for stop/pause/resume after Kasm's ownership, type and group-setting checks."""
    kasm = call.kasm
    if kasm is None:
        raise KasmError("Invalid Request")
    admin = call.can(Permission.SESSIONS_MODIFY)
    if not admin and (call.user is None or kasm.user_id != call.user.user_id):
        raise KasmError(f"Unauthorized attempt to {verb} session")
    if kasm.image.image_type != "Container":
        raise KasmError(f"Only Container based sessions can be {verb}{'ped' if verb == 'stop' else 'd'}")
    if setting and not admin and not setting_bool(call.db, kasm.user_id, setting):
        raise KasmError(f"User is not authorized to issue a {verb} request")
    return kasm, settle(kasm, utcnow()), admin


@endpoints.read_write([P.USER], KasmIdRequest, Empty)
def stop_kasm(call: KasmCall) -> dict[str, Any]:
    """Stop a running or paused container session (group setting `allow_kasm_stop`)."""
    kasm, state, _admin = _lifecycle_target(call, "stop", "allow_kasm_stop")
    if state.status not in ("running", "paused"):
        raise KasmError("Session is not in a valid state to be stopped")
    now = utcnow()
    begin(kasm, "stopping", "stopped", now, call.settings.session_start_seconds, "Stopping the session")
    return {}


@endpoints.read_write([P.USER], KasmIdRequest, Empty)
def pause_kasm(call: KasmCall) -> dict[str, Any]:
    """Pause a running container session (group setting `allow_kasm_pause`)."""
    kasm, state, _admin = _lifecycle_target(call, "pause", "allow_kasm_pause")
    if state.status != "running":
        raise KasmError("Session is not in a valid state to be paused")
    now = utcnow()
    begin(kasm, "pausing", "paused", now, call.settings.session_start_seconds, "Pausing the session")
    return {}


@endpoints.read_write([P.USER], KasmIdRequest, Empty)
def resume_kasm(call: KasmCall) -> dict[str, Any]:
    """Resume a stopped or paused session (needs a concurrent-session seat)."""
    kasm, state, admin = _lifecycle_target(call, "resume", "")
    if state.status not in IDLE_STATES and not admin:
        raise KasmError(f"Session ({kasm.kasm_id}) is in status ({state.status}) and cannot be resumed")
    if state.status not in IDLE_STATES:
        # An administrator may "resume" any session; there is nothing to do for a live one.
        return {}
    current = effective_license(call.db)
    if current.license_type != PER_NAMED_USER and concurrent_sessions(call.db) >= current.limit:
        raise KasmError("Per concurrent session license limit exceeded. Unable to resume Session")
    now = utcnow()
    begin(kasm, "starting", "running", now, call.settings.session_start_seconds, "Resuming the session")
    return {}


# --- sharing ------------------------------------------------------------------------------------------


def _owned_or_admin(call: KasmCall) -> Kasm:
    kasm = call.kasm
    if kasm is None:
        raise KasmError("Invalid Request")
    if not call.can(Permission.SESSIONS_MODIFY) and (call.user is None or kasm.user_id != call.user.user_id):
        raise KasmError("Unauthorized")
    return kasm


@endpoints.read_write([P.USER], KasmIdRequest, ShareIdResponse)
def create_kasm_share_id(call: KasmCall) -> dict[str, Any]:
    """Enable sharing: a new 8-hex-character share id (group setting `allow_kasm_sharing`)."""
    kasm = _owned_or_admin(call)
    if not _sharing_allowed(call.db, kasm.user_id):
        raise KasmError(f"Sharing is not allowed for this ({kasm.user.username})")
    if kasm.share_id:
        raise KasmError(f"A share_id already exists for Kasm ({kasm.share_id})")
    kasm.share_id = new_share_id(call.db)
    return {"share_id": kasm.share_id}


@endpoints.read_only([P.USER], KasmIdRequest, ShareIdResponse)
def get_kasm_share_id(call: KasmCall) -> dict[str, Any]:
    """The session's share id (null when sharing is off)."""
    kasm = _owned_or_admin(call)
    return {"share_id": kasm.share_id}


@endpoints.read_write([P.USER], KasmIdRequest, Empty)
def delete_kasm_share_id(call: KasmCall) -> dict[str, Any]:
    """Disable sharing; viewers lose their session permissions."""
    kasm = _owned_or_admin(call)
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
    viewer = call.user if call.user is not None else _anonymous_user(db)
    if viewer.user_id != kasm.user_id:
        existing = db.scalar(
            select(SessionPermission).where(
                SessionPermission.kasm_id == kasm.kasm_id, SessionPermission.user_id == viewer.user_id
            )
        )
        if existing is None:
            full = setting_bool(db, kasm.user_id, "shared_session_full_control")
            add_session_permission(db, kasm, viewer, "rw" if full else "r")
    token = new_session_token(db, viewer.user_id)
    zone = _zone(db, kasm)
    image = _image_out(kasm.image)
    return {
        "kasm": {
            "port_map": port_map(kasm, zone, JOIN_PORT_MAP_SERVICES),
            "view_only_token": "",
            "user": {"username": kasm.user.username},
            "host": kasm.host,
            "kasm_id": kasm.kasm_id,
            "share_id": kasm.share_id,
            "port": kasm.port,
            "image": {
                "image_id": image.image_id,
                "name": image.name,
                "friendly_name": image.friendly_name,
                "image_src": image.image_src,
                "session_time_limit": image.session_time_limit,
            },
            "client_settings": client_settings(db, kasm.user_id),
            "hostname": hostname_for(zone, call.host),
        },
        "current_time": kasm_time(now),
        "user_id": viewer.user_id,
        "username": viewer.username,
        "session_token": dashed(token.session_token_id),
        "kasm_url": f"/#/connect/join/{kasm.share_id}/{viewer.user_id}/{dashed(token.session_token_id)}",
    }


def add_session_permission(db: Session, kasm: Kasm, user: User, access: str) -> SessionPermission:
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


# --- screenshots and stats ----------------------------------------------------------------------------


def _running_for_user(call: KasmCall) -> Kasm:
    """The caller's running session (stats calls answer with get_kasm_status's state messages)."""
    kasm = _owned(call)
    now = utcnow()
    status = settle(kasm, now).status
    if status != "running":
        raise KasmError(_state_message(status) or f"Kasm ({kasm.kasm_id}) is not running")
    return kasm


def _dimension(value: Any, default: int) -> int:
    try:
        number = int(value) if value is not None else default
    except (TypeError, ValueError):
        return default
    return max(1, min(number, 4096))


@endpoints.read_only([P.USER], ScreenshotRequest, None, writes=True)
def get_kasm_screenshot(call: KasmCall) -> Response:
    """A JPEG of the session's screen (`width`/`height` swapped, as Kasm 1.15 does)."""
    if call.kasm is None:
        return Response(b"", status_code=400)
    if call.user is None or call.kasm.user_id != call.user.user_id:
        return Response(b"", status_code=404)
    kasm = call.kasm
    now = utcnow()
    if settle(kasm, now).status != "running":
        return Response(b"", status_code=404)
    new_session_token(call.db, call.user.user_id)
    # Kasm 1.15 hands `width` to the agent as the height and `height` as the width.
    width = _dimension(call.body.get("height"), 300)
    height = _dimension(call.body.get("width"), 300)
    return Response(render_screenshot(kasm, width, height), media_type="image/jpeg")


def render_screenshot(kasm: Kasm, width: int, height: int) -> bytes:
    """A small fake desktop: a gradient from the session id, a title bar, and the image's name."""
    seed = bytes.fromhex(kasm.kasm_id[:6])
    base = PILImage.new("RGB", (width, height), (seed[0], seed[1], seed[2]))
    draw = ImageDraw.Draw(base)
    for y in range(0, height, 4):
        shade = int(255 * y / max(1, height))
        draw.rectangle([0, y, width, y + 3], fill=((seed[0] + shade) % 256, seed[1], (seed[2] + 128) % 256))
    bar = max(1, height // 12)
    draw.rectangle([0, 0, width, bar], fill=(32, 32, 32))
    draw.text((4, bar + 4), kasm.image.friendly_name or kasm.image.name or "Kasm", fill=(255, 255, 255))
    out = io.BytesIO()
    base.save(out, format="JPEG", quality=80)
    return out.getvalue()


@endpoints.read_only([P.USER], FrameStatsRequest, FrameStatsResponse, writes=True)
def get_kasm_frame_stats(call: KasmCall) -> dict[str, Any]:
    """KasmVNC frame statistics of a running session."""
    kasm = _running_for_user(call)
    client = call.body.get("client", "auto")
    if client not in ("auto", "all", "none"):
        raise KasmError(f"Invalid client ({client})")
    new_session_token(call.db, kasm.user_id)
    rng = secrets.SystemRandom()
    clients = (
        []
        if client == "none"
        else [
            {
                "client": LOCAL_AGENT_IP,
                "client_time": rng.randint(2, 12),
                "ping": rng.randint(1, 30),
                "processes": [{"process_name": "Client Render", "time": rng.randint(1, 8)}],
            }
        ]
    )
    encode = rng.randint(2, 20)
    return {
        "frame": {
            "resx": kasm.image.x_res,
            "resy": kasm.image.y_res,
            "changed": rng.randint(0, 100),
            "server_time": int(time.time() * 1000),
        },
        "clients": clients,
        "analysis": rng.randint(0, 3),
        "screenshot": rng.randint(0, 3),
        "encoding_total": encode,
        "videoscaling": 0,
        "tightjpegencoder": {"time": encode, "count": rng.randint(1, 50), "area": rng.randint(1, 10**6)},
        "tightwebpencoder": {"time": 0, "count": 0, "area": 0},
    }


@endpoints.read_only([P.USER], KasmIdRequest, None, writes=True)
def get_kasm_bottleneck_stats(call: KasmCall) -> dict[str, Any]:
    """KasmVNC bottleneck statistics of a running session."""
    _running_for_user(call)
    rng = secrets.SystemRandom()
    return {"kasm_user": {LOCAL_AGENT_IP: [round(rng.uniform(0, 50), 2) for _ in range(4)]}}


@endpoints.read_only([P.USER], RdpConnectionInfoRequest, RdpConnectionInfoResponse, writes=True)
def get_rdp_client_connection_info(call: KasmCall) -> dict[str, Any]:
    """An .rdp file or rdp:// URL pointing at the session's proxy (Kasm 1.16+; shape from clients)."""
    kasm = _running_for_user(call)
    kind = call.body.get("connection_type", "file")
    if kind not in ("file", "url"):
        raise KasmError("Invalid Request. connection_type must be 'file' or 'url'")
    host = f"{hostname_for(_zone(call.db, kasm), call.host)}:{kasm.port}"
    username = kasm.user.username
    if kind == "url":
        return {"url": f"rdp://full%20address=s:{host}&username=s:{username}"}
    lines = [
        f"full address:s:{host}",
        f"username:s:{username}",
        "prompt for credentials:i:1",
        "screen mode id:i:2",
    ]
    return {"file": "\r\n".join(lines) + "\r\n"}


# --- recordings (this server records nothing) ---------------------------------------------------------


@endpoints.read_only([P.SESSION_RECORDINGS_VIEW], SessionRecordingsRequest, SessionRecordingsResponse)
def get_session_recordings(call: KasmCall) -> dict[str, Any]:
    """A session's recordings (always none: this server records nothing)."""
    target = call.body.get("target_kasm_id")
    if not target:
        raise KasmError("Invalid Request. Missing required parameters", 400)
    kasm_hex = parse_id(target)
    if kasm_hex is None or call.db.get(Kasm, kasm_hex) is None:
        raise KasmError("Invalid Kasm ID", 400)
    page = call.body.get("page") or 1
    return {"session_recordings": [], "items": 0, "page": page, "per_page": 5, "total_duration": 0}


@endpoints.read_only([P.SESSION_RECORDINGS_VIEW], SessionsRecordingsRequest, SessionsRecordingsResponse)
def get_sessions_recordings(call: KasmCall) -> dict[str, Any]:
    """Recordings of several sessions (always none)."""
    targets = call.body.get("target_kasm_ids")
    if not targets or not isinstance(targets, list):
        raise KasmError("Invalid Request. Missing required parameters", 400)
    return {"kasm_sessions": {str(kasm_id): {"session_recordings": []} for kasm_id in targets}}
