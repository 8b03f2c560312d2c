"""Sessions ("kasms"): status, listing, destroy, keepalive, exec, stop/pause/resume (Kasm 1.15's rules;
the lifecycle and the session object are in `session_state`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Select, select

from ..endpoints import EndpointGroup, KasmCall
from ..errors import KasmError
from ..ids import parse_id
from ..models.common import Empty, KasmRequest
from ..models.sessions import (
    ExecCommandRequest,
    GetKasmRequest,
    GetKasmResponse,
    GetKasmsResponse,
    KasmIdRequest,
    KasmResponse,
    KasmStatusRequest,
    KasmStatusResponse,
    KeepaliveRequest,
    KeepaliveResponse,
    UserKasmsRequest,
    UserKasmsResponse,
)
from ..permissions import Permission as P
from ..storage.tables import Kasm, utcnow
from .common import find_row, kasm_time
from .group_settings import setting_bool
from .licenses import PER_NAMED_USER, effective_license
from .session_state import (
    DELETE_STATES,
    IDLE_STATES,
    State,
    begin,
    concurrent_sessions,
    connect_url,
    expiration,
    listed_session_out,
    session_out,
    settle,
    state_message,
    target_session,
    time_limit,
)
from .users import new_session_token

endpoints = EndpointGroup("sessions")

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


# --- reading sessions ---------------------------------------------------------------------------------


def _owned(call: KasmCall) -> Kasm:
    """The session named by `kasm_id`, which must belong to the impersonated user."""
    return target_session(call, "Access Denied")[0]


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
    message = state_message(state.status)
    if message is not None:
        answer["error_message"] = message
    return answer


def _kasms(call: KasmCall, query: Select[Kasm], out: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    """The sessions `query` selects, oldest first, as `out` renders them."""
    now = utcnow()
    kasms = call.db.scalars(query.order_by(Kasm.created_date, Kasm.kasm_id))
    return {"kasms": [out(call.db, kasm, call.host, now) for kasm in kasms], "current_time": kasm_time(now)}


@endpoints.read_only([P.SESSIONS_VIEW], KasmRequest, GetKasmsResponse)
def get_kasms(call: KasmCall) -> dict[str, Any]:
    """Every session of every user, in any state, oldest first."""
    return _kasms(call, select(Kasm), listed_session_out)


@endpoints.read_only([P.SESSIONS_VIEW], GetKasmRequest, GetKasmResponse)
def get_kasm(call: KasmCall) -> dict[str, Any]:
    """One session by `target_kasm.kasm_id` (`{}` when it does not exist)."""
    spec = call.body.get("target_kasm")
    if not spec:
        raise KasmError("Invalid Request. Missing target_kasm")
    if not isinstance(spec, dict) or not spec.get("kasm_id"):
        raise KasmError("Invalid Request. Missing kasm_id")
    if parse_id(spec["kasm_id"]) is None:
        raise KasmError("Invalid Request. Invalid kasm_id")
    kasm = find_row(call.db, Kasm, spec["kasm_id"])
    if kasm is None:
        return {}
    now = utcnow()
    return {"kasm": listed_session_out(call.db, kasm, call.host, now), "current_time": kasm_time(now)}


@endpoints.read_only([P.USER], UserKasmsRequest, UserKasmsResponse)
def get_user_kasms(call: KasmCall) -> dict[str, Any]:
    """The impersonated user's sessions."""
    if call.user is None:
        raise KasmError("Invalid Request")
    return _kasms(call, select(Kasm).where(Kasm.user_id == call.user.user_id), session_out)


# --- changing sessions --------------------------------------------------------------------------------


@endpoints.read_write([P.USER], KasmIdRequest, Empty)
def destroy_kasm(call: KasmCall) -> dict[str, Any]:
    """Destroy a session of `user_id` (any user's with Sessions Delete); it is gone at once here."""
    kasm, admin = target_session(call, "Unauthorized attempt to delete session", P.SESSIONS_DELETE)
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
    if time_limit(call.db, kasm):
        # A session time limit caps the lifetime: keepalives do not extend it.
        return {}
    kasm.keepalive_date = now
    kasm.expiration_date = expiration(call.db, kasm, now)
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


def _done(verb: str) -> str:
    return f"{verb}ped" if verb == "stop" else f"{verb}d"


def _lifecycle_target(call: KasmCall, verb: str, setting: str) -> tuple[Kasm, State, bool]:
    """The session for stop/pause/resume after Kasm's ownership, type and group-setting checks."""
    kasm, admin = target_session(call, f"Unauthorized attempt to {verb} session", P.SESSIONS_MODIFY)
    if kasm.image.image_type != "Container":
        raise KasmError(f"Only Container based sessions can be {_done(verb)}")
    if setting and not admin and not setting_bool(call.db, kasm.user_id, setting):
        raise KasmError(f"User is not authorized to issue a {verb} request")
    return kasm, settle(kasm, utcnow()), admin


def _stop_or_pause(call: KasmCall, verb: str, valid: tuple[str, ...], phase: str, end: str) -> dict[str, Any]:
    kasm, state, _admin = _lifecycle_target(call, verb, f"allow_kasm_{verb}")
    if state.status not in valid:
        raise KasmError(f"Session is not in a valid state to be {_done(verb)}")
    begin(
        kasm, phase, end, utcnow(), call.settings.session_start_seconds, f"{phase.capitalize()} the session"
    )
    return {}


@endpoints.read_write([P.USER], KasmIdRequest, Empty)
def stop_kasm(call: KasmCall) -> dict[str, Any]:
    """Stop a running or paused container session (group setting `allow_kasm_stop`)."""
    return _stop_or_pause(call, "stop", ("running", "paused"), "stopping", "stopped")


@endpoints.read_write([P.USER], KasmIdRequest, Empty)
def pause_kasm(call: KasmCall) -> dict[str, Any]:
    """Pause a running container session (group setting `allow_kasm_pause`)."""
    return _stop_or_pause(call, "pause", ("running",), "pausing", "paused")


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
    begin(kasm, "starting", "running", utcnow(), call.settings.session_start_seconds, "Resuming the session")
    return {}
