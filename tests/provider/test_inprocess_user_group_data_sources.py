"""kasm_users, kasm_user, kasm_groups and kasm_group through the servicer in-process: paging to the
end (with call counts), lookups by id/username/name, not-found errors naming the attribute."""

from __future__ import annotations

from typing import Any

import pytest

from terraform_provider_kasm.client.convert import dashed
from terraform_provider_kasm.server.seed import ALL_USERS_GROUP_ID
from tests.fixtures.inprocess import Harness, ProviderError


def _calls(app: Any) -> dict[str, int]:
    counts: dict[str, int] = app.state.kasm.calls.snapshot()
    return counts


def test_users_reads_every_page(provider_harness: Harness, kasm_app: Any) -> None:
    h = provider_harness
    group = h.client.groups.create("Readers", priority=20)
    image = h.client.images.list()[0]
    h.client.groups.add_image(group.group_id, image.image_id)
    made = [h.client.users.create(f"user{n:03d}@example.com") for n in range(205)]
    h.client.groups.add_user(group.group_id, made[0].user_id)
    expected = len(h.client.users.list())
    assert expected == 206  # the seeded admin too

    kasm_app.state.kasm.calls.reset()
    state = h.read_data_source("kasm_users")
    calls = _calls(kasm_app)
    users = state["users"]
    assert state["id"] == "users"
    assert len(users) == expected
    assert {u.user_id for u in made} <= {u["id"] for u in users}
    assert [u["username"] for u in users] == sorted(u["username"] for u in users)
    # 206 users at 100 a page: three get_users calls, then one get_images + one get_images_group per group.
    assert calls["get_users"] == 3
    assert calls["get_images_group"] == len({gid for u in users for gid in u["group_ids"]})
    assert calls.get("get_user", 0) == 0

    first = next(u for u in users if u["id"] == made[0].user_id)
    assert first["groups"] == sorted(["All Users", "Readers"])
    assert first["group_ids"] == sorted([ALL_USERS_GROUP_ID, group.group_id])
    assert first["authorized_images"] == ([image.image_id] if image.enabled else [])
    assert (first["first_name"], first["locked"], first["disabled"]) == (None, False, False)


@pytest.mark.parametrize("by", ["id", "dashed", "username", "Username"])
def test_user_by_id_or_username(provider_harness: Harness, by: str) -> None:
    h = provider_harness
    user = h.client.users.create("jdoe@example.com", first_name="Jane")
    given = {
        "id": user.user_id,
        "dashed": dashed(user.user_id),
        "username": "jdoe@example.com",
        "Username": "JDoe@example.com",
    }[by]
    attribute = "username" if by.lower() == "username" else "id"
    state = h.read_data_source("kasm_user", **{attribute: given})
    assert state[attribute] == given  # the configured spelling
    assert state["username" if attribute == "id" else "id"] == (
        "jdoe@example.com" if attribute == "id" else user.user_id
    )
    assert state["first_name"] == "Jane" and state["groups"] == ["All Users"]


@pytest.mark.parametrize(
    ("data_source", "values", "attribute", "summary"),
    [
        ("kasm_user", {"id": "0" * 31 + "1"}, "id", "User not found"),
        ("kasm_user", {"username": "nobody@example.com"}, "username", "User not found"),
        ("kasm_group", {"id": "0" * 31 + "1"}, "id", "Group not found"),
        ("kasm_group", {"name": "No Such Group"}, "name", "Group not found"),
    ],
)
def test_not_found_names_the_attribute(
    provider_harness: Harness, data_source: str, values: dict[str, str], attribute: str, summary: str
) -> None:
    with pytest.raises(ProviderError) as failed:
        provider_harness.read_data_source(data_source, **values)
    (got, detail, path) = failed.value.diagnostics[0]
    assert (got, path) == (summary, attribute)
    assert repr(next(iter(values.values()))) in detail


@pytest.mark.parametrize(
    ("data_source", "values"),
    [
        ("kasm_user", {}),
        ("kasm_user", {"id": "0" * 32, "username": "x"}),
        ("kasm_group", {}),
        ("kasm_group", {"id": "0" * 32, "name": "x"}),
    ],
)
def test_exactly_one_lookup_attribute(
    provider_harness: Harness, data_source: str, values: dict[str, str]
) -> None:
    with pytest.raises(ProviderError) as failed:
        provider_harness.read_data_source(data_source, **values)
    assert "Invalid Attribute Combination" in failed.value.text or "exactly one" in failed.value.text.lower()


def test_groups_and_group(provider_harness: Harness) -> None:
    h = provider_harness
    group = h.client.groups.create("Developers", priority=30, description="devs")
    sharing = next(s for s in h.client.groups.settings() if s.name == "allow_kasm_sharing")
    h.client.groups.add_setting(group.group_id, sharing, "true")

    state = h.read_data_source("kasm_groups")
    assert state["id"] == "groups"
    names = [g["name"] for g in state["groups"]]
    assert names == sorted(names) and {"Administrators", "All Users", "Developers"} <= set(names)
    dev = next(g for g in state["groups"] if g["name"] == "Developers")
    assert (dev["id"], dev["group_id"], dev["priority"], dev["description"], dev["is_system"]) == (
        group.group_id,
        group.group_id,
        30,
        "devs",
        False,
    )
    assert dev["permissions"] == []  # the seeded key is Global Admin: read, and empty
    admins = next(g for g in state["groups"] if g["name"] == "Administrators")
    assert "Global Admin" in admins["permissions"] and admins["is_system"] is True

    by_name = h.read_data_source("kasm_group", name="Developers")
    by_id = h.read_data_source("kasm_group", id=dashed(group.group_id))
    assert by_name["id"] == group.group_id and by_id["name"] == "Developers"
    assert by_id["id"] == dashed(group.group_id)  # the configured spelling
    assert by_name["settings"] == {"allow_kasm_sharing": "true"}
    assert "group_id" not in by_name  # only the list keeps the Go provider's name
