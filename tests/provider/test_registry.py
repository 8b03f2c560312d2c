"""kasm_registry, data.kasm_registries and data.kasm_registry_images with a real Terraform, on a
file:// registry the local server reads offline: lifecycle, replacement, import, drift, errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from terraform_provider_kasm.client import KasmClient
from tests.fixtures.kasm_server import KasmServer
from tests.fixtures.terraform import Terraform, step

from .test_inprocess_registries import make_registry, workspace

pytestmark = pytest.mark.terraform

WORKSPACES = 150


def registry_hcl(
    url: str, *, channel: str | None = None, auto: bool | None = None, sources: bool = False
) -> str:
    lines = f'\n  url = "{url}"'
    if channel is not None:
        lines += f'\n  channel = "{channel}"'
    if auto is not None:
        lines += f"\n  do_auto_update = {str(auto).lower()}"
    hcl = f'resource "kasm_registry" "r" {{{lines}\n}}\n'
    if sources:
        hcl += """
data "kasm_registries" "all" {
  depends_on = [kasm_registry.r]
}

data "kasm_registry_images" "offered" {
  registry_id = kasm_registry.r.id
}

output "registries" { value = data.kasm_registries.all }
output "offered" { value = data.kasm_registry_images.offered }
"""
    return hcl


def registries_on_server(client: KasmClient) -> dict[str, tuple[str, str | None, bool]]:
    return {r.registry_id: (r.registry_url, r.channel, r.do_auto_update) for r in client.registries.list()}


def test_lifecycle(
    kasm_tf: Callable[..., Terraform], kasm_client: KasmClient, kasm_server: KasmServer, tmp_path: Path
) -> None:
    before = registries_on_server(kasm_client)
    url = make_registry(tmp_path / "reg", [workspace(i) for i in range(WORKSPACES)]).rstrip("/")
    tf = kasm_tf(registry_hcl(url, channel="stable", auto=False, sources=True))
    with step("install: channel and URL read back, the data sources list it and all its workspaces"):
        tf.apply()
        values = tf.resource_values("kasm_registry.r")
        registry = kasm_client.registries.get(values["id"])
        assert (registry.registry_url, registry.channel, registry.do_auto_update) == (
            url + "/",
            "stable",
            False,
        )
        assert (values["url"], values["channel"], values["name"]) == (url, "stable", "Test Registry")
        out = {k: v["value"] for k, v in tf.output_json().items()}
        listed = {r["id"]: r for r in out["registries"]["registries"]}
        assert listed[values["id"]]["workspace_count"] == WORKSPACES
        offered = out["offered"]["images"]
        assert [i["friendly_name"] for i in offered] == [f"App {i}" for i in range(WORKSPACES)]
        assert offered[0]["name"] == "kasmweb/app-0:1.16.0" and offered[0]["memory"] == 2768000000
        tf.assert_no_changes()
        kasm_server.reset_call_counts()
        tf.plan()
        # The resource and both data sources share one get_registries in the plan's provider process.
        assert kasm_server.call_counts().get("get_registries") == 1

    with step("automatic updates on: an in-place update through registry_auto_updates"):
        tf.write(registry_hcl(url, channel="stable", auto=True, sources=True))
        tf.assert_actions({"kasm_registry.r": ["update"]})
        tf.apply()
        assert tf.resource_values("kasm_registry.r")["id"] == values["id"]
        assert kasm_client.registries.get(values["id"]).do_auto_update is True
        tf.assert_no_changes()

    with step("another channel: Kasm cannot change it, so the registry is installed again"):
        tf.write(registry_hcl(url, channel="beta", auto=True))
        tf.assert_actions({"kasm_registry.r": ["delete", "create"]})
        tf.apply()
        values = tf.resource_values("kasm_registry.r")
        assert kasm_client.registries.get(values["id"]).channel == "beta"
        tf.assert_no_changes()

    with step("import by id and by URL into a fresh directory: empty plan"):
        # Kasm reports the URL with a trailing /, the configuration has none: no change either.
        other = kasm_tf(registry_hcl(url, channel="beta", auto=True))
        for import_id in (values["id"], f"url:{url}/"):
            other.import_("kasm_registry.r", import_id)
            assert other.resource_values("kasm_registry.r")["channel"] == "beta"
            other.assert_no_changes()
            other.run("state", "rm", "kasm_registry.r")

    with step("uninstalled behind Terraform's back: removed from state on refresh and planned again"):
        kasm_client.registries.delete(values["id"])
        tf.assert_actions({"kasm_registry.r": ["create"]})
        tf.apply()
        assert tf.resource_values("kasm_registry.r")["id"] != values["id"]

    with step("destroy leaves the server as before"):
        tf.destroy()
        assert registries_on_server(kasm_client) == before


def test_errors(kasm_tf: Callable[..., Terraform], kasm_client: KasmClient, tmp_path: Path) -> None:
    before = registries_on_server(kasm_client)
    tf = kasm_tf(registry_hcl("ftp://registry.example.com/", channel="1.16"))
    with step("a bad URL and a bad channel: errors at plan, each naming its attribute"):
        out = " ".join(tf.plan(expect=(1,)).output.split())
        assert (
            "URL must start with http:// or https://" in out and 'url = "ftp://registry.example.com/"' in out
        )
        assert "Channel must be a valid Kasm version (x.y.z)" in out and 'channel = "1.16"' in out

    with step("a registry Kasm cannot read, and one already installed: Kasm's messages, nothing left"):
        tf.write(registry_hcl((tmp_path / "missing").as_uri()))
        assert "This does not look like a valid registry." in " ".join(tf.apply(expect=(1,)).output.split())
        tf.write(registry_hcl("https://registry.kasmweb.com"))
        out = " ".join(tf.apply(expect=(1,)).output.split())
        assert "Registry already installed" in out and "url:https://registry.kasmweb.com" in out
        assert registries_on_server(kasm_client) == before and tf.state_list() == []

    with step("an unknown registry id in kasm_registry_images names registry_id"):
        tf.write('data "kasm_registry_images" "x" {\n  registry_id = "' + "0" * 32 + '"\n}\n')
        out = " ".join(tf.plan(expect=(1,)).output.split())
        assert "Registry not found" in out and "registry_id" in out
