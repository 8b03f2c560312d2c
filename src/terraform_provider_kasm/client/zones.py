"""Deployment zones: ``client.zones`` (reference §2.6)."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import Any

from . import convert, errors
from ._area import Area, ignore_missing, member, members
from .models import Zone, ZoneSpec


class Zones(Area):
    def _list_json(self, brief: bool = True) -> builtins.list[Mapping[str, Any]]:
        return members("get_zones", self._call("get_zones", {"brief": brief}, idempotent=True), "zones")

    def list(self, *, brief: bool = False) -> builtins.list[Zone]:
        """Every zone (``get_zones``; *Zones View*). ``brief`` leaves out the servers."""
        return [Zone.from_json(z) for z in self._list_json(brief)]

    def find(self, zone_id: str | None = None, *, name: str | None = None) -> Zone | None:
        """The zone with this id (or ``zone_name``), or None."""
        if zone_id is not None:
            wanted = convert.require_id(zone_id, "zone_id")
            return next((z for z in self.list(brief=True) if z.zone_id == wanted), None)
        if name is not None:
            return next((z for z in self.list(brief=True) if z.zone_name == name), None)
        raise ValueError("give zone_id or name")

    def get(self, zone_id: str) -> Zone:
        """The zone with this id; NotFound otherwise (*Zones View*)."""
        found = self.find(zone_id)
        if found is None:
            raise errors.NotFound("get_zones", 200, f"Zone ({zone_id}) Does not Exist", kind="zone")
        return found

    def create(self, spec: ZoneSpec) -> Zone:
        """Create a zone (``create_zone``; *Zones Create*). Names are unique: Conflict if taken;
        looked up by name before any retry."""

        def lookup() -> dict[str, Any] | None:
            found = next((z for z in self._list_json() if z.get("zone_name") == spec.zone_name), None)
            return {"zone": found} if found is not None else None

        data = self._create(
            "create_zone", {"target_zone": spec.to_json()}, what=f"Zone ({spec.zone_name})", lookup=lookup
        )
        return Zone.from_json(member("create_zone", data, "zone"))

    def update(self, zone_id: str, spec: ZoneSpec) -> Zone:
        """Change a zone (``update_zone``; *Zones Modify*)."""
        target = {**spec.to_json(), "zone_id": convert.require_id(zone_id, "zone_id")}
        data = self._call("update_zone", {"target_zone": target}, idempotent=True)
        return Zone.from_json(member("update_zone", data, "zone"))

    def delete(self, zone_id: str, *, missing_ok: bool = False) -> None:
        """Delete a zone (``delete_zone``; *Zones Delete*); Conflict while managers use it."""
        body = {"target_zone": {"zone_id": convert.require_id(zone_id, "zone_id")}}
        ignore_missing(lambda: self._call("delete_zone", body, idempotent=True), missing_ok)
