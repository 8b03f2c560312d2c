"""Workspace registries: Kasm 1.15's admin registry calls (errors are HTTP 200 with `error_message`).

Kasm installs a registry by fetching `<url>versions.txt` and `<url>1.0/list.json`. This server never
goes on the network: it reads `file://` registries (a directory holding those two files) and refuses
every other URL as Kasm refuses one it cannot fetch. The seeded official registry is pre-installed and
refreshing it is a no-op. `channel` and `override_schema`, which newer Kasm clients send with
`create_registry` (1.15 ignores them), are stored and listed when given; no call changes them later.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from sqlalchemy import select

from ..endpoints import EndpointGroup, KasmCall
from ..errors import KasmError
from ..models.common import Empty, KasmRequest
from ..models.registries import (
    CreateRegistryRequest,
    GetRegistriesResponse,
    RegistryAutoUpdatesRequest,
    RegistryIdRequest,
    RegistryOut,
    RegistryResponse,
)
from ..permissions import Permission as P
from ..storage.tables import Registry
from .common import require_row

endpoints = EndpointGroup("registries")

SCHEMA_VERSION = "1.0"
LIST_KEYS = ("name", "icon", "description", "list_url", "workspaces")
ARCHITECTURES = ["amd64", "arm64"]
NOT_A_REGISTRY = "This does not look like a valid registry."


def registry_out(registry: Registry) -> dict[str, Any]:
    """Kasm 1.15's registry object, plus `channel`/`override_schema` when they were given."""
    out = RegistryOut.dump(registry)
    for key in ("channel", "override_schema"):
        if out.get(key) is None:
            out.pop(key, None)
    return out


@endpoints.read_only([P.REGISTRIES_VIEW], KasmRequest, GetRegistriesResponse)
def get_registries(call: KasmCall) -> dict[str, Any]:
    """The installed registries with their workspaces."""
    rows = call.db.scalars(select(Registry).order_by(Registry.registry_url))
    return {"registries": [registry_out(r) for r in rows], "architectures": list(ARCHITECTURES)}


def normalise_url(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise KasmError("A valid url needs to be entered")
    url = value.strip()
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https", "file") or (parsed.scheme != "file" and not parsed.netloc):
        raise KasmError("A valid url needs to be entered")
    return url if url.endswith("/") else url + "/"


def fetch_registry(url: str) -> tuple[str, dict[str, Any], list[dict[str, Any]]]:
    """(schema version, config, workspaces) of the registry at `url`, read the way Kasm reads it."""
    parsed = urlparse(url)
    if parsed.scheme != "file":
        # Offline: an http(s) registry cannot be fetched, which Kasm reports like this.
        raise KasmError(NOT_A_REGISTRY)
    base = Path(unquote(parsed.path))
    try:
        versions = (base / "versions.txt").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KasmError(NOT_A_REGISTRY) from exc
    if SCHEMA_VERSION not in {line.strip() for line in versions.splitlines()}:
        raise KasmError("This registry does not have a compatible schema version available")
    try:
        listing = json.loads((base / SCHEMA_VERSION / "list.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise KasmError("This registry does not appear to have a valid schema list") from exc
    if (
        not isinstance(listing, dict)
        or any(key not in listing for key in LIST_KEYS)
        or not isinstance(listing["workspaces"], list)
        or not all(isinstance(w, dict) for w in listing["workspaces"])
    ):
        raise KasmError("This registry does not appear to have a valid schema list")
    config = {key: value for key, value in listing.items() if key != "workspaces"}
    return SCHEMA_VERSION, config, listing["workspaces"]


def _optional_text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _same_url(call: KasmCall, url: str) -> Registry | None:
    for registry in call.db.scalars(select(Registry)):
        if registry.registry_url.rstrip("/") == url.rstrip("/"):
            return registry
    return None


@endpoints.read_write([P.REGISTRIES_CREATE], CreateRegistryRequest, RegistryResponse)
def create_registry(call: KasmCall) -> dict[str, Any]:
    """Install the registry at `registry` (offline: `file://` registries only; see DESIGN.md)."""
    url = normalise_url(call.body.get("registry"))
    if _same_url(call, url) is not None:
        raise KasmError("This Registry has already been installed.")
    schema_version, config, workspaces = fetch_registry(url)
    registry = Registry(
        channel=_optional_text(call.body.get("channel")),
        override_schema=_optional_text(call.body.get("override_schema")),
        registry_url=url,
        do_auto_update=True,
        schema_version=schema_version,
        is_verified=False,
        config=config,
        workspaces=workspaces,
    )
    call.db.add(registry)
    call.db.flush()
    return {"registry": registry_out(registry)}


def _registry(call: KasmCall) -> Registry:
    return require_row(
        call, Registry, "registry_id", "Missing Registry ID", "Registry ({value}) does not exist"
    )


@endpoints.read_write([P.REGISTRIES_MODIFY], RegistryIdRequest, RegistryResponse)
def update_registry(call: KasmCall) -> dict[str, Any]:
    """Re-read the registry's list (only `file://` registries can be re-read offline)."""
    registry = _registry(call)
    if urlparse(registry.registry_url).scheme == "file":
        registry.schema_version, registry.config, registry.workspaces = fetch_registry(registry.registry_url)
    return {"registry": registry_out(registry)}


@endpoints.read_write([P.REGISTRIES_MODIFY], RegistryAutoUpdatesRequest, RegistryResponse)
def registry_auto_updates(call: KasmCall) -> dict[str, Any]:
    """Turn a registry's automatic updates on or off."""
    registry = _registry(call)
    if not isinstance(call.body.get("auto_updates"), bool):
        raise KasmError("Invalid Request. Missing auto_updates")
    registry.do_auto_update = call.body["auto_updates"]
    return {"registry": registry_out(registry)}


@endpoints.read_write([P.REGISTRIES_DELETE], RegistryIdRequest, Empty)
def delete_registry(call: KasmCall) -> dict[str, Any]:
    """Uninstall a registry (images installed from it stay)."""
    call.db.delete(_registry(call))
    return {}
