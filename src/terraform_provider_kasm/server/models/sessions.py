"""Sessions ("kasms"): request bodies and the session object as Kasm 1.15 serialises it."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel

from .common import EMPTY_LIST, KasmRequest, KasmTime, OpenModel, RowOut

# --- requests ---------------------------------------------------------------------------------------


class RequestKasmRequest(KasmRequest):
    user_id: str | None = None
    image_id: str | None = None
    enable_sharing: bool | None = None
    kasm_url: str | None = None
    environment: dict[str, str] | None = None
    connection_info: dict[str, Any] | None = None
    client_language: str | None = None
    client_timezone: str | None = None
    persistent_profile_mode: str | None = None
    zone_id: str | None = None
    network_id: str | None = None
    launch_selections: dict[str, Any] | None = None
    x_res: int | None = None
    y_res: int | None = None
    egress_gateway_id: str | None = None
    rdp_client_type: str | None = None
    server_id: str | None = None


class KasmIdRequest(KasmRequest):
    """A call on one session of a user: `user_id` (impersonated) and `kasm_id`."""

    user_id: str | None = None
    kasm_id: str | None = None


class KasmStatusRequest(KasmIdRequest):
    skip_agent_check: bool | None = None


class ScreenshotRequest(KasmIdRequest):
    width: int | None = None
    height: int | None = None


class FrameStatsRequest(KasmIdRequest):
    client: str | None = None


class RdpConnectionInfoRequest(KasmIdRequest):
    connection_type: str | None = None


class ExecConfig(OpenModel):
    cmd: str | None = None
    workdir: str | None = None
    privileged: bool | None = None
    environment: dict[str, str] | None = None
    user: str | None = None


class ExecCommandRequest(KasmIdRequest):
    exec_config: ExecConfig | None = None


class KeepaliveRequest(KasmRequest):
    kasm_id: str | None = None


class UserKasmsRequest(KasmRequest):
    user_id: str | None = None


class TargetKasmRef(OpenModel):
    kasm_id: str | None = None


class GetKasmRequest(KasmRequest):
    target_kasm: TargetKasmRef | None = None


class JoinKasmRequest(KasmRequest):
    user_id: str | None = None
    share_id: str | None = None


class SessionRecordingsRequest(KasmRequest):
    target_kasm_id: str | None = None
    preauth_download_link: bool | None = None
    page: int | None = None


class SessionsRecordingsRequest(KasmRequest):
    target_kasm_ids: list[str] | None = None
    preauth_download_link: bool | None = None


# --- responses --------------------------------------------------------------------------------------


class SessionImageOut(RowOut):
    image_id: str
    name: str | None
    friendly_name: str | None
    image_src: str | None
    session_time_limit: int | None
    categories: Annotated[list[str], EMPTY_LIST]
    default_category: str
    image_type: str


class SessionOut(RowOut):
    """Kasm's "normalized kasm": the session row plus computed keys."""

    kasm_id: str
    user_id: str
    image_id: str
    zone_id: str | None
    server_id: str | None
    container_id: str | None
    container_ip: str | None
    docker_network: str | None
    cores: float
    memory: int
    gpus: int
    hostname: str | None
    host: str | None
    port: int | None
    port_map: dict[str, dict[str, Any]]
    token: str = ""
    view_only_token: str = ""
    share_id: str | None
    operational_status: str
    operational_message: str | None
    operational_progress: int
    start_date: KasmTime
    created_date: KasmTime
    keepalive_date: KasmTime
    expiration_date: KasmTime
    is_persistent_profile: bool
    persistent_profile_mode: str | None
    is_standby: bool
    staging_config_id: str | None
    cast_config_id: str | None
    autoscale_config_id: str | None
    connection_proxy_id: str | None
    connection_info: dict[str, Any] | None
    connection_credential: str | None
    queued_tasks: Annotated[list[Any], EMPTY_LIST]
    image: SessionImageOut
    # `[]` while the session is starting, then the resolved settings.
    client_settings: dict[str, Any] | list[Any]


class SessionUserOut(RowOut):
    username: str


class SessionServerOut(BaseModel):
    """The agent (its keys null while the session is not yet placed on it)."""

    hostname: str | None = None
    port: int | None = None
    provider: str | None = None
    zone_name: str | None


class ListedSessionOut(SessionOut):
    """`get_kasms`/`get_kasm` add the owner's username and the agent."""

    user: SessionUserOut
    server: SessionServerOut


class RequestKasmResponse(BaseModel):
    kasm_id: str
    status: str
    user_id: str
    username: str
    session_token: str
    kasm_url: str
    share_id: str | None = None
    error_message: str | None = None


class KasmStatusResponse(BaseModel):
    """Running: `kasm`, `current_time`, `kasm_url`. Otherwise the `operational_*` keys (and, as 1.15,
    `error_message` "This session is currently <status>.")."""

    kasm: SessionOut | None = None
    current_time: str | None = None
    kasm_url: str | None = None
    operational_status: str | None = None
    operational_progress: int | None = None
    operational_message: str | None = None
    error_message: str | None = None


class GetKasmsResponse(BaseModel):
    kasms: list[ListedSessionOut]
    current_time: str


class GetKasmResponse(BaseModel):
    """`{}` when the session does not exist."""

    kasm: ListedSessionOut | None = None
    current_time: str | None = None


class UserKasmsResponse(BaseModel):
    kasms: list[SessionOut]
    current_time: str


class KasmResponse(BaseModel):
    kasm: SessionOut
    current_time: str


class KeepaliveResponse(BaseModel):
    """`{}` when a session time limit applies (no extension)."""

    usage_reached: bool | None = None


class ShareIdResponse(BaseModel):
    share_id: str | None


class JoinedKasmOut(RowOut):
    """`join_kasm`'s session, key by key in Kasm's order."""

    port_map: dict[str, dict[str, Any]]
    view_only_token: str = ""
    user: SessionUserOut
    host: str | None
    kasm_id: str
    share_id: str | None
    port: int | None
    image: dict[str, Any]
    client_settings: dict[str, Any]
    hostname: str | None


class JoinKasmResponse(BaseModel):
    kasm: JoinedKasmOut
    current_time: str
    user_id: str
    username: str
    session_token: str
    kasm_url: str


class FrameStatsResponse(OpenModel):
    frame: dict[str, Any]
    clients: list[dict[str, Any]]


class RdpConnectionInfoResponse(BaseModel):
    file: str | None = None
    url: str | None = None


class SessionRecordingsResponse(BaseModel):
    session_recordings: list[dict[str, Any]]
    items: int
    page: int
    per_page: int
    total_duration: float


class SessionsRecordingsResponse(BaseModel):
    kasm_sessions: dict[str, dict[str, list[dict[str, Any]]]]
