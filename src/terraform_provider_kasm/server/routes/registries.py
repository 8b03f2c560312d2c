"""Workspace registries (admin calls reachable through the API)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..endpoints import EndpointGroup, KasmCall
from ..models.common import Empty
from ..models.registries import (
    CreateRegistryRequest,
    GetRegistriesRequest,
    GetRegistriesResponse,
    RegistryAutoUpdatesRequest,
    RegistryIdRequest,
    RegistryResponse,
)
from ..permissions import Permission as P
from ..services import registries

endpoints = EndpointGroup("registries")


@endpoints.endpoint(
    "get_registries",
    actions=[P.REGISTRIES_VIEW],
    read_only=True,
    request=GetRegistriesRequest,
    response=GetRegistriesResponse,
)
def get_registries(call: KasmCall) -> Mapping[str, Any]:
    """The installed registries with their workspaces."""
    return registries.get_registries(call)


@endpoints.endpoint(
    "create_registry",
    actions=[P.REGISTRIES_CREATE],
    read_only=False,
    request=CreateRegistryRequest,
    response=RegistryResponse,
)
def create_registry(call: KasmCall) -> Mapping[str, Any]:
    """Install the registry at `registry` (offline: `file://` registries only; see DESIGN.md)."""
    return registries.create_registry(call)


@endpoints.endpoint(
    "update_registry",
    actions=[P.REGISTRIES_MODIFY],
    read_only=False,
    request=RegistryIdRequest,
    response=RegistryResponse,
)
def update_registry(call: KasmCall) -> Mapping[str, Any]:
    """Re-read a registry's workspace list."""
    return registries.update_registry(call)


@endpoints.endpoint(
    "registry_auto_updates",
    actions=[P.REGISTRIES_MODIFY],
    read_only=False,
    request=RegistryAutoUpdatesRequest,
    response=RegistryResponse,
)
def registry_auto_updates(call: KasmCall) -> Mapping[str, Any]:
    """Turn a registry's automatic updates on or off."""
    return registries.registry_auto_updates(call)


@endpoints.endpoint(
    "delete_registry",
    actions=[P.REGISTRIES_DELETE],
    read_only=False,
    request=RegistryIdRequest,
    response=Empty,
)
def delete_registry(call: KasmCall) -> Mapping[str, Any]:
    """Uninstall a registry (images installed from it stay)."""
    return registries.delete_registry(call)
