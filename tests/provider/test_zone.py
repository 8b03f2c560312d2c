"""kasm_zone and data.kasm_zones with a real Terraform: lifecycle, import, drift, errors, destroy."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest

from terraform_provider_kasm.client import KasmClient
from terraform_provider_kasm.client.models import ZoneSpec
from tests.fixtures.kasm_server import KasmServer
from tests.fixtures.terraform import Terraform, step

pytestmark = pytest.mark.terraform


def zone_hcl(name: str, label: str = "z", **fields: Any) -> str:
    lines = "".join(
        f"\n  {k} = {str(v).lower() if isinstance(v, bool) else v if isinstance(v, int) else repr(v)}"
        for k, v in fields.items()
    ).replace("'", '"')
    return f'resource "kasm_zone" "{label}" {{\n  name = "{name}"{lines}\n}}\n'


def zones_on_server(client: KasmClient) -> dict[str, ZoneSpec]:
    return {z.zone_id: z.to_spec() for z in client.zones.list(brief=True)}


def test_lifecycle(
    kasm_tf: Callable[..., Terraform], kasm_client: KasmClient, kasm_server: KasmServer
) -> None:
    before = zones_on_server(kasm_client)
    tf = kasm_tf(zone_hcl("east", proxy_hostname="east.example.com", proxy_port=8443) + zone_hcl("west", "w"))
    with step("create two zones: the configured fields and Kasm's defaults"):
        tf.apply()
        east = tf.resource_values("kasm_zone.z")
        zone = kasm_client.zones.get(east["id"])
        assert (zone.zone_name, zone.proxy_hostname, zone.proxy_port) == ("east", "east.example.com", 8443)
        assert (east["load_strategy"], east["proxy_path"], east["search_alternate_zones"]) == (
            "least_load",
            "desktop",
            True,
        )
        tf.assert_no_changes()

    with step("every field changed: one in-place update, same id"):
        changed: dict[str, Any] = {
            "load_strategy": "most_load",
            "search_alternate_zones": False,
            "prioritize_static_agents": False,
            "allow_origin_domain": "kasm.example.com",
            "upstream_auth_address": "api.example.com",
            "proxy_connections": False,
            "proxy_hostname": "proxy.example.com",
            "proxy_path": "vdi",
            "proxy_port": 9443,
        }
        tf.write(zone_hcl("east-2", **changed) + zone_hcl("west", "w"))
        tf.assert_actions({"kasm_zone.z": ["update"]})
        tf.apply()
        assert tf.resource_values("kasm_zone.z")["id"] == east["id"]
        zone = kasm_client.zones.get(east["id"])
        assert zone.zone_name == "east-2"
        assert {k: getattr(zone, k) for k in changed} == changed
        tf.assert_no_changes()

    with step("fields removed from the configuration: Kasm's defaults are put back"):
        tf.write(zone_hcl("east-2") + zone_hcl("west", "w"))
        tf.assert_actions({"kasm_zone.z": ["update"]})
        tf.apply()
        zone = kasm_client.zones.get(east["id"])
        assert (zone.load_strategy, zone.proxy_port, zone.proxy_connections) == ("least_load", 443, True)
        tf.assert_no_changes()

    with step("import by dashed id and by name into a fresh directory: empty plan"):
        zid = east["id"]
        dashed = f"{zid[:8]}-{zid[8:12]}-{zid[12:16]}-{zid[16:20]}-{zid[20:]}"
        other = kasm_tf(zone_hcl("east-2"))
        for import_id in (dashed, "name:east-2"):
            other.import_("kasm_zone.z", import_id)
            assert other.resource_values("kasm_zone.z")["id"] == zid
            other.assert_no_changes()
            other.run("state", "rm", "kasm_zone.z")

    with step("changed outside Terraform: the drift is planned back"):
        spec = kasm_client.zones.get(east["id"]).to_spec()
        kasm_client.zones.update(east["id"], dataclasses.replace(spec, proxy_port=1234))
        plan = tf.assert_actions({"kasm_zone.z": ["update"]})
        assert (
            plan.before("kasm_zone.z")["proxy_port"] == 1234
            and plan.after("kasm_zone.z")["proxy_port"] == 443
        )

    with step("deleted behind Terraform's back: removed from state on refresh and planned again"):
        kasm_client.zones.delete(east["id"])
        tf.assert_actions({"kasm_zone.z": ["create"]})
        tf.apply()
        recreated = tf.resource_values("kasm_zone.z")["id"]
        assert recreated != east["id"] and kasm_client.zones.get(recreated).zone_name == "east-2"

    with step("data.kasm_zones lists them by name, with the default zone's manager; one get_zones"):
        tf.write(
            zone_hcl("east-2")
            + zone_hcl("west", "w")
            + 'data "kasm_zones" "all" {\n  depends_on = [kasm_zone.z, kasm_zone.w]\n}\n'
            + 'data "kasm_zones" "brief" {\n  brief      = true\n  depends_on = [kasm_zone.z, kasm_zone.w]\n}\n'
            + 'output "all" { value = data.kasm_zones.all }\noutput "brief" { value = data.kasm_zones.brief }\n'
        )
        tf.apply()
        out = {k: v["value"] for k, v in tf.output_json().items()}
        assert out["all"]["id"] == "zones" and out["brief"]["id"] == "zones-brief"
        assert [z["name"] for z in out["all"]["zones"]] == ["default", "east-2", "west"]
        default = out["all"]["zones"][0]
        assert default["managers"] == ["kasm-manager.local"] and default["servers"] == ["kasm-agent.local"]
        assert out["brief"]["zones"][0]["servers"] == [] and out["brief"]["zones"][1]["id"] == recreated
        assert out["all"]["zones"][1]["proxy_port"] == 443 and out["all"]["zones"][1]["num_kasms"] == 0
        kasm_server.reset_call_counts()
        tf.plan()
        # Two resources and both data sources share one get_zones in the plan's provider process.
        assert kasm_server.call_counts().get("get_zones") == 1

    with step("destroy leaves the server as before"):
        tf.destroy()
        assert zones_on_server(kasm_client) == before


def test_errors(kasm_tf: Callable[..., Terraform], kasm_client: KasmClient) -> None:
    before = zones_on_server(kasm_client)
    tf = kasm_tf(zone_hcl("bad", load_strategy="random", proxy_port=70000, proxy_path=""))
    with step("bad values: each error names its attribute, at plan"):
        out = " ".join(tf.plan(expect=(1,)).output.split())
        assert 'load_strategy = "random"' in out and "least_load" in out
        assert "proxy_port = 70000" in out and "proxy_port must be between 0 and 65535, got 70000" in out
        assert 'proxy_path = ""' in out

    with step("a name Kasm already has: a clear error with the import command, nothing left behind"):
        tf.write(zone_hcl("default"))
        out = tf.apply(expect=(1,)).output
        assert "Zone already exists" in out and "name:default" in out
        assert zones_on_server(kasm_client) == before and tf.state_list() == []

    with step("bad import ids"):
        for bad, message in (("nope", "Invalid import ID"), ("name:No Such Zone", "Zone not found")):
            assert message in tf.import_("kasm_zone.z", bad, expect=(1,)).output

    with step("the default zone can be imported and changed, but Kasm refuses to destroy it"):
        tf.import_("kasm_zone.z", "name:default")
        tf.assert_no_changes()
        out = " ".join(tf.destroy(expect=(1,)).output.split())
        assert "Zone in use" in out and "is in use by (1) managers and cannot be deleted" in out
        tf.run("state", "rm", "kasm_zone.z")
        assert zones_on_server(kasm_client) == before
