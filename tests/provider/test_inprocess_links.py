"""kasm_group, kasm_group_image, kasm_group_membership and kasm_images through the servicer in-process
(tests/fixtures/inprocess.py): import id forms, drift, normalisation."""

from __future__ import annotations

from typing import Any

import pytest

from terraform_provider_kasm.client.convert import dashed
from terraform_provider_kasm.server.seed import ALL_USERS_GROUP_ID
from terraform_provider_kasm.tfplugin import codec
from terraform_provider_kasm.tfplugin._generated import tfplugin6_pb2 as pb
from tests.fixtures.inprocess import Harness, ProviderError

G, GI, GM = "kasm_group", "kasm_group_image", "kasm_group_membership"


@pytest.mark.parametrize("description", [None, "", "Dev team"])
@pytest.mark.parametrize("priority", [1, 100, 4095])
def test_group_create_and_empty_plan(
    provider_harness: Harness, description: str | None, priority: int
) -> None:
    h = provider_harness
    config = h.config(G, name="Developers", priority=priority, description=description)
    state = h.create(G, config)
    assert len(state["id"]) == 32 and state["is_system"] is False and state["priority"] == priority
    assert state["description"] == description
    group = h.client.groups.get(state["id"])
    assert (group.name, group.priority, group.description or "") == (
        "Developers",
        priority,
        description or "",
    )
    assert h.changes(G, state, config) == {}


@pytest.mark.parametrize("form", ["id", "dashed", "name"])
def test_group_import_forms(provider_harness: Harness, form: str) -> None:
    h = provider_harness
    group = h.client.groups.create("Imported", priority=42)
    import_id = {"id": group.group_id, "dashed": dashed(group.group_id), "name": "name:Imported"}[form]
    state = h.import_(G, import_id)
    assert state is not None and state["id"] == group.group_id
    assert (state["name"], state["priority"]) == ("Imported", 42)


@pytest.mark.parametrize("bad", ["nope", "name:No Such Group"])
def test_group_import_errors(provider_harness: Harness, bad: str) -> None:
    with pytest.raises(ProviderError) as failed:
        provider_harness.import_(G, bad)
    assert ("Invalid import ID" if bad == "nope" else "Group not found") in failed.value.text


@pytest.mark.parametrize("priority", [0, 4096, 5000])
def test_group_priority_out_of_range(provider_harness: Harness, priority: int) -> None:
    h = provider_harness
    with pytest.raises(ProviderError) as failed:
        h.validate(G, h.config(G, name="x", priority=priority))
    assert f"priority must be between 1 and 4095, got {priority}" in failed.value.text


def test_group_drift(provider_harness: Harness) -> None:
    h = provider_harness
    config = h.config(G, name="Drift", priority=10)
    state = h.create(G, config)
    h.client.groups.update(state["id"], priority=20)
    assert h.changes(G, state, config) == {"priority": (20, 10)}
    state = h.update(G, state, config)
    assert h.client.groups.get(state["id"]).priority == 10
    h.client.groups.delete(state["id"])
    assert h.read(G, state) is None


@pytest.fixture
def group_and_images(provider_harness: Harness) -> tuple[str, list[str]]:
    group = provider_harness.client.groups.create("ImageUsers", priority=50)
    return group.group_id, sorted(i.image_id for i in provider_harness.client.images.list())[:3]


@pytest.mark.parametrize("index", [0, 1, 2])
@pytest.mark.parametrize("spelling", ["hex", "dashed"])
def test_group_image_create_import_and_drift(
    provider_harness: Harness, group_and_images: tuple[str, list[str]], index: int, spelling: str
) -> None:
    h = provider_harness
    group_id, images = group_and_images
    image_id = images[index]
    spell = dashed if spelling == "dashed" else str
    config = h.config(GI, group_id=spell(group_id), image_id=spell(image_id))
    state = h.create(GI, config)
    assert state["id"] == f"{group_id}:{image_id}"
    assert state["group_name"] == "ImageUsers" and len(state["group_image_id"]) == 32
    assert {r.image_id for r in h.client.groups.images(group_id)} == {image_id}
    assert h.changes(GI, state, config) == {}
    imported = h.import_(GI, f"{spell(group_id)}:{spell(image_id)}")
    assert imported is not None and imported["id"] == state["id"] and imported["group_id"] == group_id
    h.client.groups.remove_image(group_id, image_id)
    assert h.read(GI, state) is None


@pytest.mark.parametrize("bad", ["just-one-part", "a:b:c", "not-an-id:also-not"])
def test_group_image_import_errors(provider_harness: Harness, bad: str) -> None:
    with pytest.raises(ProviderError) as failed:
        provider_harness.import_(GI, bad)
    assert "Invalid import ID" in failed.value.text or "must be a Kasm id" in failed.value.text


