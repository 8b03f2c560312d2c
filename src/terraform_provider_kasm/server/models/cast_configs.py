"""Cast configs (casting / kiosk links)."""

from __future__ import annotations

from typing import Any

from pydantic import AliasPath, BaseModel, Field

from .common import KasmRequest, OpenModel, RowOut


class TargetCastConfig(OpenModel):
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


class CastConfigOut(RowOut):
    """The row, and the option keys from its `options` (False, 0 or None when absent)."""

    cast_config_id: str
    image_id: str | None
    image_friendly_name: str | None = Field(None, validation_alias=AliasPath("image", "friendly_name"))
    allowed_referrers: list[str] = []
    limit_sessions: bool = False
    session_remaining: int = 0
    limit_ips: bool = False
    ip_request_limit: int = 0
    ip_request_seconds: int = 0
    error_url: str | None = None
    enable_sharing: bool = False
    disable_control_panel: bool = False
    disable_tips: bool = False
    disable_fixed_res: bool = False
    key: str
    allow_anonymous: bool = False
    group_id: str | None
    require_recaptcha: bool = False
    group_name: str | None = Field(None, validation_alias=AliasPath("group", "name"))
    kasm_url: str | None = None
    dynamic_kasm_url: bool = False
    dynamic_docker_network: bool = False
    # Kasm 1.15's column defaults: every flag is off except allow_resume.
    allow_resume: bool = True
    enforce_client_settings: bool = False
    allow_kasm_audio: bool = False
    allow_kasm_uploads: bool = False
    allow_kasm_downloads: bool = False
    allow_kasm_clipboard_down: bool = False
    allow_kasm_clipboard_up: bool = False
    allow_kasm_microphone: bool = False
    valid_until: str | None = None
    allow_kasm_sharing: bool = False
    kasm_audio_default_on: bool = False
    kasm_ime_mode_default_on: bool = False
    allow_kasm_gamepad: bool = False
    allow_kasm_webcam: bool = False
    allow_kasm_printing: bool = False
    casting_config_name: str | None
    remote_app_configs: dict[str, Any] | None = None


class CastConfigResponse(BaseModel):
    cast_config: CastConfigOut


class CastConfigsResponse(BaseModel):
    cast_configs: list[CastConfigOut]
