"""Deployment zones (admin calls reachable through the API)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..endpoints import EndpointGroup, KasmCall
from ..models.common import Empty
from ..models.zones import GetZonesRequest, GetZonesResponse, TargetZoneRequest, ZoneResponse
from ..permissions import Permission as P
from ..services import zones

endpoints = EndpointGroup("zones")


@endpoints.endpoint(
    "get_zones", actions=[P.ZONES_VIEW], read_only=True, request=GetZonesRequest, response=GetZonesResponse
)
def get_zones(call: KasmCall) -> Mapping[str, Any]:
    """Every zone, by name, with capacity figures (and servers unless `brief`)."""
    return zones.get_zones(call)


@endpoints.endpoint(
    "create_zone", actions=[P.ZONES_CREATE], read_only=False, request=TargetZoneRequest, response=ZoneResponse
)
def create_zone(call: KasmCall) -> Mapping[str, Any]:
    """Create a zone (`zone_name` unique)."""
    return zones.create_zone(call)


@endpoints.endpoint(
    "update_zone", actions=[P.ZONES_MODIFY], read_only=False, request=TargetZoneRequest, response=ZoneResponse
)
def update_zone(call: KasmCall) -> Mapping[str, Any]:
    """Change the fields given of a zone."""
    return zones.update_zone(call)


@endpoints.endpoint(
    "delete_zone", actions=[P.ZONES_DELETE], read_only=False, request=TargetZoneRequest, response=Empty
)
def delete_zone(call: KasmCall) -> Mapping[str, Any]:
    """Delete a zone."""
    return zones.delete_zone(call)
