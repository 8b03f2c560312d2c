"""The Provider service over a real gRPC connection (in-process server, test-only provider)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import grpc
import pytest

from terraform_provider_kasm.tfplugin.codec import decode_msgpack, encode_msgpack
from terraform_provider_kasm.tfplugin.server import PluginServer
from terraform_provider_kasm.tfplugin.types import UNKNOWN
from tests.tfplugin.grpc_client import ServiceClient, clients, pb
from tests.tfplugin.thing_provider import ThingProvider, ThingResource

T = ThingResource.schema.value_type
TYPE = "kasm_test_thing"


def dv(value: Any, t: Any = T) -> pb.DynamicValue:
    return pb.DynamicValue(msgpack=encode_msgpack(value, t))


def thing(**values: Any) -> dict[str, Any]:
    out = ThingResource.schema.empty_value()
    out.update(values)
    return out


@pytest.fixture
def plugin(tmp_path: Path) -> Iterator[tuple[ServiceClient, PluginServer]]:
    server = PluginServer(ThingProvider)
    server.start()
    server.build_provider()
    channel = grpc.insecure_channel(f"unix:{server.socket_path}")
    provider, *_ = clients(channel)
    resp = provider.ConfigureProvider(
        pb.ConfigureProvider.Request(
            terraform_version="1.99.0",
            config=dv({"store": str(tmp_path / "things.json")}, ThingProvider.schema.value_type),
        )
    )
    assert not resp.diagnostics
    try:
        yield provider, server
    finally:
        channel.close()
        server.stop(grace=0)


def errors(resp: Any) -> list[str]:
    return [f"{d.summary}: {d.detail}" for d in resp.diagnostics if d.severity == pb.Diagnostic.ERROR]


def test_schema(plugin: tuple[ServiceClient, PluginServer]) -> None:
    provider, _ = plugin
    resp = provider.GetProviderSchema(pb.GetProviderSchema.Request())
    assert not resp.diagnostics
    assert [a.name for a in resp.provider.block.attributes] == ["store"]
    schema = resp.resource_schemas[TYPE]
    assert schema.version == 1
    attrs = {a.name: a for a in schema.block.attributes}
    assert json.loads(attrs["tags"].type) == ["map", "string"]
    assert attrs["id"].computed and not attrs["id"].optional
    assert attrs["name"].required
    assert attrs["secret"].sensitive and attrs["token_wo"].write_only
    assert attrs["ports"].nested_type.nesting == pb.Schema.Object.LIST
    assert {a.name for a in attrs["ports"].nested_type.attributes} == {"number", "protocol"}
    assert attrs["token_set"].description == "Whether token_wo was ever given."
    assert schema.block.description == "A thing kept in a JSON file."
    (spec,) = schema.block.block_types
    assert spec.type_name == "spec" and spec.nesting == pb.Schema.NestedBlock.LIST
    assert TYPE in resp.data_source_schemas
    meta = provider.GetMetadata(pb.GetMetadata.Request())
    assert [r.type_name for r in meta.resources] == [TYPE]
    assert [d.type_name for d in meta.data_sources] == [TYPE]


def test_unsupported_rpcs_answer_with_an_error(plugin: tuple[ServiceClient, PluginServer]) -> None:
    provider, _ = plugin
    assert errors(provider.MoveResourceState(pb.MoveResourceState.Request(target_type_name=TYPE)))
    assert errors(provider.OpenEphemeralResource(pb.OpenEphemeralResource.Request(type_name="kasm_x")))
    assert errors(provider.ValidateEphemeralResourceConfig(pb.ValidateEphemeralResourceConfig.Request()))
    assert errors(provider.UpgradeResourceIdentity(pb.UpgradeResourceIdentity.Request(type_name=TYPE)))
    assert "no function" in provider.CallFunction(pb.CallFunction.Request(name="f")).error.text
    assert not provider.GetFunctions(pb.GetFunctions.Request()).functions
    assert not provider.GetResourceIdentitySchemas(pb.GetResourceIdentitySchemas.Request()).identity_schemas
    unknown = provider.ReadResource(pb.ReadResource.Request(type_name="kasm_nope", current_state=dv(None)))
    assert errors(unknown) == ["Unknown resource type: The provider has no resource type 'kasm_nope'."]


def test_validate(plugin: tuple[ServiceClient, PluginServer]) -> None:
    provider, _ = plugin
    config = thing(
        name="", size=1000, ports=[{"number": 0, "protocol": None}], spec=[{"key": "k" * 30, "value": None}]
    )
    resp = provider.ValidateResourceConfig(
        pb.ValidateResourceConfig.Request(type_name=TYPE, config=dv(config))
    )
    paths = {
        tuple(s.attribute_name or s.element_key_int for s in d.attribute.steps): d.detail
        for d in resp.diagnostics
    }
    assert paths[("name",)] == "Attribute name must be between 1 and 32 characters long, got 0."
    assert paths[("size",)] == "Attribute size must be between 1 and 100, got 1000."
    assert paths[("ports", 0, "number")].startswith("Attribute ports[0].number must be between 1 and 65535")
    assert ("spec", 0, "key") in paths
    # Unknown values are not validated; the resource's own hook runs.
    unknown = thing(name=UNKNOWN, size=UNKNOWN)
    resp = provider.ValidateResourceConfig(
        pb.ValidateResourceConfig.Request(type_name=TYPE, config=dv(unknown))
    )
    assert not resp.diagnostics
    resp = provider.ValidateResourceConfig(
        pb.ValidateResourceConfig.Request(type_name=TYPE, config=dv(thing(name="forbidden")))
    )
    assert errors(resp) == ["Forbidden name: The name forbidden is reserved."]
    # A write-only value needs the client capability.
    wo = thing(name="x", token_wo="s")
    resp = provider.ValidateResourceConfig(pb.ValidateResourceConfig.Request(type_name=TYPE, config=dv(wo)))
    assert errors(resp)[0].startswith("Write-only attribute not supported")
    caps = pb.ClientCapabilities(write_only_attributes_allowed=True)
    resp = provider.ValidateResourceConfig(
        pb.ValidateResourceConfig.Request(type_name=TYPE, config=dv(wo), client_capabilities=caps)
    )
    assert not resp.diagnostics


def plan(provider: ServiceClient, prior: Any, config: dict[str, Any], proposed: Any = None) -> Any:
    if proposed is None:
        # What Terraform proposes: config values, and prior values for computed attributes left null.
        proposed = dict(config)
        if prior is not None:
            for name, attr in ThingResource.schema.attributes.items():
                if attr.computed and config.get(name) is None:
                    proposed[name] = prior[name]
    return provider.PlanResourceChange(
        pb.PlanResourceChange.Request(
            type_name=TYPE, prior_state=dv(prior), proposed_new_state=dv(proposed), config=dv(config)
        )
    )


def apply(provider: ServiceClient, prior: Any, planned: Any, config: Any) -> Any:
    return provider.ApplyResourceChange(
        pb.ApplyResourceChange.Request(
            type_name=TYPE, prior_state=dv(prior), planned_state=dv(planned), config=dv(config)
        )
    )


def test_plan_and_apply(plugin: tuple[ServiceClient, PluginServer]) -> None:
    provider, _ = plugin
    config = thing(name="one", token_wo="s3cret", ports=[{"number": 80, "protocol": None}])
    resp = plan(provider, None, config)
    assert not resp.diagnostics
    planned = decode_msgpack(resp.planned_state.msgpack, T)
    assert planned["id"] is UNKNOWN and planned["revision"] is UNKNOWN and planned["created_at"] is UNKNOWN
    assert planned["zone"] == "a" and planned["size"] == 1  # defaults
    assert planned["ports"] == [{"number": 80, "protocol": "tcp"}]  # nested default
    assert planned["token_wo"] is None  # write-only: never in a plan
    assert not resp.requires_replace

    resp = apply(provider, None, planned, config)
    assert not resp.diagnostics
    state = decode_msgpack(resp.new_state.msgpack, T)
    assert state["id"] and state["revision"] == 1 and state["token_set"] is True and state["token_wo"] is None

    # No change: the plan is the prior state.
    config2 = thing(name="one", ports=[{"number": 80, "protocol": None}])
    resp = plan(provider, state, config2)
    assert decode_msgpack(resp.planned_state.msgpack, T) == state

    # A change: computed values become unknown, except those with UseStateForUnknown.
    resp = plan(provider, state, {**config2, "name": "two"})
    planned = decode_msgpack(resp.planned_state.msgpack, T)
    assert planned["revision"] is UNKNOWN and planned["token_set"] is UNKNOWN
    assert planned["id"] == state["id"] and planned["created_at"] == state["created_at"]
    assert not resp.requires_replace

    # A RequiresReplace attribute changed.
    resp = plan(provider, state, {**config2, "zone": "b"})
    assert [[s.attribute_name for s in p.steps] for p in resp.requires_replace] == [["zone"]]

    # Delete.
    resp = apply(provider, state, None, None)
    assert not resp.diagnostics and decode_msgpack(resp.new_state.msgpack, T) is None
    resp = provider.ReadResource(pb.ReadResource.Request(type_name=TYPE, current_state=dv(state)))
    assert not resp.diagnostics and decode_msgpack(resp.new_state.msgpack, T) is None  # gone: removed


def test_failures_become_diagnostics(plugin: tuple[ServiceClient, PluginServer]) -> None:
    provider, _ = plugin
    config = thing(name="one", fail_on="create")
    planned = decode_msgpack(plan(provider, None, config).planned_state.msgpack, T)
    resp = apply(provider, None, planned, config)
    assert errors(resp) == [
        "Unexpected error in kasm_test_thing create: RuntimeError: injected failure in create"
    ]
    assert decode_msgpack(resp.new_state.msgpack, T) is None

    ok = thing(name="one", fail_on="delete")
    planned = decode_msgpack(plan(provider, None, ok).planned_state.msgpack, T)
    state = decode_msgpack(apply(provider, None, planned, ok).new_state.msgpack, T)
    resp = apply(provider, state, None, None)
    (d,) = resp.diagnostics
    assert d.summary == "Cannot delete this thing" and [s.attribute_name for s in d.attribute.steps] == [
        "fail_on"
    ]
    assert decode_msgpack(resp.new_state.msgpack, T) == state  # still exists: kept in state


def test_upgrade_resource_state(plugin: tuple[ServiceClient, PluginServer]) -> None:
    provider, _ = plugin

    def upgrade(
        version: int, raw: dict[str, Any] | None = None, flatmap: dict[str, str] | None = None
    ) -> Any:
        raw_state = pb.RawState(
            json=json.dumps(raw).encode() if raw is not None else b"", flatmap=flatmap or {}
        )
        return provider.UpgradeResourceState(
            pb.UpgradeResourceState.Request(type_name=TYPE, version=version, raw_state=raw_state)
        )

    # Version 0 called size "count"; attributes the schema no longer has are dropped.
    resp = upgrade(0, {"id": "x", "name": "n", "count": 7, "gone": True, "ratio": 0.1})
    assert not resp.diagnostics
    state = decode_msgpack(resp.upgraded_state.msgpack, T)
    assert state["size"] == 7 and state["id"] == "x" and state["spec"] == [] and "gone" not in state
    assert str(state["ratio"]) == "0.1"
    resp = upgrade(1, {"id": "x", "name": "n", "size": 3})
    assert decode_msgpack(resp.upgraded_state.msgpack, T)["size"] == 3
    assert errors(upgrade(2, {"id": "x"}))[0].startswith("State from a newer provider")
    assert errors(upgrade(1, flatmap={"id": "x"}))[0].startswith("Unsupported state format")


def test_import(plugin: tuple[ServiceClient, PluginServer]) -> None:
    provider, _ = plugin
    resp = provider.ImportResourceState(pb.ImportResourceState.Request(type_name=TYPE, id="abc"))
    (imported,) = resp.imported_resources
    state = decode_msgpack(imported.state.msgpack, T)
    assert (
        imported.type_name == TYPE and state["id"] == "abc" and state["name"] is None and state["spec"] == []
    )


def test_concurrent_calls(plugin: tuple[ServiceClient, PluginServer]) -> None:
    provider, _ = plugin

    def one(i: int) -> str:
        config = thing(name=f"t{i}")
        planned = decode_msgpack(plan(provider, None, config).planned_state.msgpack, T)
        resp = apply(provider, None, planned, config)
        assert not resp.diagnostics
        return str(decode_msgpack(resp.new_state.msgpack, T)["id"])

    with ThreadPoolExecutor(max_workers=12) as pool:
        ids = list(pool.map(one, range(24)))
    assert len(set(ids)) == 24


def test_stop_provider(plugin: tuple[ServiceClient, PluginServer]) -> None:
    provider, server = plugin
    assert not server.stop_event.is_set()
    assert provider.StopProvider(pb.StopProvider.Request()).Error == ""
    assert server.stop_event.is_set()


def test_a_provider_that_fails_to_load_answers_every_rpc_with_an_error() -> None:
    def broken() -> Any:
        raise RuntimeError("boom")

    server = PluginServer(broken)
    server.start()
    threading.Thread(target=server.build_provider).start()
    channel = grpc.insecure_channel(f"unix:{server.socket_path}")
    try:
        provider, *_ = clients(channel)
        resp = provider.GetProviderSchema(pb.GetProviderSchema.Request(), timeout=10)
        assert errors(resp) == [
            "Unexpected error in GetProviderSchema: RuntimeError: the provider could not be loaded: RuntimeError: boom"
        ]
        assert provider.StopProvider(pb.StopProvider.Request(), timeout=10).Error.startswith(
            "Unexpected error"
        )
    finally:
        channel.close()
        server.stop(grace=0)


def test_plan_keeps_the_refinements_of_configured_unknowns(
    plugin: tuple[ServiceClient, PluginServer],
) -> None:
    """Terraform 1.6+ sends refined unknowns (e.g. "prefix-${…}" is a string known to start with
    "prefix-") and rejects a plan whose unknown for a configured attribute lost them."""
    import msgpack

    refined = msgpack.ExtType(12, msgpack.packb({1: False, 2: "prefix-"}))
    config = thing(name=UNKNOWN, aliases=[UNKNOWN, "q"])
    raw = msgpack.unpackb(encode_msgpack(config, T), raw=False, strict_map_key=False)
    raw["name"] = refined
    raw["aliases"][0] = refined
    config_dv = pb.DynamicValue(msgpack=msgpack.packb(raw, use_bin_type=True))
    resp = provider_plan_raw(plugin[0], config_dv)
    assert not resp.diagnostics
    planned = msgpack.unpackb(resp.planned_state.msgpack, raw=False, strict_map_key=False)
    assert planned["name"] == refined and planned["aliases"] == [refined, "q"]
    assert planned["id"] == msgpack.ExtType(0, b"\x00")  # our own unknowns carry no refinements


def provider_plan_raw(provider: ServiceClient, config_dv: pb.DynamicValue) -> Any:
    return provider.PlanResourceChange(
        pb.PlanResourceChange.Request(
            type_name=TYPE, prior_state=dv(None), proposed_new_state=config_dv, config=config_dv
        )
    )


def test_a_failed_create_can_keep_a_partial_state(plugin: tuple[ServiceClient, PluginServer]) -> None:
    provider, _ = plugin
    config = thing(name="one", fail_on="after_create")
    planned = decode_msgpack(plan(provider, None, config).planned_state.msgpack, T)
    resp = apply(provider, None, planned, config)
    assert errors(resp) == ["Created, but not finished: fail_on is after_create"]
    state = decode_msgpack(resp.new_state.msgpack, T)
    assert state["id"] and state["name"] == "one" and state["revision"] == 1
