"""Sessions ("kasms"): the documented session calls plus the client/admin ones reachable through the API.

Gates and read-only flags as Kasm 1.15's decorators (§1.5): the user-level calls need *User* (and, with
a `user_id`, *Users Auth Session*, checked by the auth layer); several calls that write (a new session
token, a keepalive) are allowed for read-only keys, as in Kasm.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.responses import Response

from ..endpoints import EndpointGroup, KasmCall
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
    RdpConnectionInfoRequest,
    RdpConnectionInfoResponse,
    RequestKasmRequest,
    RequestKasmResponse,
    ScreenshotRequest,
    SessionRecordingsRequest,
    SessionRecordingsResponse,
    SessionsRecordingsRequest,
    SessionsRecordingsResponse,
    ShareIdResponse,
    UserKasmsRequest,
    UserKasmsResponse,
)
from ..permissions import Permission as P
from ..services import sessions

endpoints = EndpointGroup("sessions")


@endpoints.endpoint(
    "request_kasm",
    actions=[P.USER],
    read_only=False,
    request=RequestKasmRequest,
    response=RequestKasmResponse,
)
def request_kasm(call: KasmCall) -> Mapping[str, Any]:
    """Start a session of `image_id` for `user_id` (an anonymous user when omitted); answers "starting"."""
    return sessions.request_kasm(call)


@endpoints.endpoint(
    "get_kasm_status",
    actions=[P.USER],
    read_only=True,
    writes=True,
    request=KasmStatusRequest,
    response=KasmStatusResponse,
)
def get_kasm_status(call: KasmCall) -> Mapping[str, Any]:
    """A session's state; once running, the session and a connect URL with a new session token."""
    return sessions.get_kasm_status(call)


@endpoints.endpoint(
    "get_kasms", actions=[P.SESSIONS_VIEW], read_only=True, request=GetKasmsRequest, response=GetKasmsResponse
)
def get_kasms(call: KasmCall) -> Mapping[str, Any]:
    """Every session of every user, in any state, oldest first."""
    return sessions.get_kasms(call)


@endpoints.endpoint(
    "get_kasm", actions=[P.SESSIONS_VIEW], read_only=True, request=GetKasmRequest, response=GetKasmResponse
)
def get_kasm(call: KasmCall) -> Mapping[str, Any]:
    """One session by `target_kasm.kasm_id` (`{}` when it does not exist)."""
    return sessions.get_kasm(call)


@endpoints.endpoint(
    "get_user_kasms", actions=[P.USER], read_only=True, request=UserKasmsRequest, response=UserKasmsResponse
)
def get_user_kasms(call: KasmCall) -> Mapping[str, Any]:
    """The impersonated user's sessions."""
    return sessions.get_user_kasms(call)


@endpoints.endpoint("destroy_kasm", actions=[P.USER], read_only=False, request=KasmIdRequest, response=Empty)
def destroy_kasm(call: KasmCall) -> Mapping[str, Any]:
    """Destroy a session of `user_id` (any user's with Sessions Delete); it is gone at once here."""
    return sessions.destroy_kasm(call)


@endpoints.endpoint(
    "join_kasm",
    actions=[P.USER],
    read_only=True,
    writes=True,
    request=JoinKasmRequest,
    response=JoinKasmResponse,
)
def join_kasm(call: KasmCall) -> Mapping[str, Any]:
    """Join a shared session by `share_id` as `user_id` (an anonymous viewer when omitted)."""
    return sessions.join_kasm(call)


@endpoints.endpoint(
    "keepalive",
    actions=[P.SESSIONS_MODIFY],
    read_only=True,
    writes=True,
    request=KeepaliveRequest,
    response=KeepaliveResponse,
)
def keepalive(call: KasmCall) -> Mapping[str, Any]:
    """Push a session's expiration back by the owner's `keepalive_expiration`."""
    return sessions.keepalive(call)


@endpoints.endpoint(
    "exec_command_kasm",
    actions=[P.SESSIONS_MODIFY],
    read_only=False,
    request=ExecCommandRequest,
    response=KasmResponse,
)
def exec_command_kasm(call: KasmCall) -> Mapping[str, Any]:
    """Run `exec_config.cmd` in a running session (fire and forget: no output comes back)."""
    return sessions.exec_command_kasm(call)