def test_group_image_other_image_is_a_replacement(
    provider_harness: Harness, group_and_images: tuple[str, list[str]]
) -> None:
    h = provider_harness
    group_id, images = group_and_images
    state = h.create(GI, h.config(GI, group_id=group_id, image_id=images[0]))
    planned = h.plan(GI, state, h.config(GI, group_id=group_id, image_id=images[1]))
    assert planned.requires_replace == ["image_id"]


@pytest.mark.parametrize("form", ["hex", "dashed user", "dashed both"])
def test_group_membership_import_forms_and_drift(provider_harness: Harness, form: str) -> None:
    h = provider_harness
    group = h.client.groups.create("Members", priority=60)
    user = h.client.users.create("member@example.com", password="Passw0rd!x")
    state = h.create(GM, h.config(GM, group_id=group.group_id, user_id=user.user_id))
    assert state["id"] == f"{group.group_id}:{user.user_id}"
    assert user.user_id in {m.user_id for m in h.client.groups.users(group.group_id)}
    g, u = group.group_id, user.user_id
    import_id = {
        "hex": f"{g}:{u}",
        "dashed user": f"{g}:{dashed(u)}",
        "dashed both": f"{dashed(g)}:{dashed(u)}",
    }[form]
    imported = h.import_(GM, import_id)
    assert imported is not None and (imported["group_id"], imported["user_id"]) == (g, u)
    # Removed outside Terraform: gone from state on read.
    h.client.groups.remove_user(g, u)
    assert h.read(GM, state) is None


def test_group_membership_user_deleted_is_removed(provider_harness: Harness) -> None:
    h = provider_harness
    group = h.client.groups.create("Members", priority=60)
    user = h.client.users.create("gone@example.com", password="Passw0rd!x")
    state = h.create(GM, h.config(GM, group_id=group.group_id, user_id=user.user_id))
    h.client.users.delete(user.user_id, force=True)
    assert h.read(GM, state) is None


def test_group_membership_all_users_is_adopted(provider_harness: Harness) -> None:
    h = provider_harness
    user = h.client.users.create("everyone@example.com", password="Passw0rd!x")
    state = h.create(GM, h.config(GM, group_id=ALL_USERS_GROUP_ID, user_id=user.user_id))
    assert state["id"] == f"{ALL_USERS_GROUP_ID}:{user.user_id}"
    h.delete(GM, state)
    assert user.user_id in {m.user_id for m in h.client.groups.users(ALL_USERS_GROUP_ID)}


def test_group_membership_existing_is_a_clear_error(provider_harness: Harness) -> None:
    h = provider_harness
    group = h.client.groups.create("Taken", priority=70)
    user = h.client.users.create("carol@example.com", password="Passw0rd!x")
    h.client.groups.add_user(group.group_id, user.user_id)
    with pytest.raises(ProviderError) as failed:
        h.create(GM, h.config(GM, group_id=group.group_id, user_id=user.user_id))
    assert "Already a member" in failed.value.text and f"{group.group_id}:{user.user_id}" in failed.value.text


def read_images(h: Harness, filter_: dict[str, Any] | None = None) -> dict[str, Any]:
    ds = h.servicer.data_sources["kasm_images"]
    config = ds.schema.empty_value()
    if filter_ is not None:
        block = ds.schema.blocks["filter"]
        config["filter"] = [{**{k: None for k in block.attributes}, **filter_}]
    response = h.servicer.ReadDataSource(
        pb.ReadDataSource.Request(
            type_name="kasm_images",
            config=pb.DynamicValue(msgpack=codec.encode_msgpack(config, ds.schema.value_type)),
        ),
        None,
    )
    h._check("ReadDataSource", response)
    value: dict[str, Any] = codec.decode_msgpack(response.state.msgpack, ds.schema.value_type)
    return value


def test_images_all_in_order(provider_harness: Harness) -> None:
    h = provider_harness
    value = read_images(h)
    on_server = h.client.images.list()
    assert {i["id"] for i in value["images"]} == {i.image_id for i in on_server}
    assert [i["id"] for i in value["images"]] == [i.image_id for i in on_server]  # Kasm's order, kept


@pytest.mark.parametrize("enabled", [True, False])
def test_images_filter_enabled(provider_harness: Harness, enabled: bool) -> None:
    h = provider_harness
    value = read_images(h, {"enabled": enabled})
    assert value["id"] == f"enabled={str(enabled).lower()}"
    expected = {i.image_id for i in h.client.images.list() if i.enabled is enabled}
    assert {i["id"] for i in value["images"]} == expected
    assert all(i["enabled"] is enabled for i in value["images"])


def test_images_filter_name(provider_harness: Harness) -> None:
    h = provider_harness
    terminal = next(i for i in h.client.images.list() if i.name.startswith("kasmweb/terminal"))
    value = read_images(h, {"name": terminal.name})
    assert [i["id"] for i in value["images"]] == [terminal.image_id]
    assert value["id"] == f"name={terminal.name}"
