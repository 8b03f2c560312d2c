"""kasm_zone and kasm_zones through the servicer in-process (tests/fixtures/inprocess.py): defaults,
import forms, renames, failed creates and the data source's values."""

from __future__ import annotations

from typing import Any

import pytest

from terraform_provider_kasm.client.convert import dashed
from terraform_provider_kasm.client.models import ZoneSpec
from terraform_provider_kasm.tfplugin import codec
from terraform_provider_kasm.tfplugin._generated import tfplugin6_pb2 as pb
from tests.fixtures.inprocess import Harness, ProviderError

Z = "kasm_zone"
DEFAULTS = {
    "load_strategy": "least_load",
    "prioritize_static_agents": True,
    "search_alternate_zones": True,
    "allow_origin_domain": "$request_host$",
    "upstream_auth_address": "$request_host$",
    "proxy_connections": True,
    "proxy_hostname": "$request_host$",
    "proxy_path": "desktop",
    "proxy_port": 443,
}


def test_zone_defaults_are_kasms(provider_harness: Harness) -> None:
    h = provider_harness
    config = h.config(Z, name="north")
    state = h.create(Z, config)
    assert {k: state[k] for k in DEFAULTS} == DEFAULTS
    # What Kasm stores for a zone made without any of these fields (Kasm's model defaults).
    bare = h.client.zones.create(ZoneSpec(zone_name="bare"))
    assert {k: getattr(bare, k) for k in DEFAULTS} == DEFAULTS
    assert h.changes(Z, state, config) == {}


@pytest.mark.parametrize("form", ["id", "dashed", "name"])
def test_zone_import_forms(provider_harness: Harness, form: str) -> None:
    h = provider_harness
    zone = h.client.zones.create(ZoneSpec(zone_name="imported", proxy_port=8443))
    import_id = {"id": zone.zone_id, "dashed": dashed(zone.zone_id), "name": "name:imported"}[form]
    state = h.import_(Z, import_id)
    assert state is not None and (state["id"], state["name"], state["proxy_port"]) == (
        zone.zone_id,
        "imported",
        8443,
    )
    assert h.changes(Z, state, h.config(Z, name="imported", proxy_port=8443)) == {}


def test_zone_rename_onto_another_zone_names_the_attribute(provider_harness: Harness) -> None:
    h = provider_harness
    state = h.create(Z, h.config(Z, name="a"))
    with pytest.raises(ProviderError) as failed:
        h.update(Z, state, h.config(Z, name="default"))
    assert "Zone name in use" in failed.value.text
    assert [d[2] for d in failed.value.diagnostics] == ["name"]
    assert h.client.zones.get(state["id"]).zone_name == "a"


@pytest.mark.parametrize("fault", ["500", "reset"])
def test_zone_failed_create_leaves_nothing(provider_harness: Harness, kasm_app: Any, fault: str) -> None:
    h = provider_harness
    before = {z.zone_id for z in h.client.zones.list()}
    kasm_app.state.faults.add(f"create_zone={fault},times=1")
    with pytest.raises(ProviderError):
        h.create(Z, h.config(Z, name="faulty"))
    assert {z.zone_id for z in h.client.zones.list()} == before


def test_zone_deleted_outside_is_gone_and_delete_is_idempotent(provider_harness: Harness) -> None:
    h = provider_harness
    state = h.create(Z, h.config(Z, name="gone"))
    h.client.zones.delete(state["id"])
    assert h.read(Z, state) is None
    h.delete(Z, state)  # already gone: success


def read_zones(h: Harness, brief: bool | None) -> dict[str, Any]:
    ds = h.servicer.data_sources["kasm_zones"]
    config = {**ds.schema.empty_value(), "brief": brief}
    response = h.servicer.ReadDataSource(
        pb.ReadDataSource.Request(
            type_name="kasm_zones",
            config=pb.DynamicValue(msgpack=codec.encode_msgpack(config, ds.schema.value_type)),
        ),
        None,
    )
    h._check("ReadDataSource", response)
    value: dict[str, Any] = codec.decode_msgpack(response.state.msgpack, ds.schema.value_type)
    return value


@pytest.mark.parametrize("brief", [None, False, True])
def test_zones_data_source(provider_harness: Harness, brief: bool | None) -> None:
    h = provider_harness
    h.client.zones.create(ZoneSpec(zone_name="b-zone", load_strategy="most_load", proxy_port=8443))
    h.client.zones.create(ZoneSpec(zone_name="a-zone"))
    value = read_zones(h, brief)
    assert value["id"] == ("zones-brief" if brief else "zones") and value["brief"] == brief
    assert [z["name"] for z in value["zones"]] == ["a-zone", "b-zone", "default"]
    b = value["zones"][1]
    assert (b["load_strategy"], b["proxy_port"], b["managers"], b["servers"]) == ("most_load", 8443, [], [])
    default = value["zones"][2]
    assert default["managers"] == ["kasm-manager.local"]
    assert default["servers"] == ([] if brief else ["kasm-agent.local"])
    assert default["num_kasms"] == 0 and default["available_cores"] > 0


@pytest.mark.parametrize(
    ("bad", "message"), [("nope", "Invalid import ID"), ("name:Default", "Zone not found")]
)
def test_zone_import_errors(provider_harness: Harness, bad: str, message: str) -> None:
    with pytest.raises(ProviderError) as failed:
        provider_harness.import_(Z, bad)
    assert message in failed.value.text
    if message == "Zone not found":
        assert "no zone named 'Default' (exact, case-sensitive)" in failed.value.text
