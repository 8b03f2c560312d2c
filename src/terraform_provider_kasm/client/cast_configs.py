"""Casting (kiosk link) configurations: ``client.cast_configs`` (reference §2.7)."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import Any

from . import convert
from ._area import Area, ignore_missing, member, members
from .models import CastConfig, CastConfigSpec


class CastConfigs(Area):
    def _list_json(self) -> builtins.list[Mapping[str, Any]]:
        data = self._call("get_cast_configs", {}, idempotent=True)
        return members("get_cast_configs", data, "cast_configs")

    def list(self) -> builtins.list[CastConfig]:
        """Every cast config (``get_cast_configs``; *Casting View*)."""
        return [CastConfig.from_json(c) for c in self._list_json()]

    def get(self, cast_config_id: str) -> CastConfig:
        """One cast config; NotFound if gone (``get_cast_config``; *Casting View*)."""
        body = {"cast_config_id": convert.require_id(cast_config_id, "cast_config_id")}
        data = self._call("get_cast_config", body, idempotent=True)
        return CastConfig.from_json(member("get_cast_config", data, "cast_config"))

    def create(self, spec: CastConfigSpec) -> CastConfig:
        """Create a cast config (``create_cast_config``; *Casting Create*). ``key`` and
        ``casting_config_name`` are unique (Conflict); looked up by key before any retry."""

        def lookup() -> dict[str, Any] | None:
            found = next((c for c in self._list_json() if c.get("key") == spec.key), None)
            return {"cast_config": found} if found is not None else None

        data = self._create(
            "create_cast_config",
            {"target_cast_config": spec.to_json()},
            what=f"Cast config with key ({spec.key})",
            lookup=lookup,
        )
        return CastConfig.from_json(member("create_cast_config", data, "cast_config"))

    def update(self, cast_config_id: str, spec: CastConfigSpec) -> CastConfig:
        """Change a cast config (``update_cast_config``; *Casting Modify*)."""
        target = {**spec.to_json(), "cast_config_id": convert.require_id(cast_config_id, "cast_config_id")}
        data = self._call("update_cast_config", {"target_cast_config": target}, idempotent=True)
        return CastConfig.from_json(member("update_cast_config", data, "cast_config"))

    def delete(self, cast_config_id: str, *, missing_ok: bool = False) -> None:
        """Delete a cast config (``delete_cast_config``; *Casting Delete*)."""
        body = {"cast_config_id": convert.require_id(cast_config_id, "cast_config_id")}
        ignore_missing(lambda: self._call("delete_cast_config", body, idempotent=True), missing_ok)
