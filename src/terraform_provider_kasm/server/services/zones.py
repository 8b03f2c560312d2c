"""Deployment zones: Kasm 1.15's admin zone calls (errors are HTTP 200 with `error_message`).

This server has one simulated manager, in the seeded default zone (`zones.local_manager`), and one
simulated agent every session runs on, whose capacity the zones of the sessions share (`available_*`
in `get_zones`). As in Kasm, a zone with a manager or servers cannot be deleted: the default zone,
and a zone while sessions run in it (on the agent, its one server then).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..constants import LOCAL_AGENT_HOSTNAME, LOCAL_AGENT_ID, LOCAL_MANAGER_HOSTNAME, LOCAL_MANAGER_ID
from ..endpoints import EndpointGroup, KasmCall
from ..errors import KasmError
from ..ids import dashed
from ..models.common import Empty
from ..models.zones import (
    GetZonesRequest,
    GetZonesResponse,
    ListedZoneOut,
    TargetZoneRequest,
    ZoneOut,
    ZoneResponse,
)
from ..permissions import Permission as P
from ..storage.tables import Kasm, Zone
from .common import MISSING_DOT, as_int, assign, require_row, target, truncated

endpoints = EndpointGroup("zones")

AGENT_CORES = 16.0
AGENT_MEMORY = 64_000_000_000
AGENT_GPUS = 0
TEXT_FIELDS = (
    "allow_origin_domain",
    "upstream_auth_address",
    "proxy_hostname",
    "proxy_path",
    "load_strategy",
)
BOOL_FIELDS = ("proxy_connections", "prioritize_static_agents", "search_alternate_zones")


def _managers(zone: Zone) -> dict[str, Any]:
    """The zone's manager keys (`ZoneOut`'s defaults: none): this server's one manager is in the
    seeded default zone."""
    if not zone.local_manager:
        return {}
    manager = {"manager_id": LOCAL_MANAGER_ID, "manager_hostname": LOCAL_MANAGER_HOSTNAME}
    primary = {**manager, "zone_id": zone.zone_id}
    return {"primary_manager_id": LOCAL_MANAGER_ID, "primary_manager": primary, "managers": [manager]}


@endpoints.read_only([P.ZONES_VIEW], GetZonesRequest, GetZonesResponse)
def get_zones(call: KasmCall) -> dict[str, Any]:
    """Every zone, by name, with capacity figures (and servers unless `brief`)."""
    brief = bool(call.body.get("brief"))
    used = {
        zone_id: (count, cores or 0.0, memory or 0, gpus or 0)
        for zone_id, count, cores, memory, gpus in call.db.execute(
            select(
                Kasm.zone_id, func.count(), func.sum(Kasm.cores), func.sum(Kasm.memory), func.sum(Kasm.gpus)
            ).group_by(Kasm.zone_id)
        )
    }
    zones = []
    for zone in call.db.scalars(select(Zone).order_by(Zone.zone_name)):
        count, cores, memory, gpus = used.get(zone.zone_id, (0, 0.0, 0, 0))
        listed = ListedZoneOut.dump(
            zone,
            num_kasms=count,
            available_cores=max(0.0, AGENT_CORES - float(cores)),
            available_memory=max(0, AGENT_MEMORY - int(memory)),
            available_gpus=max(0, AGENT_GPUS - int(gpus)),
            **_managers(zone),
        )
        if not brief:
            server = {"server_id": LOCAL_AGENT_ID, "hostname": LOCAL_AGENT_HOSTNAME, "enabled": True}
            listed["servers"] = [{**server, "zone_id": zone.zone_id}][: _servers(zone, count)]
        zones.append(listed)
    return {"zones": zones}


def _servers(zone: Zone, sessions: int) -> int:
    """How many servers Kasm would list for the zone: the agent, in the manager's zone or where
    sessions run."""
    return 1 if zone.local_manager or sessions else 0


def _apply(zone: Zone, spec: dict[str, Any]) -> None:
    assign(zone, spec, TEXT_FIELDS, lambda value: truncated(value, 255))
    assign(zone, spec, BOOL_FIELDS, bool)
    if spec.get("proxy_port") is not None:
        zone.proxy_port = as_int(spec["proxy_port"])


def _name_taken(call: KasmCall, name: str, zone_id: str | None = None) -> bool:
    query = select(Zone.zone_id).where(Zone.zone_name == name)
    if zone_id is not None:
        query = query.where(Zone.zone_id != zone_id)
    return call.db.scalar(query) is not None


@endpoints.read_write([P.ZONES_CREATE], TargetZoneRequest, ZoneResponse)
def create_zone(call: KasmCall) -> dict[str, Any]:
    """Create a zone (`zone_name` unique)."""
    spec = target(call.body, "target_zone")
    if not spec.get("zone_name"):
        raise KasmError(MISSING_DOT)
    name = truncated(spec["zone_name"], 255)
    if _name_taken(call, name):
        raise KasmError(f"Zone ({name}) already exists")
    zone = Zone(zone_name=name)
    _apply(zone, spec)
    call.db.add(zone)
    call.db.flush()
    return {"zone": ZoneOut.dump(zone, **_managers(zone))}


@endpoints.read_write([P.ZONES_MODIFY], TargetZoneRequest, ZoneResponse)
def update_zone(call: KasmCall) -> dict[str, Any]:
    """Change the fields given of a zone."""
    spec = target(call.body, "target_zone")
    zone = require_row(
        call,
        Zone,
        "target_zone.zone_id",
        MISSING_DOT,
        "Invalid Request. Zone does not exit by that id",
        invalid="Invalid Request. zone_id must be a uuid",
    )
    if spec.get("zone_name"):
        name = truncated(spec["zone_name"], 255)
        if _name_taken(call, name, zone.zone_id):
            raise KasmError(f"Zone ({name}) already exists")
        zone.zone_name = name
    _apply(zone, spec)
    try:
        call.db.flush()
    except IntegrityError as exc:
        raise KasmError(f"Zone ({zone.zone_name}) already exists") from exc
    return {"zone": ZoneOut.dump(zone, **_managers(zone))}


@endpoints.read_write([P.ZONES_DELETE], TargetZoneRequest, Empty)
def delete_zone(call: KasmCall) -> dict[str, Any]:
    """Delete a zone."""
    zone = require_row(
        call,
        Zone,
        "target_zone.zone_id",
        MISSING_DOT,
        "Zone ({value}) Does not Exist",
        invalid="Invalid Request: manager_id must be a uuid",
    )
    managers = len(_managers(zone).get("managers", []))
    if managers:
        raise KasmError(
            f"Zone ({dashed(zone.zone_id)}): ({zone.zone_name}) is in use by ({managers}) managers "
            "and cannot be deleted"
        )
    sessions = call.db.scalar(select(func.count()).select_from(Kasm).where(Kasm.zone_id == zone.zone_id))
    servers = _servers(zone, sessions or 0)
    if servers:
        raise KasmError(
            f"Zone ({dashed(zone.zone_id)}): ({zone.zone_name}) is in use by ({servers}) servers "
            "and cannot be deleted"
        )
    # Images restricted to the zone lose the restriction's target; its staging configs go with it.
    call.db.delete(zone)
    return {}
