"""Staging configs (pre-warmed standby sessions)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from .common import KasmRequest


class TargetStagingConfig(BaseModel):
    model_config = ConfigDict(extra="allow")

    staging_config_id: str | None = None
    zone_id: str | None = None
    image_id: str | None = None
    num_sessions: int | None = None
    expiration: float | None = None
    server_pool_id: str | None = None
    autoscale_config_id: str | None = None


class TargetStagingConfigRequest(KasmRequest):
    target_staging_config: TargetStagingConfig | None = None


class StagingConfigOut(BaseModel):
    staging_config_id: str
    zone_id: str
    zone_name: str | None
    image_id: str
    image_friendly_name: str | None
    num_sessions: int
    num_current_sessions: int
    expiration: float
    allow_kasm_audio: bool | None
    allow_kasm_uploads: bool | None
    allow_kasm_downloads: bool | None
    allow_kasm_clipboard_down: bool | None
    allow_kasm_clipboard_up: bool | None
    allow_kasm_microphone: bool | None
    allow_kasm_gamepad: bool | None
    allow_kasm_webcam: bool | None
    allow_kasm_printing: bool | None
    server_pool_id: str | None
    server_pool_name: str | None
    autoscale_config_id: str | None
    autoscale_config_name: str | None


class StagingConfigResponse(BaseModel):
    staging_config: StagingConfigOut


class StagingConfigsResponse(BaseModel):
    staging_configs: list[StagingConfigOut]