@endpoints.endpoint("stop_kasm", actions=[P.USER], read_only=False, request=KasmIdRequest, response=Empty)
def stop_kasm(call: KasmCall) -> Mapping[str, Any]:
    """Stop a running or paused container session (group setting `allow_kasm_stop`)."""
    return sessions.stop_kasm(call)


@endpoints.endpoint("pause_kasm", actions=[P.USER], read_only=False, request=KasmIdRequest, response=Empty)
def pause_kasm(call: KasmCall) -> Mapping[str, Any]:
    """Pause a running container session (group setting `allow_kasm_pause`)."""
    return sessions.pause_kasm(call)


@endpoints.endpoint("resume_kasm", actions=[P.USER], read_only=False, request=KasmIdRequest, response=Empty)
def resume_kasm(call: KasmCall) -> Mapping[str, Any]:
    """Resume a stopped or paused session (needs a concurrent-session seat)."""
    return sessions.resume_kasm(call)


@endpoints.endpoint(
    "get_kasm_screenshot", actions=[P.USER], read_only=True, writes=True, request=ScreenshotRequest
)
def get_kasm_screenshot(call: KasmCall) -> Response:
    """A JPEG of the session's screen (`width`/`height` swapped, as Kasm 1.15 does)."""
    return sessions.get_kasm_screenshot(call)


@endpoints.endpoint(
    "get_kasm_frame_stats",
    actions=[P.USER],
    read_only=True,
    writes=True,
    request=FrameStatsRequest,
    response=FrameStatsResponse,
)
def get_kasm_frame_stats(call: KasmCall) -> Mapping[str, Any]:
    """KasmVNC frame statistics of a running session."""
    return sessions.get_kasm_frame_stats(call)


@endpoints.endpoint(
    "get_kasm_bottleneck_stats", actions=[P.USER], read_only=True, writes=True, request=KasmIdRequest
)
def get_kasm_bottleneck_stats(call: KasmCall) -> Mapping[str, Any]:
    """KasmVNC bottleneck statistics of a running session."""
    return sessions.get_kasm_bottleneck_stats(call)


@endpoints.endpoint(
    "create_kasm_share_id", actions=[P.USER], read_only=False, request=KasmIdRequest, response=ShareIdResponse
)
def create_kasm_share_id(call: KasmCall) -> Mapping[str, Any]:
    """Enable sharing: a new 8-hex-character share id (group setting `allow_kasm_sharing`)."""
    return sessions.create_kasm_share_id(call)


@endpoints.endpoint(
    "get_kasm_share_id", actions=[P.USER], read_only=True, request=KasmIdRequest, response=ShareIdResponse
)
def get_kasm_share_id(call: KasmCall) -> Mapping[str, Any]:
    """The session's share id (null when sharing is off)."""
    return sessions.get_kasm_share_id(call)


@endpoints.endpoint(
    "delete_kasm_share_id", actions=[P.USER], read_only=False, request=KasmIdRequest, response=Empty
)
def delete_kasm_share_id(call: KasmCall) -> Mapping[str, Any]:
    """Disable sharing; viewers lose their session permissions."""
    return sessions.delete_kasm_share_id(call)


@endpoints.endpoint(
    "get_rdp_client_connection_info",
    actions=[P.USER],
    read_only=True,
    writes=True,
    request=RdpConnectionInfoRequest,
    response=RdpConnectionInfoResponse,
)
def get_rdp_client_connection_info(call: KasmCall) -> Mapping[str, Any]:
    """An RDP client file or URL for the session (Kasm 1.16+)."""
    return sessions.get_rdp_client_connection_info(call)


@endpoints.endpoint(
    "get_session_recordings",
    actions=[P.SESSION_RECORDINGS_VIEW],
    read_only=True,
    request=SessionRecordingsRequest,
    response=SessionRecordingsResponse,
)
def get_session_recordings(call: KasmCall) -> Mapping[str, Any]:
    """A session's recordings (always none: this server records nothing)."""
    return sessions.get_session_recordings(call)


@endpoints.endpoint(
    "get_sessions_recordings",
    actions=[P.SESSION_RECORDINGS_VIEW],
    read_only=True,
    request=SessionsRecordingsRequest,
    response=SessionsRecordingsResponse,
)
def get_sessions_recordings(call: KasmCall) -> Mapping[str, Any]:
    """Recordings of several sessions (always none)."""
    return sessions.get_sessions_recordings(call)
