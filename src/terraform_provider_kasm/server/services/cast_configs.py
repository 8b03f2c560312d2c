"""Cast configs: Kasm 1.15's public cast-config calls (errors are HTTP 400 there, `public=True`)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select

from ..endpoints import EndpointGroup, KasmCall
from ..errors import KasmCrash, KasmError
from ..ids import parse_id
from ..models.cast_configs import (
    CastConfigIdRequest,
    CastConfigOut,
    CastConfigResponse,
    CastConfigsResponse,
    TargetCastConfigRequest,
)
from ..models.common import Empty, KasmRequest
from ..permissions import Permission as P
from ..storage.tables import CastConfig, Group, Image
from .common import MISSING_DOT, as_int, kasm_time, parse_multiline, target, truncated
from .licenses import effective_license

endpoints = EndpointGroup("cast_configs")

BOOL_FIELDS = (
    "limit_sessions",
    "limit_ips",
    "enable_sharing",
    "disable_control_panel",
    "disable_tips",
    "disable_fixed_res",
    "allow_anonymous",
    "require_recaptcha",
    "dynamic_kasm_url",
    "dynamic_docker_network",
    "allow_resume",
    "enforce_client_settings",
    "allow_kasm_audio",
    "allow_kasm_uploads",
    "allow_kasm_downloads",
    "allow_kasm_clipboard_down",
    "allow_kasm_clipboard_up",
    "allow_kasm_microphone",
    "allow_kasm_sharing",
    "kasm_audio_default_on",
    "kasm_ime_mode_default_on",
    "allow_kasm_gamepad",
    "allow_kasm_webcam",
    "allow_kasm_printing",
)
# Kasm 1.15's column defaults: every flag is off except allow_resume.
DEFAULT_TRUE = frozenset({"allow_resume"})
INT_FIELDS = ("session_remaining", "ip_request_limit", "ip_request_seconds")
TEXT_FIELDS = ("error_url", "kasm_url")


def cast_config_out(config: CastConfig) -> dict[str, Any]:
    options = dict(config.options or {})
    values: dict[str, Any] = {name: bool(options.get(name, name in DEFAULT_TRUE)) for name in BOOL_FIELDS}
    values.update({name: int(options.get(name, 0)) for name in INT_FIELDS})
    values.update({name: options.get(name) for name in TEXT_FIELDS})
    return CastConfigOut(
        cast_config_id=config.cast_config_id,
        image_id=config.image_id,
        image_friendly_name=config.image.friendly_name if config.image is not None else None,
        allowed_referrers=list(options.get("allowed_referrers", [])),
        key=config.key,
        group_id=config.group_id,
        group_name=config.group.name if config.group is not None else None,
        valid_until=options.get("valid_until"),
        casting_config_name=config.casting_config_name,
        remote_app_configs=options.get("remote_app_configs"),
        **values,
    ).model_dump()


def _licensed(call: KasmCall) -> None:
    if "session_casting" not in effective_license(call.db).features:
        raise KasmError("Access Denied. This feature is not licensed", 400)


def _find(call: KasmCall, value: Any) -> CastConfig:
    if not value:
        raise KasmError(MISSING_DOT, 400)
    config_id = parse_id(value)
    config = call.db.get(CastConfig, config_id) if config_id else None
    if config is None:
        raise KasmError(f"Cast config with id ({value}) does not exist", 400)
    return config


@endpoints.endpoint(
    "get_cast_configs",
    actions=[P.CASTING_VIEW],
    read_only=True,
    request=KasmRequest,
    response=CastConfigsResponse,
)
def get_cast_configs(call: KasmCall) -> dict[str, Any]:
    """Every cast config, by key."""
    rows = call.db.scalars(select(CastConfig).order_by(CastConfig.key))
    return {"cast_configs": [cast_config_out(c) for c in rows]}


@endpoints.endpoint(
    "get_cast_config",
    actions=[P.CASTING_VIEW],
    read_only=True,
    request=CastConfigIdRequest,
    response=CastConfigResponse,
)
def get_cast_config(call: KasmCall) -> dict[str, Any]:
    """One cast config by `cast_config_id`."""
    return {"cast_config": cast_config_out(_find(call, call.body.get("cast_config_id")))}


def _referrers(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value if v.strip()]
    return parse_multiline(value)


def _valid_until(value: Any) -> str | None:
    if value in (None, ""):
        return None
    try:
        return kasm_time(datetime.fromisoformat(str(value).replace("Z", "+00:00")).replace(tzinfo=None))
    except ValueError as exc:
        raise KasmError(f"Invalid Request. Invalid valid_until ({value})", 400) from exc


def _apply(call: KasmCall, config: CastConfig, spec: dict[str, Any]) -> None:
    options = dict(config.options or {})
    for name in BOOL_FIELDS:
        if name in spec and spec[name] is not None:
            options[name] = bool(spec[name])
    for name in INT_FIELDS:
        if name in spec and spec[name] is not None:
            options[name] = as_int(spec[name])
    for name in TEXT_FIELDS:
        if name in spec:
            options[name] = None if spec[name] in (None, "") else truncated(spec[name], 255)
    if "allowed_referrers" in spec:
        options["allowed_referrers"] = _referrers(spec["allowed_referrers"])
    if "valid_until" in spec:
        options["valid_until"] = _valid_until(spec["valid_until"])
    if "remote_app_configs" in spec:
        raw = spec["remote_app_configs"]
        if raw in (None, ""):
            options["remote_app_configs"] = None
        else:
            try:
                parsed = json.loads(raw) if isinstance(raw, str) else raw
            except ValueError as exc:
                raise KasmError("Invalid JSON for remote_app_configs", 400) from exc
            if not isinstance(parsed, dict):
                raise KasmError("Invalid JSON for remote_app_configs", 400)
            options["remote_app_configs"] = parsed
    config.options = options
    if "image_id" in spec:
        config.image_id = _reference(call, Image, spec["image_id"], "image_id")
    if "group_id" in spec:
        config.group_id = _reference(call, Group, spec["group_id"], "group_id")
    if spec.get("casting_config_name") is not None:
        config.casting_config_name = truncated(spec["casting_config_name"], 255) or None


def _reference(call: KasmCall, table: type[Image] | type[Group], value: Any, name: str) -> str | None:
    if value in (None, ""):
        return None
    hex_id = parse_id(value)
    if hex_id is None or call.db.get(table, hex_id) is None:
        raise KasmError(f"Invalid Request. Invalid {name} ({value})", 400)
    return hex_id


def _check_unique(call: KasmCall, config: CastConfig) -> None:
    clauses = [CastConfig.key == config.key]
    if config.casting_config_name:
        clauses.append(CastConfig.casting_config_name == config.casting_config_name)
    query = select(CastConfig.cast_config_id).where(or_(*clauses))
    if config.cast_config_id:
        query = query.where(CastConfig.cast_config_id != config.cast_config_id)
    if call.db.scalar(query) is not None:
        raise KasmError(
            f"A Cast config with existing key ({config.key}) OR configuration name ({config.casting_config_name}) "
            "exists. Key/Configuration Name must be unique",
            400,
        )


@endpoints.endpoint(
    "create_cast_config",
    actions=[P.CASTING_CREATE],
    read_only=False,
    request=TargetCastConfigRequest,
    response=CastConfigResponse,
)
def create_cast_config(call: KasmCall) -> dict[str, Any]:
    """Create a cast config (`key` required; `key` and `casting_config_name` unique)."""
    _licensed(call)
    spec = target(call.body, "target_cast_config")
    if spec is None or not spec.get("key"):
        raise KasmError(MISSING_DOT, 400)
    config = CastConfig(key=truncated(spec["key"], 255), options={})
    _apply(call, config, spec)
    _check_unique(call, config)
    if config.image_id is None or not config.casting_config_name:
        # Both columns are NOT NULL in Kasm 1.15, which does not check them first: an IntegrityError.
        raise KasmCrash("cast_configs.image_id / casting_config_name NOT NULL")
    call.db.add(config)
    call.db.flush()
    return {"cast_config": cast_config_out(config)}


@endpoints.endpoint(
    "update_cast_config",
    actions=[P.CASTING_MODIFY],
    read_only=False,
    request=TargetCastConfigRequest,
    response=CastConfigResponse,
)
def update_cast_config(call: KasmCall) -> dict[str, Any]:
    """Change the fields given of a cast config."""
    _licensed(call)
    spec = target(call.body, "target_cast_config")
    if spec is None:
        raise KasmError(MISSING_DOT, 400)
    config = _find(call, spec.get("cast_config_id"))
    if spec.get("key"):
        config.key = truncated(spec["key"], 255)
    _apply(call, config, spec)
    _check_unique(call, config)
    call.db.flush()
    return {"cast_config": cast_config_out(config)}


@endpoints.endpoint(
    "delete_cast_config",
    actions=[P.CASTING_DELETE],
    read_only=False,
    request=CastConfigIdRequest,
    response=Empty,
)
def delete_cast_config(call: KasmCall) -> dict[str, Any]:
    """Delete a cast config."""
    call.db.delete(_find(call, call.body.get("cast_config_id")))
    return {}
