"""``kasm_zones``: Kasm's deployment zones (``get_zones``), by name."""

from __future__ import annotations

from typing import Any

from ...client.models import Zone
from ...tfplugin import schema as s
from ...tfplugin.resource import DataSource, ResourceContext
from ...tfplugin.types import Bool, List, Number, Object, String
from ..context import kasm
from ..helpers import api_errors
from ..resources.zone import ZoneResource, state_of


def _field(type_: Any, markdown: str) -> s.Attribute:
    return s.Attribute(type_, computed=True, markdown_description=markdown)


_RESOURCE = ZoneResource.schema.attributes
ZONE_ATTRIBUTES: dict[str, s.Attribute] = {
    "id": _field(String, "The zone id (Kasm's `zone_id`, 32 hex digits)."),
    "name": _field(String, "The zone name (Kasm's `zone_name`)."),
    **{
        name: _field(a.value_type, a.markdown_description or "")
        for name, a in _RESOURCE.items()
        if name not in ("id", "name")
    },
    "managers": _field(List(String), "The host names of the managers in the zone."),
    "servers": _field(
        List(String), "The host names of the zone's servers (agents); empty when `brief` is true."
    ),
    "num_kasms": _field(Number, "The number of sessions in the zone."),
    "available_cores": _field(Number, "CPU cores still free on the zone's agents."),
    "available_memory": _field(Number, "Memory still free on the zone's agents, in bytes."),
    "available_gpus": _field(Number, "GPUs still free on the zone's agents."),
}


def _names(items: Any, key: str) -> list[str]:
    if not isinstance(items, list):
        return []
    return [str(i[key]) for i in items if isinstance(i, dict) and i.get(key) is not None]


def zone_values(zone: Zone) -> dict[str, Any]:
    raw = zone.raw
    return {
        **state_of(zone),
        "managers": _names(raw.get("managers"), "manager_hostname"),
        "servers": _names(raw.get("servers"), "hostname"),
        "num_kasms": zone.num_kasms,
        "available_cores": raw.get("available_cores"),
        "available_memory": raw.get("available_memory"),
        "available_gpus": raw.get("available_gpus"),
    }


class ZonesDataSource(DataSource):
    type_name = "kasm_zones"
    schema = s.Schema(
        markdown_description=(
            "Kasm's deployment zones, ordered by name, with their settings (as on `kasm_zone`), "
            "their managers and servers and the capacity left on their agents."
        ),
        attributes={
            "brief": s.Attribute(
                Bool,
                optional=True,
                markdown_description=(
                    "Leave the servers out (Kasm's `brief`; `servers` is then empty). Default: `false`."
                ),
            ),
            "id": _field(String, "`zones`, or `zones-brief` with `brief = true`."),
            # A list of objects rather than nested attributes: Terraform 1.0 cannot index a computed
            # nested-attribute list.
            "zones": s.Attribute(
                List(Object({name: a.value_type for name, a in ZONE_ATTRIBUTES.items()})),
                computed=True,
                markdown_description="The zones. Each zone has:\n\n"
                + "\n".join(
                    f"  * `{name}` - {a.markdown_description}" for name, a in ZONE_ATTRIBUTES.items()
                ),
            ),
        },
    )

    def read(self, ctx: ResourceContext, config: dict[str, Any]) -> dict[str, Any]:
        data = kasm(ctx)
        brief = bool(config.get("brief"))
        with api_errors("Could not read the zones"):
            # The listing resources share (with servers); brief leaves them out as Kasm's brief does.
            zones = data.zones()
        ordered = sorted(zones, key=lambda z: (z.zone_name, z.zone_id))
        values = [zone_values(z) for z in ordered]
        if brief:
            values = [{**v, "servers": []} for v in values]
        return {"brief": config.get("brief"), "id": "zones-brief" if brief else "zones", "zones": values}
