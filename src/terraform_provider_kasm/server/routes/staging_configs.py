"""Staging configs (documented public calls; errors are HTTP 400)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..endpoints import EndpointGroup, KasmCall
from ..models.common import Empty, KasmRequest
from ..models.staging_configs import StagingConfigResponse, StagingConfigsResponse, TargetStagingConfigRequest
from ..permissions import Permission as P
from ..services import staging_configs

endpoints = EndpointGroup("staging_configs")


@endpoints.endpoint(
    "get_staging_configs",
    actions=[P.STAGING_VIEW],
    read_only=True,
    request=KasmRequest,
    response=StagingConfigsResponse,
)
def get_staging_configs(call: KasmCall) -> Mapping[str, Any]:
    """Every staging config."""
    return staging_configs.get_staging_configs(call)


@endpoints.endpoint(
    "get_staging_config",
    actions=[P.STAGING_VIEW],
    read_only=True,
    request=TargetStagingConfigRequest,
    response=StagingConfigResponse,
)
def get_staging_config(call: KasmCall) -> Mapping[str, Any]:
    """One staging config by `target_staging_config.staging_config_id`."""
    return staging_configs.get_staging_config(call)


@endpoints.endpoint(
    "create_staging_config",
    actions=[P.STAGING_CREATE],
    read_only=False,
    request=TargetStagingConfigRequest,
    response=StagingConfigResponse,
)
def create_staging_config(call: KasmCall) -> Mapping[str, Any]:
    """Create a staging config (`zone_id`, `image_id`, `num_sessions`, `expiration`; one per zone and image)."""
    return staging_configs.create_staging_config(call)


@endpoints.endpoint(
    "update_staging_config",
    actions=[P.STAGING_MODIFY],
    read_only=False,
    request=TargetStagingConfigRequest,
    response=StagingConfigResponse,
)
def update_staging_config(call: KasmCall) -> Mapping[str, Any]:
    """Change the fields given of a staging config."""
    return staging_configs.update_staging_config(call)


@endpoints.endpoint(
    "delete_staging_config",
    actions=[P.STAGING_DELETE],
    read_only=False,
    request=TargetStagingConfigRequest,
    response=Empty,
)
def delete_staging_config(call: KasmCall) -> Mapping[str, Any]:
    """Delete a staging config."""
    return staging_configs.delete_staging_config(call)
