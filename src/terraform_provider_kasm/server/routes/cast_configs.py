"""Cast configs (documented public calls; errors are HTTP 400)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..endpoints import EndpointGroup, KasmCall
from ..models.cast_configs import (
    CastConfigIdRequest,
    CastConfigResponse,
    CastConfigsResponse,
    TargetCastConfigRequest,
)
from ..models.common import Empty, KasmRequest
from ..permissions import Permission as P
from ..services import cast_configs

endpoints = EndpointGroup("cast_configs")


@endpoints.endpoint(
    "get_cast_configs",
    actions=[P.CASTING_VIEW],
    read_only=True,
    request=KasmRequest,
    response=CastConfigsResponse,
)
def get_cast_configs(call: KasmCall) -> Mapping[str, Any]:
    """Every cast config, by key."""
    return cast_configs.get_cast_configs(call)


@endpoints.endpoint(
    "get_cast_config",
    actions=[P.CASTING_VIEW],
    read_only=True,
    request=CastConfigIdRequest,
    response=CastConfigResponse,
)
def get_cast_config(call: KasmCall) -> Mapping[str, Any]:
    """One cast config by `cast_config_id`."""
    return cast_configs.get_cast_config(call)


@endpoints.endpoint(
    "create_cast_config",
    actions=[P.CASTING_CREATE],
    read_only=False,
    request=TargetCastConfigRequest,
    response=CastConfigResponse,
)
def create_cast_config(call: KasmCall) -> Mapping[str, Any]:
    """Create a cast config (`key` required; `key` and `casting_config_name` unique)."""
    return cast_configs.create_cast_config(call)


@endpoints.endpoint(
    "update_cast_config",
    actions=[P.CASTING_MODIFY],
    read_only=False,
    request=TargetCastConfigRequest,
    response=CastConfigResponse,
)
def update_cast_config(call: KasmCall) -> Mapping[str, Any]:
    """Change the fields given of a cast config."""
    return cast_configs.update_cast_config(call)


@endpoints.endpoint(
    "delete_cast_config",
    actions=[P.CASTING_DELETE],
    read_only=False,
    request=CastConfigIdRequest,
    response=Empty,
)
def delete_cast_config(call: KasmCall) -> Mapping[str, Any]:
    """Delete a cast config."""
    return cast_configs.delete_cast_config(call)
