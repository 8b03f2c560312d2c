"""Workspace registries."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel

from .common import EMPTY_LIST, EMPTY_OBJECT, KasmRequest, RowOut


class CreateRegistryRequest(KasmRequest):
    registry: str | None = None
    channel: str | None = None
    override_schema: str | None = None


class RegistryIdRequest(KasmRequest):
    registry_id: str | None = None


class RegistryAutoUpdatesRequest(RegistryIdRequest):
    auto_updates: bool | None = None


class RegistryOut(RowOut):
    registry_id: str
    registry_url: str
    do_auto_update: bool
    schema_version: str
    is_verified: bool
    workspaces: Annotated[list[dict[str, Any]], EMPTY_LIST]
    config: Annotated[dict[str, Any], EMPTY_OBJECT]
    #: Only listed when given on create (newer Kasm clients send them).
    channel: str | None = None
    override_schema: str | None = None


class GetRegistriesResponse(BaseModel):
    registries: list[RegistryOut]
    architectures: list[str]


class RegistryResponse(BaseModel):
    registry: RegistryOut
