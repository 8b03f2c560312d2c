"""Staging configs (pre-warmed standby sessions)."""

from __future__ import annotations

from pydantic import AliasPath, BaseModel, Field

from .common import KasmRequest, OpenModel, RowOut


class TargetStagingConfig(OpenModel):
    staging_config_id: str | None = None
    zone_id: str | None = None
    image_id: str | None = None
    num_sessions: int | None = None
    expiration: float | None = None
    server_pool_id: str | None = None
    autoscale_config_id: str | None = None


class TargetStagingConfigRequest(KasmRequest):
    target_staging_config: TargetStagingConfig | None = None


class StagingConfigOut(RowOut):
    """The row, and the `allow_kasm_*` flags from its `options` (None when unset)."""

    staging_config_id: str
    zone_id: str
    zone_name: str | None = Field(validation_alias=AliasPath("zone", "zone_name"))
    image_id: str
    image_friendly_name: str | None = Field(validation_alias=AliasPath("image", "friendly_name"))
    num_sessions: int
    num_current_sessions: int
    expiration: float
    allow_kasm_audio: bool | None = None
    allow_kasm_uploads: bool | None = None
    allow_kasm_downloads: bool | None = None
    allow_kasm_clipboard_down: bool | None = None
    allow_kasm_clipboard_up: bool | None = None
    allow_kasm_microphone: bool | None = None
    allow_kasm_gamepad: bool | None = None
    allow_kasm_webcam: bool | None = None
    allow_kasm_printing: bool | None = None
    server_pool_id: str | None
    # No server pools or autoscale configs on this server.
    server_pool_name: str | None = None
    autoscale_config_id: str | None
    autoscale_config_name: str | None = None


class StagingConfigResponse(BaseModel):
    staging_config: StagingConfigOut


class StagingConfigsResponse(BaseModel):
    staging_configs: list[StagingConfigOut]
