"""Staging configs: Kasm 1.15's public staging-config calls (errors are HTTP 400 there).

The configs are stored and served as Kasm does; this server does not actually pre-warm standby
sessions, so `num_current_sessions` stays 0.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from ..endpoints import EndpointGroup, KasmCall
from ..errors import KasmError
from ..ids import parse_id
from ..models.common import Empty, KasmRequest
from ..models.staging_configs import (
    StagingConfigOut,
    StagingConfigResponse,
    StagingConfigsResponse,
    TargetStagingConfigRequest,
)
from ..permissions import Permission as P
from ..storage.tables import Image, Kasm, StagingConfig, Zone
from .common import MISSING_DOT, as_float, as_int, target
from .licenses import effective_license

endpoints = EndpointGroup("staging_configs")

REQUIRED = ("zone_id", "image_id", "num_sessions", "expiration")
FLAGS = (
    "allow_kasm_audio",
    "allow_kasm_uploads",
    "allow_kasm_downloads",
    "allow_kasm_clipboard_down",
    "allow_kasm_clipboard_up",
    "allow_kasm_microphone",
    "allow_kasm_gamepad",
    "allow_kasm_webcam",
    "allow_kasm_printing",
)


def staging_config_out(call: KasmCall, config: StagingConfig) -> dict[str, Any]:
    standby = call.db.scalar(
        select(func.count())
        .select_from(Kasm)
        .where(Kasm.staging_config_id == config.staging_config_id, Kasm.is_standby.is_(True))
    )
    options = dict(config.options or {})
    return StagingConfigOut(
        staging_config_id=config.staging_config_id,
        zone_id=config.zone_id,
        zone_name=config.zone.zone_name,
        image_id=config.image_id,
        image_friendly_name=config.image.friendly_name,
        num_sessions=config.num_sessions,
        num_current_sessions=standby or 0,
        expiration=config.expiration,
        server_pool_id=config.server_pool_id,
        server_pool_name=None,
        autoscale_config_id=config.autoscale_config_id,
        autoscale_config_name=None,
        **{flag: options.get(flag) for flag in FLAGS},
    ).model_dump()


def _licensed(call: KasmCall) -> None:
    if "session_staging" not in effective_license(call.db).features:
        raise KasmError("Access Denied. This feature is not licensed", 400)


def _find(call: KasmCall) -> tuple[StagingConfig, dict[str, Any]]:
    spec = target(call.body, "target_staging_config")
    if spec is None or not spec.get("staging_config_id"):
        raise KasmError(MISSING_DOT, 400)
    config_id = parse_id(spec["staging_config_id"])
    config = call.db.get(StagingConfig, config_id) if config_id else None
    if config is None:
        raise KasmError(f"Staging config with id ({spec['staging_config_id']}) does not exist", 400)
    return config, spec


@endpoints.endpoint(
    "get_staging_configs",
    actions=[P.STAGING_VIEW],
    read_only=True,
    request=KasmRequest,
    response=StagingConfigsResponse,
)
def get_staging_configs(call: KasmCall) -> dict[str, Any]:
    """Every staging config."""
    rows = call.db.scalars(select(StagingConfig).order_by(StagingConfig.staging_config_id))
    return {"staging_configs": [staging_config_out(call, c) for c in rows]}


@endpoints.endpoint(
    "get_staging_config",
    actions=[P.STAGING_VIEW],
    read_only=True,
    request=TargetStagingConfigRequest,
    response=StagingConfigResponse,
)
def get_staging_config(call: KasmCall) -> dict[str, Any]:
    """One staging config by `target_staging_config.staging_config_id`."""
    config, _spec = _find(call)
    return {"staging_config": staging_config_out(call, config)}


def _reference(call: KasmCall, table: type[Zone] | type[Image], value: Any, name: str) -> str:
    hex_id = parse_id(value)
    if hex_id is None or call.db.get(table, hex_id) is None:
        raise KasmError(f"Invalid Request. Invalid {name} ({value})", 400)
    return hex_id


def _apply(call: KasmCall, config: StagingConfig, spec: dict[str, Any]) -> None:
    if spec.get("zone_id"):
        config.zone_id = _reference(call, Zone, spec["zone_id"], "zone_id")
    if spec.get("image_id"):
        config.image_id = _reference(call, Image, spec["image_id"], "image_id")
    if spec.get("num_sessions") is not None:
        config.num_sessions = as_int(spec["num_sessions"])
        if config.num_sessions < 0:
            raise KasmError("Invalid Request. num_sessions must not be negative", 400)
    if spec.get("expiration") is not None:
        config.expiration = as_float(spec["expiration"])
    for name in ("server_pool_id", "autoscale_config_id"):
        if spec.get(name):
            # No server pools or autoscale configs exist on this server.
            raise KasmError(f"Invalid Request. Invalid {name} ({spec[name]})", 400)
        # Kasm 1.15's update sets both from the request: one left out is cleared.
        setattr(config, name, None)
    options = dict(config.options or {})
    for flag in FLAGS:
        if flag in spec:
            options[flag] = None if spec[flag] is None else bool(spec[flag])
    config.options = options


def _check_unique(call: KasmCall, config: StagingConfig) -> None:
    query = select(StagingConfig.staging_config_id).where(
        StagingConfig.zone_id == config.zone_id, StagingConfig.image_id == config.image_id
    )
    if config.staging_config_id:
        query = query.where(StagingConfig.staging_config_id != config.staging_config_id)
    if call.db.scalar(query) is not None:
        raise KasmError("A staging config already exists for this zone and image", 400)


@endpoints.endpoint(
    "create_staging_config",
    actions=[P.STAGING_CREATE],
    read_only=False,
    request=TargetStagingConfigRequest,
    response=StagingConfigResponse,
)
def create_staging_config(call: KasmCall) -> dict[str, Any]:
    """Create a staging config (`zone_id`, `image_id`, `num_sessions`, `expiration`; one per zone and image)."""
    _licensed(call)
    spec = target(call.body, "target_staging_config")
    if spec is None or any(spec.get(key) in (None, "") for key in REQUIRED):
        raise KasmError(MISSING_DOT, 400)
    config = StagingConfig(options={})
    _apply(call, config, spec)
    _check_unique(call, config)
    call.db.add(config)
    call.db.flush()
    return {"staging_config": staging_config_out(call, config)}


@endpoints.endpoint(
    "update_staging_config",
    actions=[P.STAGING_MODIFY],
    read_only=False,
    request=TargetStagingConfigRequest,
    response=StagingConfigResponse,
)
def update_staging_config(call: KasmCall) -> dict[str, Any]:
    """Change the fields given of a staging config."""
    _licensed(call)
    config, spec = _find(call)
    _apply(call, config, spec)
    _check_unique(call, config)
    call.db.flush()
    return {"staging_config": staging_config_out(call, config)}


@endpoints.endpoint(
    "delete_staging_config",
    actions=[P.STAGING_DELETE],
    read_only=False,
    request=TargetStagingConfigRequest,
    response=Empty,
)
def delete_staging_config(call: KasmCall) -> dict[str, Any]:
    """Delete a staging config."""
    config, _spec = _find(call)
    call.db.delete(config)
    return {}
