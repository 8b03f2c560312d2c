"""Staging configs (pre-warmed sessions): ``client.staging_configs`` (reference §2.8)."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import Any

from . import convert
from ._area import Area, ignore_missing, member, members
from .models import StagingConfig, StagingConfigSpec


class StagingConfigs(Area):
    def _list_json(self) -> builtins.list[Mapping[str, Any]]:
        data = self._call("get_staging_configs", {}, idempotent=True)
        return members("get_staging_configs", data, "staging_configs")

    def list(self) -> builtins.list[StagingConfig]:
        """Every staging config (``get_staging_configs``; *Staging View*)."""
        return [StagingConfig.from_json(s) for s in self._list_json()]

    def get(self, staging_config_id: str) -> StagingConfig:
        """One staging config; NotFound if gone (``get_staging_config``; *Staging View*)."""
        body = {"target_staging_config": {"staging_config_id": convert.require_id(staging_config_id)}}
        data = self._call("get_staging_config", body, idempotent=True)
        return StagingConfig.from_json(member("get_staging_config", data, "staging_config"))

    def create(self, spec: StagingConfigSpec) -> StagingConfig:
        """Create a staging config (``create_staging_config``; *Staging Create*). One per zone and
        image: looked up by (zone_id, image_id) before any retry."""
        zone_id = convert.require_id(spec.zone_id, "zone_id")
        image_id = convert.require_id(spec.image_id, "image_id")

        def lookup() -> dict[str, Any] | None:
            found = next(
                (
                    s
                    for s in self._list_json()
                    if convert.kasm_id(s.get("zone_id")) == zone_id
                    and convert.kasm_id(s.get("image_id")) == image_id
                ),
                None,
            )
            return {"staging_config": found} if found is not None else None

        data = self._create(
            "create_staging_config",
            {"target_staging_config": spec.to_json()},
            what=f"Staging config for zone ({zone_id}) and image ({image_id})",
            lookup=lookup,
        )
        return StagingConfig.from_json(member("create_staging_config", data, "staging_config"))

    def update(self, staging_config_id: str, spec: StagingConfigSpec) -> StagingConfig:
        """Change a staging config (``update_staging_config``; *Staging Modify*)."""
        target = {**spec.to_json(), "staging_config_id": convert.require_id(staging_config_id)}
        data = self._call("update_staging_config", {"target_staging_config": target}, idempotent=True)
        return StagingConfig.from_json(member("update_staging_config", data, "staging_config"))

    def delete(self, staging_config_id: str, *, missing_ok: bool = False) -> None:
        """Delete a staging config (``delete_staging_config``; *Staging Delete*)."""
        body = {"target_staging_config": {"staging_config_id": convert.require_id(staging_config_id)}}
        ignore_missing(lambda: self._call("delete_staging_config", body, idempotent=True), missing_ok)
