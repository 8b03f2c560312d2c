"""Sessions ("kasms"): the lifecycle over a simulated agent, the session object, the shared checks.

The session areas (`sessions`: status, lists, destroy and lifecycle; `session_requests`; `session_sharing`;
`session_stats`; `session_recordings`) build on this module, which registers no calls.

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

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..constants import LOCAL_AGENT_HOSTNAME
from ..endpoints import KasmCall
from ..errors import KasmError
from ..ids import dashed
from ..models.sessions import ListedSessionOut, SessionImageOut, SessionOut
from ..permissions import Permission
from ..storage.tables import GroupImage, Image, Kasm, User, UserGroup, Zone
from .group_settings import setting_bool, setting_int, setting_str
from .users import create_user_record

DEFAULT_KEEPALIVE_EXPIRATION = 3600
STARTING_STATES = ("requested", "provisioning", "assigned", "starting")
DELETE_STATES = ("delete_pending", "user_delete_pending", "admin_delete_pending", "destroying", "deleting")
# Sessions that do not hold a concurrent-session license seat.
IDLE_STATES = ("stopped", "paused")
# Container ports inside the session (Kasm's default image port map), keyed by service.
PORT_MAP_SERVICES = ("vnc", "audio", "uploads", "audio_input", "gamepad", "webcam")
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


def state_message(status: str) -> str | None:
    """What `get_kasm_status` (and the stats calls) say of a session that is not running."""
    if status in STARTING_STATES:
        return f"This session is currently {status}."
    if status in DELETE_STATES:
        return "Kasm is currently scheduled to be deleted."
    if status == "pausing":
        return "This session is currently scheduled to be paused."
    if status == "stopping":
        return "This session is currently scheduled to be stopped."
    return None


# --- output -----------------------------------------------------------------------------------------


def hostname_for(zone: Zone | None, request_host: str) -> str:
    """The proxy host clients connect to: the request's Host when the zone says `$request_host$`."""
    if zone is None or not zone.proxy_hostname or zone.proxy_hostname == "$request_host$":
        return request_host.split(":")[0] if request_host.count(":") == 1 else request_host
    return zone.proxy_hostname


def port_map(kasm: Kasm, services: tuple[str, ...] = PORT_MAP_SERVICES) -> dict[str, Any]:
    zone = kasm.zone
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


def session_image(image: Image) -> SessionImageOut:
    categories = list(image.categories or [])
    return SessionImageOut.of(image, default_category=categories[0] if categories else "")


def session_out(
    db: Session, kasm: Kasm, request_host: str, now: datetime, model: type[SessionOut] = SessionOut
) -> dict[str, Any]:
    """Kasm's "normalized kasm"; as `ListedSessionOut` (`get_kasms`, `get_kasm`) with the agent too."""
    state = view(kasm, now)
    placed = state.status not in ("requested", "provisioning", "assigned")
    server = {"hostname": LOCAL_AGENT_HOSTNAME, "port": kasm.port, "provider": "docker"} if placed else {}
    return model.dump(
        kasm,
        hostname=hostname_for(kasm.zone, request_host),
        port_map=port_map(kasm),
        operational_status=state.status,
        operational_message=state.message,
        operational_progress=state.progress,
        image=session_image(kasm.image),
        client_settings=[] if state.status in STARTING_STATES else client_settings(db, kasm.user_id),
        server={**server, "zone_name": kasm.zone.zone_name if kasm.zone is not None else None},
    )


def listed_session_out(db: Session, kasm: Kasm, request_host: str, now: datetime) -> dict[str, Any]:
    return session_out(db, kasm, request_host, now, ListedSessionOut)


def connect_url(kasm: Kasm, user: User, token_id: str, *, user_id_dashed: bool) -> str:
    """`/#/connect/kasm/<kasm_id>/<user_id>/<token>`; request_kasm uses the hex user id, status the dashed."""
    user_part = dashed(user.user_id) if user_id_dashed else user.user_id
    return f"/#/connect/kasm/{dashed(kasm.kasm_id)}/{user_part}/{dashed(token_id)}"


# --- shared checks ----------------------------------------------------------------------------------


def target_session(call: KasmCall, denied: str, admin: Permission | None = None) -> tuple[Kasm, bool]:
    """The session `kasm_id` names and whether the key acts on it as an administrator (holds `admin`);
    `denied` unless it does or the session is the impersonated user's."""
    kasm = call.kasm
    if kasm is None:
        raise KasmError("Invalid Request")
    is_admin = admin is not None and call.can(admin)
    if not is_admin and (call.user is None or kasm.user_id != call.user.user_id):
        raise KasmError(denied)
    return kasm, is_admin


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


def anonymous_user(db: Session) -> User:
    return create_user_record(db, f"anonymous-{secrets.token_hex(8)}", anonymous=True)


def expiration(db: Session, kasm: Kasm, now: datetime) -> datetime:
    limit = time_limit(db, kasm)
    if limit:
        return kasm.start_date + timedelta(seconds=limit)
    seconds = setting_int(db, kasm.user_id, "keepalive_expiration", DEFAULT_KEEPALIVE_EXPIRATION)
    return now + timedelta(seconds=seconds)


def time_limit(db: Session, kasm: Kasm) -> int:
    """The image's session_time_limit, else the user's group setting (0: none)."""
    if kasm.image.session_time_limit:
        return int(kasm.image.session_time_limit)
    return max(0, setting_int(db, kasm.user_id, "session_time_limit", 0))
