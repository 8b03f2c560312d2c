"""Cast configs: Kasm 1.15's public cast-config calls (errors are HTTP 400 there, `public=True`)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select

from ..endpoints import EndpointGroup, KasmCall
from ..errors import KasmCrash, KasmError
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
from .common import MISSING_DOT, as_int, kasm_time, parse_multiline, reference, require_row, target, truncated
from .licenses import effective_license

endpoints = EndpointGroup("cast_configs")

# The option flags (the model's bool fields), numbers and texts kept in `cast_configs.options`.
BOOL_FIELDS = tuple(name for name, field in CastConfigOut.model_fields.items() if field.annotation is bool)
INT_FIELDS = ("session_remaining", "ip_request_limit", "ip_request_seconds")
TEXT_FIELDS = ("error_url", "kasm_url")


def cast_config_out(config: CastConfig) -> dict[str, Any]:
    return CastConfigOut.dump(config, **(config.options or {}))


def _licensed(call: KasmCall) -> None:
    if "session_casting" not in effective_license(call.db).features:
        raise KasmError("Access Denied. This feature is not licensed", 400)


def _find(call: KasmCall, where: str) -> CastConfig:
    """The cast config `where` names (`cast_config_id` or `target_cast_config.cast_config_id`)."""
    return require_row(
        call, CastConfig, where, MISSING_DOT, "Cast config with id ({value}) does not exist", status=400
    )


@endpoints.read_only([P.CASTING_VIEW], KasmRequest, CastConfigsResponse)
def get_cast_configs(call: KasmCall) -> dict[str, Any]:
    """Every cast config, by key."""
    rows = call.db.scalars(select(CastConfig).order_by(CastConfig.key))
    return {"cast_configs": [cast_config_out(c) for c in rows]}


@endpoints.read_only([P.CASTING_VIEW], CastConfigIdRequest, CastConfigResponse)
def get_cast_config(call: KasmCall) -> dict[str, Any]:
    """One cast config by `cast_config_id`."""
    return {"cast_config": cast_config_out(_find(call, "cast_config_id"))}


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
    for key, table in (("image_id", Image), ("group_id", Group)):
        if key in spec:
            value = spec[key]
            setattr(config, key, None if value in (None, "") else reference(call.db, table, value, key))
    if spec.get("casting_config_name") is not None:
        config.casting_config_name = truncated(spec["casting_config_name"], 255) or None


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


@endpoints.read_write([P.CASTING_CREATE], TargetCastConfigRequest, CastConfigResponse)
def create_cast_config(call: KasmCall) -> dict[str, Any]:
    """Create a cast config (`key` required; `key` and `casting_config_name` unique)."""
    _licensed(call)
    spec = target(call.body, "target_cast_config")
    if not spec.get("key"):
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


@endpoints.read_write([P.CASTING_MODIFY], TargetCastConfigRequest, CastConfigResponse)
def update_cast_config(call: KasmCall) -> dict[str, Any]:
    """Change the fields given of a cast config."""
    _licensed(call)
    spec = target(call.body, "target_cast_config")
    if not spec:
        raise KasmError(MISSING_DOT, 400)
    config = _find(call, "target_cast_config.cast_config_id")
    if spec.get("key"):
        config.key = truncated(spec["key"], 255)
    _apply(call, config, spec)
    _check_unique(call, config)
    call.db.flush()
    return {"cast_config": cast_config_out(config)}


@endpoints.read_write([P.CASTING_DELETE], CastConfigIdRequest, Empty)
def delete_cast_config(call: KasmCall) -> dict[str, Any]:
    """Delete a cast config."""
    call.db.delete(_find(call, "cast_config_id"))
    return {}
