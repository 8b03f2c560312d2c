"""kasm_registry, kasm_registries and kasm_registry_images through the servicer in-process
(tests/fixtures/inprocess.py), on file:// registries the local server reads offline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from terraform_provider_kasm.client.convert import dashed
from terraform_provider_kasm.tfplugin import codec
from terraform_provider_kasm.tfplugin._generated import tfplugin6_pb2 as pb
from tests.fixtures.inprocess import Harness, ProviderError

R = "kasm_registry"


def workspace(i: int) -> dict[str, Any]:
    return {
        "name": f"kasmweb/app-{i}:1.16.0",
        "friendly_name": f"App {i}",
        "description": f"Application {i}",
        "image_src": f"app-{i}.png",
        "categories": ["Productivity", "Testing"],
        "cores": 2,
        "memory": 2768,
        "docker_registry": "https://index.docker.io/v1/",
        "architecture": ["amd64", "arm64"],
        "compatibility": [{"version": "1.16.x", "image": f"kasmweb/app-{i}:1.16.0", "available_tags": []}],
    }


def make_registry(directory: Path, workspaces: list[dict[str, Any]] | None = None) -> str:
    """A file:// registry as Kasm fetches one: versions.txt and 1.0/list.json."""
    (directory / "1.0").mkdir(parents=True)
    (directory / "versions.txt").write_text("1.0\n")
    listing = {
        "name": "Test Registry",
        "icon": "icon.png",
        "description": "Workspaces for tests",
        "list_url": directory.as_uri() + "/",
        "workspaces": [workspace(0)] if workspaces is None else workspaces,
    }
    (directory / "1.0" / "list.json").write_text(json.dumps(listing))
    return directory.as_uri() + "/"


def test_create_reads_back_channel_url_and_schema_override(provider_harness: Harness, tmp_path: Path) -> None:
    h = provider_harness
    url = make_registry(tmp_path / "reg")
    config = h.config(R, url=url.rstrip("/"), channel="1.16.0", override_schema="1.0")
    state = h.create(R, config)
    registry = h.client.registries.get(state["id"])
    assert (registry.channel, registry.override_schema, registry.registry_url) == ("1.16.0", "1.0", url)
    # The configured spelling (no trailing /) is kept, Kasm's values are read back.
    assert (state["url"], state["channel"], state["override_schema"]) == (url.rstrip("/"), "1.16.0", "1.0")
    assert (state["name"], state["schema_version"], state["do_auto_update"]) == ("Test Registry", "1.0", True)
    assert h.changes(R, state, config) == {}
    # Import: every attribute comes from Kasm, so the same configuration plans nothing.
    for import_id in (state["id"], dashed(state["id"]), f"url:{url}"):
        imported = h.import_(R, import_id)
        assert imported is not None and imported["channel"] == "1.16.0"
        assert imported["override_schema"] == "1.0" and imported["url"] == url
        assert h.changes(R, imported, h.config(R, url=url, channel="1.16.0", override_schema="1.0")) == {}


def test_channel_name_resolved_by_kasm_is_kept(provider_harness: Harness, tmp_path: Path) -> None:
    h = provider_harness
    url = make_registry(tmp_path / "reg")
    registry = h.client.registries.create(url, channel="1.16.0")
    state = h.read(R, {**h.config(R, url=url, channel="stable"), "id": registry.registry_id})
    assert state is not None and state["channel"] == "stable"  # Kasm resolved stable to its version


@pytest.mark.parametrize(
    ("field", "value"),
    [("url", "https://other.example.com/"), ("channel", "beta"), ("override_schema", "2.0")],
)
def test_url_channel_schema_changes_replace(
    provider_harness: Harness, tmp_path: Path, field: str, value: str
) -> None:
    h = provider_harness
    url = make_registry(tmp_path / "reg")
    config = h.config(R, url=url, channel="stable", override_schema="1.0")
    state = h.create(R, config)
    planned = h.plan(R, h.read(R, state), {**config, field: value})
    assert planned.requires_replace == [field]
    # Another spelling (a trailing "/" more or less) is no change at all.
    assert h.changes(R, state, {**config, "url": url.rstrip("/")}) == {}


def test_do_auto_update_in_place(provider_harness: Harness, tmp_path: Path) -> None:
    h = provider_harness
    url = make_registry(tmp_path / "reg")
    state = h.create(R, h.config(R, url=url, do_auto_update=False))
    assert state["do_auto_update"] is False
    assert h.client.registries.get(state["id"]).do_auto_update is False
    state = h.update(R, state, h.config(R, url=url, do_auto_update=True))
    assert state["do_auto_update"] is True and h.client.registries.get(state["id"]).do_auto_update is True
    # Left out: not managed; a change made in Kasm is shown, and nothing is planned.
    h.client.registries.set_auto_updates(state["id"], False)
    assert h.changes(R, state, h.config(R, url=url)) == {}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("url", "ftp://registry.example.com/", "URL must start with http:// or https://"),
        ("url", "not a url", "URL must start with http:// or https://"),
        ("url", "https:///list", "URL has no host name"),
        ("channel", "1.16", "Channel must be a valid Kasm version (x.y.z) or a valid channel name"),
        ("channel", "nightly", "Channel must be a valid Kasm version (x.y.z) or a valid channel name"),
    ],
)
def test_bad_input_names_the_attribute(
    provider_harness: Harness, field: str, value: str, message: str
) -> None:
    h = provider_harness
    config = {**h.config(R, url="https://registry.kasmweb.com/"), field: value}
    with pytest.raises(ProviderError) as failed:
        h.validate(R, config)
    assert message in failed.value.text
    assert [d[2] for d in failed.value.diagnostics] == [field]


