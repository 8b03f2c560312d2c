"""Workspace registries."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from .common import KasmRequest


class GetRegistriesRequest(KasmRequest):
    pass


class CreateRegistryRequest(KasmRequest):
    registry: str | None = None


class RegistryIdRequest(KasmRequest):
    registry_id: str | None = None


class RegistryAutoUpdatesRequest(RegistryIdRequest):
    auto_updates: bool | None = None


class RegistryOut(BaseModel):
    registry_id: str
    registry_url: str
    do_auto_update: bool
    schema_version: str
    is_verified: bool
    workspaces: list[dict[str, Any]]
    config: dict[str, Any]


class GetRegistriesResponse(BaseModel):
    registries: list[RegistryOut]
    architectures: list[str]


class RegistryResponse(BaseModel):
    registry: RegistryOut
