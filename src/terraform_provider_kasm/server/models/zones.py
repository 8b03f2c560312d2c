"""Deployment zones."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from .common import KasmRequest, OpenModel, RowOut


class TargetZone(OpenModel):
    zone_id: str | None = None
    zone_name: str | None = None
    allow_origin_domain: str | None = None
    upstream_auth_address: str | None = None
    proxy_connections: bool | None = None
    proxy_hostname: str | None = None
    proxy_path: str | None = None
    proxy_port: int | None = None
    load_strategy: str | None = None
    prioritize_static_agents: bool | None = None
    search_alternate_zones: bool | None = None


class GetZonesRequest(KasmRequest):
    brief: bool | None = None


class TargetZoneRequest(KasmRequest):
    target_zone: TargetZone | None = None


class ZoneOut(RowOut):
    zone_id: str
    zone_name: str
    # The manager keys of a zone without one.
    primary_manager_id: str | None = None
    primary_manager: dict[str, Any] | None = None
    managers: list[dict[str, Any]] = []
    allow_origin_domain: str | None
    upstream_auth_address: str | None
    proxy_connections: bool
    proxy_hostname: str | None
    proxy_path: str | None
    proxy_port: int
    load_strategy: str
    prioritize_static_agents: bool
    search_alternate_zones: bool


class ListedZoneOut(ZoneOut):
    """`get_zones` adds capacity figures, and the servers unless `brief`."""

    model_config = ConfigDict(extra="allow")

    num_kasms: int
    available_cores: float
    available_memory: int
    available_gpus: int


class GetZonesResponse(BaseModel):
    zones: list[ListedZoneOut]


class ZoneResponse(BaseModel):
    zone: ZoneOut