def test_already_installed_and_unfetchable(provider_harness: Harness, tmp_path: Path) -> None:
    h = provider_harness
    before = {r.registry_id for r in h.client.registries.list()}
    with pytest.raises(ProviderError) as failed:
        h.create(R, h.config(R, url="https://registry.kasmweb.com"))
    assert (
        "Registry already installed" in failed.value.text
        and "url:https://registry.kasmweb.com" in failed.value.text
    )
    with pytest.raises(ProviderError) as failed:
        h.create(R, h.config(R, url=(tmp_path / "missing").as_uri()))
    assert "This does not look like a valid registry." in failed.value.text
    assert [d[2] for d in failed.value.diagnostics] == ["url"]
    assert {r.registry_id for r in h.client.registries.list()} == before


def test_failed_create_leaves_nothing(provider_harness: Harness, kasm_app: Any, tmp_path: Path) -> None:
    h = provider_harness
    before = {r.registry_id for r in h.client.registries.list()}
    url = make_registry(tmp_path / "reg")
    # The install works; turning automatic updates off fails: the registry is uninstalled again.
    kasm_app.state.faults.add("registry_auto_updates=500,times=1")
    with pytest.raises(ProviderError) as failed:
        h.create(R, h.config(R, url=url, do_auto_update=False))
    assert "automatic updates" in failed.value.text
    assert {r.registry_id for r in h.client.registries.list()} == before


def test_deleted_outside_is_gone(provider_harness: Harness, tmp_path: Path) -> None:
    h = provider_harness
    state = h.create(R, h.config(R, url=make_registry(tmp_path / "reg")))
    h.client.registries.delete(state["id"])
    assert h.read(R, state) is None
    h.delete(R, state)  # already gone: success


def read_ds(h: Harness, type_name: str, **config: Any) -> dict[str, Any]:
    ds = h.servicer.data_sources[type_name]
    value = {**ds.schema.empty_value(), **config}
    response = h.servicer.ReadDataSource(
        pb.ReadDataSource.Request(
            type_name=type_name,
            config=pb.DynamicValue(msgpack=codec.encode_msgpack(value, ds.schema.value_type)),
        ),
        None,
    )
    h._check("ReadDataSource", response)
    result: dict[str, Any] = codec.decode_msgpack(response.state.msgpack, ds.schema.value_type)
    return result


def test_registry_images_are_the_registrys_workspaces_to_the_end(
    provider_harness: Harness, tmp_path: Path
) -> None:
    h = provider_harness
    count = 250  # more than any page size
    registry = h.client.registries.create(
        make_registry(tmp_path / "big", [workspace(i) for i in range(count)])
    )
    installed = next(i for i in h.client.images.list() if i.name)
    other = h.client.registries.create(
        make_registry(tmp_path / "other", [{**workspace(0), "name": installed.name}])
    )
    value = read_ds(h, "kasm_registry_images", registry_id=dashed(registry.registry_id))
    assert value["id"] == registry.registry_id
    images = value["images"]
    assert [i["friendly_name"] for i in images] == [f"App {i}" for i in range(count)]
    first = images[0]
    assert (first["id"], first["name"], first["registry_id"]) == (
        "kasmweb/app-0:1.16.0",
        "kasmweb/app-0:1.16.0",
        registry.registry_id,
    )
    assert (first["cores"], first["memory"], first["versions"]) == (2, 2768000000, ["1.16.x"])
    assert first["categories"] == ["Productivity", "Testing"] and first["architecture"] == ["amd64", "arm64"]
    assert first["installed"] is False and first["image_id"] is None
    # A workspace whose docker image is installed says so and names the image.
    (offered,) = read_ds(h, "kasm_registry_images", registry_id=other.registry_id)["images"]
    assert offered["installed"] is True and offered["image_id"] == installed.image_id
    # Without registry_id: every registry's workspaces.
    everything = read_ds(h, "kasm_registry_images")
    assert everything["id"] == "all" and len(everything["images"]) == count + 1


def test_registry_images_unknown_registry(provider_harness: Harness) -> None:
    with pytest.raises(ProviderError) as failed:
        read_ds(provider_harness, "kasm_registry_images", registry_id="0" * 32)
    assert "Registry not found" in failed.value.text
    assert [d[2] for d in failed.value.diagnostics] == ["registry_id"]


def test_registries_data_source(provider_harness: Harness, tmp_path: Path) -> None:
    h = provider_harness
    url = make_registry(tmp_path / "reg", [workspace(1), workspace(2)])
    h.client.registries.create(url, channel="beta")
    value = read_ds(h, "kasm_registries")
    assert value["id"] == "registries"
    by_url = {r["url"]: r for r in value["registries"]}
    assert set(by_url) == {url, "https://registry.kasmweb.com/"}
    ours = by_url[url]
    assert (ours["name"], ours["channel"], ours["workspace_count"], ours["do_auto_update"]) == (
        "Test Registry",
        "beta",
        2,
        True,
    )
    assert by_url["https://registry.kasmweb.com/"]["channel"] is None


@pytest.mark.parametrize(
    ("bad", "message"),
    [("nope", "Invalid import ID"), ("url:https://nowhere.example.com/", "Registry not found")],
)
def test_import_errors(provider_harness: Harness, bad: str, message: str) -> None:
    with pytest.raises(ProviderError) as failed:
        provider_harness.import_(R, bad)
    assert message in failed.value.text
    if message == "Registry not found":
        assert "no registry installed from 'https://nowhere.example.com/'" in failed.value.text
