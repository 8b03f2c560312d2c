"""Registries: the seeded official registry, offline installs from file:// registries, Kasm's messages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from terraform_provider_kasm.server.permissions import Permission as P
from terraform_provider_kasm.server.seed import DEFAULT_REGISTRY_URL

from ..fixtures.kasm_server import KasmServer
from .session_helpers import error, ok


def write_registry(directory: Path, *, versions: str = "1.0\n", listing: Any = None) -> str:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "versions.txt").write_text(versions)
    (directory / "1.0").mkdir(exist_ok=True)
    if listing is None:
        listing = {
            "name": "Local Registry",
            "icon": "icon.png",
            "description": "Workspaces for tests.",
            "list_url": "https://example.com/list",
            "workspaces": [{"name": "kasmweb/doom:1.0", "friendly_name": "Doom", "cores": 1}],
        }
    (directory / "1.0" / "list.json").write_text(listing if isinstance(listing, str) else json.dumps(listing))
    return directory.as_uri()


def test_seeded_registry(kasm_server: KasmServer) -> None:
    listed = ok(kasm_server.post("get_registries"))
    assert list(listed) == ["registries", "architectures"]
    (registry,) = listed["registries"]
    assert registry["registry_url"] == DEFAULT_REGISTRY_URL and registry["schema_version"] == "1.0"
    assert list(registry) == [
        "registry_id",
        "registry_url",
        "do_auto_update",
        "schema_version",
        "is_verified",
        "workspaces",
        "config",
    ]
    assert error(kasm_server.post("create_registry", {"registry": DEFAULT_REGISTRY_URL.rstrip("/")})) == (
        "This Registry has already been installed."
    )
    # Refreshing it is a no-op offline.
    assert (
        ok(kasm_server.post("update_registry", {"registry_id": registry["registry_id"]}))["registry"]
        == registry
    )


def test_file_registry_lifecycle(kasm_server: KasmServer, tmp_path: Path) -> None:
    url = write_registry(tmp_path / "reg")
    registry = ok(kasm_server.post("create_registry", {"registry": url}))["registry"]
    assert registry["registry_url"] == url + "/" and registry["do_auto_update"] is True
    assert registry["config"]["name"] == "Local Registry" and "workspaces" not in registry["config"]
    assert [w["friendly_name"] for w in registry["workspaces"]] == ["Doom"]
    # A changed list is picked up by update_registry.
    write_registry(
        tmp_path / "reg",
        listing={"name": "Renamed", "icon": "", "description": "", "list_url": "", "workspaces": []},
    )
    refreshed = ok(kasm_server.post("update_registry", {"registry_id": registry["registry_id"]}))["registry"]
    assert refreshed["config"]["name"] == "Renamed" and refreshed["workspaces"] == []
    toggled = ok(
        kasm_server.post(
            "registry_auto_updates", {"registry_id": registry["registry_id"], "auto_updates": False}
        )
    )["registry"]
    assert toggled["do_auto_update"] is False
    assert ok(kasm_server.post("delete_registry", {"registry_id": registry["registry_id"]})) == {}
    assert error(kasm_server.post("delete_registry", {"registry_id": registry["registry_id"]})) == (
        f"Registry ({registry['registry_id']}) does not exist"
    )
    assert error(kasm_server.post("delete_registry", {})) == "Missing Registry ID"


def test_create_registry_errors(kasm_server: KasmServer, tmp_path: Path) -> None:
    assert error(kasm_server.post("create_registry", {})) == "A valid url needs to be entered"
    assert (
        error(kasm_server.post("create_registry", {"registry": "not a url"}))
        == "A valid url needs to be entered"
    )
    # No network here: an http(s) registry cannot be fetched.
    assert error(kasm_server.post("create_registry", {"registry": "https://registry.example.com/"})) == (
        "This does not look like a valid registry."
    )
    assert error(kasm_server.post("create_registry", {"registry": (tmp_path / "missing").as_uri()})) == (
        "This does not look like a valid registry."
    )
    old = write_registry(tmp_path / "old", versions="0.9\n")
    assert error(kasm_server.post("create_registry", {"registry": old})) == (
        "This registry does not have a compatible schema version available"
    )
    broken = write_registry(tmp_path / "broken", listing={"name": "x"})
    assert error(kasm_server.post("create_registry", {"registry": broken})) == (
        "This registry does not appear to have a valid schema list"
    )
    garbage = write_registry(tmp_path / "garbage", listing="{not json")
    assert error(kasm_server.post("create_registry", {"registry": garbage})) == (
        "This registry does not appear to have a valid schema list"
    )
    assert len(ok(kasm_server.post("get_registries"))["registries"]) == 1


def test_registry_permissions(kasm_server: KasmServer, tmp_path: Path) -> None:
    key, secret = kasm_server.create_api_key([P.REGISTRIES_VIEW])
    creds = {"api_key": key, "api_key_secret": secret}
    assert len(ok(kasm_server.post("get_registries", creds))["registries"]) == 1
    url = write_registry(tmp_path / "reg")
    assert error(kasm_server.post("create_registry", {**creds, "registry": url}), 401) == "Unauthorized"


def test_channel_and_schema_override_are_kept(kasm_server: KasmServer, tmp_path: Path) -> None:
    url = write_registry(tmp_path / "reg")
    body = {"registry": url, "channel": "1.16.0", "override_schema": "1.0"}
    created = ok(kasm_server.post("create_registry", body))["registry"]
    assert (created["channel"], created["override_schema"]) == ("1.16.0", "1.0")
    (listed,) = [
        r for r in ok(kasm_server.post("get_registries"))["registries"] if r["registry_url"] == url + "/"
    ]
    assert (listed["channel"], listed["override_schema"]) == ("1.16.0", "1.0")
    # Without them (Kasm 1.15's request) the registry has neither key, as 1.15 answers.
    (seeded,) = [
        r
        for r in ok(kasm_server.post("get_registries"))["registries"]
        if r["registry_url"] == DEFAULT_REGISTRY_URL
    ]
    assert not {"channel", "override_schema"} & set(seeded)
