"""Staging configs: Kasm 1.15's public staging-config calls (errors are HTTP 400 there).

The configs are stored and served as Kasm does; this server does not actually pre-warm standby
sessions, so `num_current_sessions` stays 0.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from ..endpoints import EndpointGroup, KasmCall
from ..errors import KasmError
from ..models.common import Empty, KasmRequest
from ..models.staging_configs import (
    StagingConfigOut,
    StagingConfigResponse,
    StagingConfigsResponse,
    TargetStagingConfigRequest,
)
from ..permissions import Permission as P
from ..storage.tables import Image, Kasm, StagingConfig, Zone
from .common import MISSING_DOT, as_float, as_int, reference, require_row, target
from .licenses import effective_license

endpoints = EndpointGroup("staging_configs")

REQUIRED = ("zone_id", "image_id", "num_sessions", "expiration")
# Kept in `staging_configs.options` (the model's `allow_kasm_*` fields).
FLAGS = tuple(name for name in StagingConfigOut.model_fields if name.startswith("allow_kasm_"))


def staging_config_out(call: KasmCall, config: StagingConfig) -> dict[str, Any]:
    standby = call.db.scalar(
        select(func.count())
        .select_from(Kasm)
        .where(Kasm.staging_config_id == config.staging_config_id, Kasm.is_standby.is_(True))
    )
    return StagingConfigOut.dump(config, num_current_sessions=standby or 0, **(config.options or {}))


def _licensed(call: KasmCall) -> None:
    if "session_staging" not in effective_license(call.db).features:
        raise KasmError("Access Denied. This feature is not licensed", 400)


def _find(call: KasmCall) -> tuple[StagingConfig, dict[str, Any]]:
    spec = target(call.body, "target_staging_config")
    config = require_row(
        call,
        StagingConfig,
        "target_staging_config.staging_config_id",
        MISSING_DOT,
        "Staging config with id ({value}) does not exist",
        status=400,
    )
    return config, spec


@endpoints.read_only([P.STAGING_VIEW], KasmRequest, StagingConfigsResponse)
def get_staging_configs(call: KasmCall) -> dict[str, Any]:
    """Every staging config."""
    rows = call.db.scalars(select(StagingConfig).order_by(StagingConfig.staging_config_id))
    return {"staging_configs": [staging_config_out(call, c) for c in rows]}


@endpoints.read_only([P.STAGING_VIEW], TargetStagingConfigRequest, StagingConfigResponse)
def get_staging_config(call: KasmCall) -> dict[str, Any]:
    """One staging config by `target_staging_config.staging_config_id`."""
    config, _spec = _find(call)
    return {"staging_config": staging_config_out(call, config)}


def _apply(call: KasmCall, config: StagingConfig, spec: dict[str, Any]) -> None:
    if spec.get("zone_id"):
        config.zone_id = reference(call.db, Zone, spec["zone_id"], "zone_id")
    if spec.get("image_id"):
        config.image_id = reference(call.db, Image, spec["image_id"], "image_id")
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


@endpoints.read_write([P.STAGING_CREATE], TargetStagingConfigRequest, StagingConfigResponse)
def create_staging_config(call: KasmCall) -> dict[str, Any]:
    """Create a staging config (`zone_id`, `image_id`, `num_sessions`, `expiration`; one per zone and image)."""
    _licensed(call)
    spec = target(call.body, "target_staging_config")
    if any(spec.get(key) in (None, "") for key in REQUIRED):
        raise KasmError(MISSING_DOT, 400)
    config = StagingConfig(options={})
    _apply(call, config, spec)
    _check_unique(call, config)
    call.db.add(config)
    call.db.flush()
    return {"staging_config": staging_config_out(call, config)}


@endpoints.read_write([P.STAGING_MODIFY], TargetStagingConfigRequest, StagingConfigResponse)
def update_staging_config(call: KasmCall) -> dict[str, Any]:
    """Change the fields given of a staging config."""
    _licensed(call)
    config, spec = _find(call)
    _apply(call, config, spec)
    _check_unique(call, config)
    call.db.flush()
    return {"staging_config": staging_config_out(call, config)}


@endpoints.read_write([P.STAGING_DELETE], TargetStagingConfigRequest, Empty)
def delete_staging_config(call: KasmCall) -> dict[str, Any]:
    """Delete a staging config."""
    config, _spec = _find(call)
    call.db.delete(config)
    return {}
