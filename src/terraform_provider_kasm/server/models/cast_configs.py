"""Cast configs (casting / kiosk links)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .common import KasmRequest


class TargetCastConfig(BaseModel):
    model_config = ConfigDict(extra="allow")

    cast_config_id: str | None = None
    key: str | None = None
    casting_config_name: str | None = None
    image_id: str | None = None
    group_id: str | None = None
    allowed_referrers: list[str] | str | None = Field(
        None, description="a list or a newline-separated string"
    )
    remote_app_configs: str | None = Field(None, description="JSON string")


class TargetCastConfigRequest(KasmRequest):
    target_cast_config: TargetCastConfig | None = None


class CastConfigIdRequest(KasmRequest):
    cast_config_id: str | None = None


class CastConfigOut(BaseModel):
    cast_config_id: str
    image_id: str | None
    image_friendly_name: str | None
    allowed_referrers: list[str]
    limit_sessions: bool
    session_remaining: int
    limit_ips: bool
    ip_request_limit: int
    ip_request_seconds: int
    error_url: str | None
    enable_sharing: bool
    disable_control_panel: bool
    disable_tips: bool
    disable_fixed_res: bool
    key: str
    allow_anonymous: bool
    group_id: str | None
    require_recaptcha: bool
    group_name: str | None
    kasm_url: str | None
    dynamic_kasm_url: bool
    dynamic_docker_network: bool
    allow_resume: bool
    enforce_client_settings: bool
    allow_kasm_audio: bool
    allow_kasm_uploads: bool
    allow_kasm_downloads: bool
    allow_kasm_clipboard_down: bool
    allow_kasm_clipboard_up: bool
    allow_kasm_microphone: bool
    valid_until: str | None
    allow_kasm_sharing: bool
    kasm_audio_default_on: bool
    kasm_ime_mode_default_on: bool
    allow_kasm_gamepad: bool
    allow_kasm_webcam: bool
    allow_kasm_printing: bool
    casting_config_name: str | None
    remote_app_configs: dict[str, Any] | None


class CastConfigResponse(BaseModel):
    cast_config: CastConfigOut


class CastConfigsResponse(BaseModel):
    cast_configs: list[CastConfigOut]
