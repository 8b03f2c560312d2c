"""kasm_image (resource and data source) through the servicer in-process (tests/fixtures/inprocess.py):
JSON normalisation, null handling, what Kasm cannot clear, the docker password, bad input, import."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from terraform_provider_kasm.client.convert import dashed
from terraform_provider_kasm.client.models import ImageSpec
from terraform_provider_kasm.tfplugin import codec
from terraform_provider_kasm.tfplugin._generated import tfplugin6_pb2 as pb
from tests.fixtures.inprocess import Harness, ProviderError

IMG = "kasm_image"
RUN = {"hostname": "kasm", "environment": {"A": "1", "B": "2"}}


def _names(h: Harness) -> list[str]:
    return [i.name for i in h.client.images.list()]


def test_create_sends_every_field_and_unset_fields_stay_null(provider_harness: Harness) -> None:
    h = provider_harness
    config = h.config(
        IMG,
        name="kasmweb/terminal:1.16.0",
        friendly_name="Terminal",
        categories=["Dev", "Tools"],
        cores=1.5,
        memory=2_768_000_000,
        gpu_count=1,
        require_gpu=True,
        cpu_allocation_method="Quotas",
        run_config=json.dumps(RUN, indent=2),
        exec_config=json.dumps({"go": {"cmd": "bash"}}),
        volume_mappings=json.dumps({"/data": {"bind": "/data", "mode": "rw"}}),
        launch_config=json.dumps({"launch_form": []}),
        persistent_profile_path="/profiles/{username}",
        session_time_limit=3600,
        restrict_to_network=True,
        restrict_network_names=["kasm_net"],
        hidden=True,
        uncompressed_size_mb=1200,
    )
    state = h.create(IMG, config)
    image = h.client.images.get(state["id"])
    assert (image.cores, image.memory, image.gpu_count, image.require_gpu) == (1.5, 2_768_000_000, 1, True)
    assert image.run_config == RUN and image.exec_config == {"go": {"cmd": "bash"}}
    assert image.categories == ("Dev", "Tools") and image.restrict_network_names == ("kasm_net",)
    assert (image.session_time_limit, image.hidden, image.uncompressed_size_mb) == (3600, True, 1200)
    assert image.persistent_profile_path == "/profiles/{username}"
    # The configured JSON text is what state holds (indentation and all).
    assert state["run_config"] == config["run_config"]
    # Unset optional fields: null, never "" nor unknown; defaults are Kasm's.
    for name in ("description", "image_src", "docker_registry", "docker_user", "zone_id", "notes"):
        assert state[name] is None, name
    assert (state["enabled"], state["image_type"], state["restrict_to_zone"]) == (True, "Container", False)
    assert h.changes(IMG, state, config) == {}


def test_json_key_order_and_whitespace_are_no_change(provider_harness: Harness) -> None:
    h = provider_harness
    config = h.config(IMG, name="kasmweb/a:1", run_config=json.dumps(RUN))
    state = h.create(IMG, config)
    reordered = {**config, "run_config": '{ "environment": {"B": "2",\n "A": "1"}, "hostname": "kasm" }'}
    assert h.changes(IMG, state, reordered) == {}
    # A real change is planned and applied; the state keeps the configured text.
    changed = {**config, "run_config": json.dumps({**RUN, "hostname": "other"})}
    assert set(h.changes(IMG, state, changed)) == {"run_config"}
    state = h.update(IMG, state, changed)
    assert h.client.images.get(state["id"]).run_config["hostname"] == "other"
    assert state["run_config"] == changed["run_config"]
    # Changed outside Terraform: the drift is shown as Kasm's JSON and planned back.
    h.client.images.update(
        state["id"], dataclasses.replace(h.client.images.get(state["id"]).to_spec(), run_config={"x": 1})
    )
    drift = h.changes(IMG, state, changed)
    assert drift == {"run_config": ('{"x":1}', changed["run_config"])}
    # Removing it clears it in Kasm (null in state).
    state = h.update(IMG, state, {**changed, "run_config": None})
    assert state["run_config"] is None and h.client.images.get(state["id"]).run_config == {}


def test_kasm_cannot_clear_some_fields_so_leaving_them_out_keeps_them(provider_harness: Harness) -> None:
    h = provider_harness
    config = h.config(IMG, name="kasmweb/b:1", friendly_name="B", description="about b", docker_user="bot")
    state = h.create(IMG, config)
    # description is sticky in Kasm: removing it keeps Kasm's value, no diff, no update.
    removed = {**config, "description": None, "docker_user": None}
    planned = h.plan(IMG, state, removed).state
    assert planned["description"] == "about b" and planned["docker_user"] is None
    state = h.update(IMG, state, removed)
    image = h.client.images.get(state["id"])
    assert (image.description, image.docker_user) == ("about b", None)
    assert (state["description"], state["docker_user"]) == ("about b", None)
    assert h.changes(IMG, state, removed) == {}
    # A changed description is sent; fields the resource does not manage (x_res) are kept.
    h.client.images.update(state["id"], dataclasses.replace(image.to_spec(), x_res=1024))
    state = h.update(IMG, state, {**removed, "description": "new"})
    image = h.client.images.get(state["id"])
    assert (image.description, image.x_res) == ("new", 1024)


def test_docker_password_is_never_read_back(provider_harness: Harness) -> None:
    h = provider_harness
    config = h.config(
        IMG, name="private/app:1", docker_registry="https://r.example/", docker_password="s3cret"
    )
    state = h.create(IMG, config)
    assert state["docker_password"] == "s3cret"
    image = h.client.images.get(state["id"])
    assert image.docker_token == "**********"
    # An unrelated update keeps the token (sent back masked).
    state = h.update(IMG, state, {**config, "friendly_name": "App"})
    assert h.client.images.get(state["id"]).docker_token == "**********"
    # Cleared outside Terraform: state forgets the password, so the plan sends it again.
    h.client.images.update(
        state["id"], dataclasses.replace(h.client.images.get(state["id"]).to_spec(), docker_token=None)
    )
    assert h.changes(IMG, state, {**config, "friendly_name": "App"}) == {"docker_password": (None, "s3cret")}
    state = h.update(IMG, state, {**config, "friendly_name": "App"})
    assert h.client.images.get(state["id"]).docker_token == "**********"
    # Removing it clears Kasm's token.
    state = h.update(IMG, state, {**config, "friendly_name": "App", "docker_password": None})
    assert h.client.images.get(state["id"]).docker_token is None


def test_docker_password_write_only(provider_harness: Harness) -> None:
    h = provider_harness
    config = h.config(IMG, name="private/wo:1", docker_password_wo="tok", docker_password_wo_version=1)
    state = h.create(IMG, config)
    assert state["docker_password_wo"] is None and state["docker_password_wo_version"] == 1
    assert h.client.images.get(state["id"]).docker_token == "**********"
    assert h.changes(IMG, state, config) == {}
    # A new version sends the value again (Kasm's stored token is then replaced).
    state = h.update(IMG, state, {**config, "docker_password_wo": "tok2", "docker_password_wo_version": 2})
    assert state["docker_password_wo_version"] == 2
    with pytest.raises(ProviderError) as failed:
        h.validate(IMG, {**config, "docker_password": "x"})
    assert "docker_password" in failed.value.text


@pytest.mark.parametrize(
    ("values", "attribute", "words"),
    [
        ({"cores": -1}, "cores", "greater than 0"),
        ({"memory": 0}, "memory", "greater than 0"),
        ({"gpu_count": -2}, "gpu_count", "0 or more"),
        ({"run_config": "{not json"}, "run_config", "not valid JSON"),
        ({"volume_mappings": "[1]"}, "volume_mappings", "must be a JSON object"),
        ({"image_type": "VM"}, "image_type", "Container"),
        ({"cpu_allocation_method": "Fair"}, "cpu_allocation_method", "Inherit"),
        ({"persistent_profile_path": "/profiles/shared"}, "persistent_profile_path", "{username}"),
        ({"restrict_to_zone": True}, "zone_id", "needs zone_id"),
        ({"restrict_to_server": True}, "server_id", "needs server_id"),
        ({"restrict_to_network": True}, "restrict_network_names", "docker network"),
        ({"categories": ["a", "a"]}, "categories", "twice"),
        ({"zone_id": "not-an-id"}, "zone_id", "UUID"),
        ({"docker_password_wo_version": 1}, "docker_password_wo_version", "docker_password_wo"),
        (
            {"filter_policy_force_disabled": True, "filter_policy_id": "c" * 32},
            "filter_policy_id",
            "not both",
        ),
    ],
)
def test_bad_input_names_the_attribute(
    provider_harness: Harness, values: dict[str, Any], attribute: str, words: str
) -> None:
    h = provider_harness
    before = _names(h)
    with pytest.raises(ProviderError) as failed:
        h.create(IMG, h.config(IMG, name="kasmweb/bad:1", **values))
    assert any(path == attribute and words in f"{s} {d}" for s, d, path in failed.value.diagnostics), (
        failed.value.diagnostics
    )
    assert _names(h) == before


def test_kasm_refusals_name_the_attribute_and_leave_nothing(provider_harness: Harness) -> None:
    h = provider_harness
    before = _names(h)
    with pytest.raises(ProviderError) as failed:
        h.create(IMG, h.config(IMG, name="kasmweb/z:1", restrict_to_zone=True, zone_id="e" * 32))
    assert failed.value.diagnostics[0][0] == "Unknown zone" and failed.value.diagnostics[0][2] == "zone_id"
    with pytest.raises(ProviderError) as failed:
        h.create(IMG, h.config(IMG, name="kasmweb/s:1", restrict_to_server=True, server_id="d" * 32))
    assert "No Server exists" in failed.value.text and failed.value.diagnostics[0][2] == "server_id"
    with pytest.raises(ProviderError) as failed:
        h.create(IMG, h.config(IMG, name="kasmweb/f:1", filter_policy_id="c" * 32))
    assert failed.value.diagnostics[0][2] == "filter_policy_id"
    assert _names(h) == before
    zone = h.client.zones.list()[0]
    state = h.create(
        IMG, h.config(IMG, name="kasmweb/z:1", restrict_to_zone=True, zone_id=dashed(zone.zone_id))
    )
    assert state["zone_id"] == dashed(zone.zone_id)  # the configured spelling is kept


def test_failed_step_after_create_removes_the_image(
    provider_harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    from terraform_provider_kasm.provider.resources import image as module

    h = provider_harness
    before = _names(h)

    def broken(*args: Any) -> Any:
        raise RuntimeError("state could not be built")

    monkeypatch.setattr(module, "image_state", broken)
    with pytest.raises(ProviderError):
        h.create(IMG, h.config(IMG, name="kasmweb/rollback:1"))
    assert _names(h) == before


def test_delete_is_real_and_refused_while_in_use(provider_harness: Harness) -> None:
    h = provider_harness
    state = h.create(IMG, h.config(IMG, name="kasmweb/used:1", friendly_name="Used"))
    cast = h.client.call(
        "create_cast_config",
        {"target_cast_config": {"image_id": state["id"], "key": "k", "casting_config_name": "c"}},
    )
    with pytest.raises(ProviderError) as failed:
        h.delete(IMG, state)
    assert "Image in use" in failed.value.text and "associated Casting Config(s)" in failed.value.text
    h.client.call("delete_cast_config", {"cast_config_id": cast["cast_config"]["cast_config_id"]})
    h.delete(IMG, state)
    assert h.client.images.find(state["id"]) is None
    assert h.read(IMG, state) is None  # gone: removed from state


def test_import_by_id_and_by_name(provider_harness: Harness) -> None:
    h = provider_harness
    image = h.client.images.create(
        ImageSpec(name="kasmweb/imported:1", friendly_name="Imp", run_config=RUN, docker_token="t")
    )
    for import_id in (image.image_id, dashed(image.image_id), "name:kasmweb/imported:1"):
        state = h.import_(IMG, import_id)
        assert state is not None and state["id"] == image.image_id
        assert json.loads(state["run_config"]) == RUN and state["docker_password"] is None
    config = h.config(IMG, name="kasmweb/imported:1", friendly_name="Imp", run_config=json.dumps(RUN))
    state = h.import_(IMG, image.image_id)
    assert state is not None and h.changes(IMG, state, config) == {}
    h.client.images.create(ImageSpec(name="kasmweb/imported:1"))
    with pytest.raises(ProviderError) as failed:
        h.import_(IMG, "name:kasmweb/imported:1")
    assert "Several images have this name" in failed.value.text


def _read_image(h: Harness, **config: Any) -> dict[str, Any]:
    ds = h.servicer.data_sources[IMG]
    value = {**ds.schema.empty_value(), **config}
    response = h.servicer.ReadDataSource(
        pb.ReadDataSource.Request(
            type_name=IMG, config=pb.DynamicValue(msgpack=codec.encode_msgpack(value, ds.schema.value_type))
        ),
        None,
    )
    h._check("ReadDataSource", response)
    result: dict[str, Any] = codec.decode_msgpack(response.state.msgpack, ds.schema.value_type)
    return result


def test_data_source_by_id_or_exact_name(provider_harness: Harness) -> None:
    h = provider_harness
    image = h.client.images.create(
        ImageSpec(
            name="kasmweb/ds:1", friendly_name="DS", categories=("X",), run_config=RUN, docker_token="t"
        )
    )
    by_name = _read_image(h, name="kasmweb/ds:1")
    by_id = _read_image(h, id=dashed(image.image_id))
    assert by_name["id"] == image.image_id and by_id["id"] == dashed(image.image_id)
    assert by_name["friendly_name"] == "DS" and by_name["categories"] == ["X"]
    assert json.loads(by_name["run_config"]) == RUN and "docker_password" not in by_name
    assert {k: v for k, v in by_id.items() if k != "id"} == {k: v for k, v in by_name.items() if k != "id"}
    with pytest.raises(ProviderError) as failed:
        _read_image(h, name="kasmweb/none:1")
    assert "Image not found" in failed.value.text
    with pytest.raises(ProviderError):
        _read_image(h)  # neither id nor name


def test_memory_below_a_megabyte_warns_that_it_is_in_bytes(provider_harness: Harness) -> None:
    h = provider_harness
    for memory, warned in ((2048, True), (2_768_000_000, False)):
        response = h.servicer.ValidateResourceConfig(
            pb.ValidateResourceConfig.Request(
                type_name=IMG,
                config=h._dv(IMG, h.config(IMG, name="x", memory=memory)),
                client_capabilities=h.caps,
            ),
            None,
        )
        warnings = [d for d in response.diagnostics if d.severity == pb.Diagnostic.WARNING]
        assert [d.summary for d in warnings] == (["Memory is in bytes"] if warned else [])


def test_a_decimal_number_of_cores_is_kept_as_configured(provider_harness: Harness) -> None:
    from decimal import Decimal

    h = provider_harness
    config = h.config(IMG, name="kasmweb/tenth:1", cores=Decimal("0.1"))
    state = h.create(IMG, config)
    # Terraform's 0.1 is a decimal, Kasm stores the float 0.1: the configured number stays in state.
    assert state["cores"] == Decimal("0.1") and h.client.images.get(state["id"]).cores == 0.1
    assert h.changes(IMG, state, config) == {}


@pytest.mark.parametrize(
    "example",
    [
        # The Go provider's docs/resources/image.md, "Basic Image" and "Custom Image with Registry"
        # (its memory "in MB" is bytes in Kasm and in both providers: a warning says so).
        {
            "name": "Ubuntu Workspace",
            "image_src": "ubuntu:focal",
            "friendly_name": "Ubuntu 20.04",
            "description": "Basic Ubuntu workspace",
            "memory": 2048,
            "cores": 2,
            "enabled": True,
        },
        {
            "name": "Development Environment",
            "image_src": "registry.company.com/dev-workspace:latest",
            "friendly_name": "Development Workspace",
            "description": "Full development environment with tools",
            "docker_registry": "registry.company.com",
            "memory": 4096,
            "cores": 4,
            "enabled": True,
        },
        # docs/guides/managing_images.md
        {"name": "Ubuntu 20.04", "description": "A base image for development"},
    ],
)
def test_go_provider_documentation_examples_apply(provider_harness: Harness, example: dict[str, Any]) -> None:
    h = provider_harness
    config = h.config(IMG, **example)
    state = h.create(IMG, config)
    image = h.client.images.get(state["id"])
    assert (image.name, image.description) == (example["name"], example["description"])
    assert h.changes(IMG, state, config) == {}
    h.delete(IMG, state)
    assert h.client.images.find(state["id"]) is None


def test_update_of_an_image_deleted_since_the_plan_says_so(provider_harness: Harness) -> None:
    h = provider_harness
    config = h.config(IMG, name="kasmweb/vanishing:1")
    state = h.create(IMG, config)
    changed = {**config, "friendly_name": "Gone soon"}
    planned = h.plan(IMG, state, changed).state
    h.client.images.delete(state["id"])
    with pytest.raises(ProviderError) as failed:
        h.apply(IMG, state, planned, changed)
    assert "Image not found" in failed.value.text and "plan again" in failed.value.text
