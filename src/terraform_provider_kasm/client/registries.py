"""Workspace registries: ``client.registries`` (reference §2.9)."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import Any

from . import convert, errors
from ._area import Area, ignore_missing, member, members
from .models import Registry


def _same_url(a: Any, b: str) -> bool:
    return isinstance(a, str) and a.rstrip("/") == b.rstrip("/")


class Registries(Area):
    def _list_json(self) -> builtins.list[Mapping[str, Any]]:
        return members("get_registries", self._call("get_registries", {}, idempotent=True), "registries")

    def list(self) -> builtins.list[Registry]:
        """Every installed registry (``get_registries``; *Registries View*)."""
        return [Registry.from_json(r) for r in self._list_json()]

    def find(self, registry_id: str | None = None, *, url: str | None = None) -> Registry | None:
        """The registry with this id (or URL), or None."""
        if registry_id is not None:
            wanted = convert.require_id(registry_id, "registry_id")
            return next((r for r in self.list() if r.registry_id == wanted), None)
        if url is not None:
            return next((r for r in self.list() if _same_url(r.registry_url, url)), None)
        raise ValueError("give registry_id or url")

    def get(self, registry_id: str) -> Registry:
        """The registry with this id; NotFound otherwise (*Registries View*)."""
        found = self.find(registry_id)
        if found is None:
            raise errors.NotFound(
                "get_registries", 200, f"Registry ({registry_id}) does not exist", kind="registry"
            )
        return found

    def create(self, url: str, *, channel: str | None = None, override_schema: str | None = None) -> Registry:
        """Install the registry at ``url`` (``create_registry``; *Registries Create*). Kasm fetches
        its list. Conflict if installed; looked up by URL before any retry. ``channel`` and
        ``override_schema`` are sent only when given (newer Kasm reads them; 1.15 ignores them)."""

        def lookup() -> dict[str, Any] | None:
            found = next((r for r in self._list_json() if _same_url(r.get("registry_url"), url)), None)
            return {"registry": found} if found is not None else None

        body: dict[str, Any] = {"registry": url}
        body.update({k: v for k, v in (("channel", channel), ("override_schema", override_schema)) if v})
        data = self._create("create_registry", body, what=f"Registry ({url})", lookup=lookup)
        return Registry.from_json(member("create_registry", data, "registry"))

    def refresh(self, registry_id: str) -> Registry | None:
        """Re-fetch the registry's list (``update_registry``; *Registries Modify*)."""
        data = self._call(
            "update_registry",
            {"registry_id": convert.require_id(registry_id, "registry_id")},
            idempotent=True,
        )
        return Registry.from_json(data["registry"]) if isinstance(data.get("registry"), Mapping) else None

    def set_auto_updates(self, registry_id: str, enabled: bool) -> None:
        """Turn automatic updates on or off (``registry_auto_updates``; *Registries Modify*)."""
        body = {"registry_id": convert.require_id(registry_id, "registry_id"), "auto_updates": enabled}
        self._call("registry_auto_updates", body, idempotent=True)

    def delete(self, registry_id: str, *, missing_ok: bool = False) -> None:
        """Uninstall the registry (``delete_registry``; *Registries Delete*)."""
        body = {"registry_id": convert.require_id(registry_id, "registry_id")}
        ignore_missing(lambda: self._call("delete_registry", body, idempotent=True), missing_ok)
