"""kasm_user through the servicer in-process (tests/fixtures/inprocess.py): spelling, profile texts,
groups by id or name, import forms, drift."""

from __future__ import annotations

import pytest

from terraform_provider_kasm.client.convert import dashed
from terraform_provider_kasm.server.seed import ALL_USERS_GROUP_ID
from tests.fixtures.inprocess import Harness, ProviderError

T = "kasm_user"


@pytest.mark.parametrize(
    "spelling", ["Dev.User@Example.com", "dev.user@example.com", "DEV.USER@EXAMPLE.COM", "Mixed.Case"]
)
def test_configured_username_spelling_is_kept(provider_harness: Harness, spelling: str) -> None:
    h = provider_harness
    state = h.create(T, h.config(T, username=spelling, password="Password123!"))
    assert state["username"] == spelling
    assert h.client.users.get(state["id"]).username == spelling.lower()
    assert h.changes(T, state, h.config(T, username=spelling, password="Password123!")) == {}


@pytest.mark.parametrize("field", ["first_name", "last_name", "phone", "organization"])
@pytest.mark.parametrize("configured", ["", None, "Text"])
def test_profile_texts_empty_null_and_set(
    provider_harness: Harness, field: str, configured: str | None
) -> None:
    h = provider_harness
    config = h.config(T, username="profile", password="Password123!", **{field: configured})
    state = h.create(T, config)
    # What was configured is what state holds ("" stays "", null stays null).
    assert state[field] == configured
    on_server = getattr(h.client.users.get(state["id"]), field)
    assert (on_server or "") == (configured or "")
    assert h.changes(T, state, config) == {}


@pytest.mark.parametrize("by", ["id", "dashed id", "name"])
def test_groups_by_id_or_name(provider_harness: Harness, by: str) -> None:
    h = provider_harness
    group = h.client.groups.create("Developers", priority=10)
    ref = {"id": group.group_id, "dashed id": dashed(group.group_id), "name": "Developers"}[by]
    config = h.config(T, username="member", password="Password123!", groups=[ref])
    state = h.create(T, config)
    assert state["groups"] == [ref]  # the configured spelling
    assert {g.group_id for g in h.client.users.get(state["id"]).groups} == {
        ALL_USERS_GROUP_ID,
        group.group_id,
    }
    assert h.changes(T, state, config) == {}


def test_groups_update_adds_and_removes_only_the_difference(provider_harness: Harness) -> None:
    h = provider_harness
    a = h.client.groups.create("A", priority=10)
    b = h.client.groups.create("B", priority=11)
    state = h.create(T, h.config(T, username="mover", password="Password123!", groups=["A"]))
    state = h.update(T, state, h.config(T, username="mover", password="Password123!", groups=["B"]))
    assert {g.group_id for g in h.client.users.get(state["id"]).groups} == {ALL_USERS_GROUP_ID, b.group_id}
    assert a.group_id not in {m.user_id for m in h.client.groups.users(a.group_id)}
    assert state["groups"] == ["B"]


def test_unknown_group_fails_and_leaves_no_user(provider_harness: Harness) -> None:
    h = provider_harness
    with pytest.raises(ProviderError) as failed:
        h.create(T, h.config(T, username="nogroup", password="Password123!", groups=["No Such Group"]))
    assert "Unknown group" in failed.value.text and "No Such Group" in failed.value.text
    assert h.client.users.find(username="nogroup") is None


@pytest.mark.parametrize("form", ["id", "dashed", "username", "username upper"])
def test_import_forms(provider_harness: Harness, form: str) -> None:
    h = provider_harness
    user = h.client.users.create("imported.user", password="Password123!", first_name="Ann")
    import_id = {
        "id": user.user_id,
        "dashed": dashed(user.user_id),
        "username": "username:imported.user",
        "username upper": "username:Imported.User",
    }[form]
    state = h.import_(T, import_id)
    assert state is not None and state["id"] == user.user_id and state["first_name"] == "Ann"
    assert state["password"] is None
    expected = "Imported.User" if form == "username upper" else "imported.user"
    assert state["username"] == expected


def test_import_of_an_unknown_id_reads_nothing(provider_harness: Harness) -> None:
    # Terraform then reports "Cannot import non-existent remote object".
    assert provider_harness.import_(T, "0123456789abcdef0123456789abcdef") is None


@pytest.mark.parametrize("bad", ["not-an-id", "username:nobody"])
def test_import_errors(provider_harness: Harness, bad: str) -> None:
    with pytest.raises(ProviderError) as failed:
        provider_harness.import_(T, bad)
    assert ("Invalid import ID" if bad == "not-an-id" else "not found") in failed.value.text


def test_deleted_outside_is_removed_from_state(provider_harness: Harness) -> None:
    h = provider_harness
    state = h.create(T, h.config(T, username="ephemeral", password="Password123!"))
    h.client.users.delete(state["id"])
    assert h.read(T, state) is None
    h.delete(T, state)  # deleting one already gone succeeds


def test_locked_and_rename_in_place(provider_harness: Harness) -> None:
    h = provider_harness
    state = h.create(T, h.config(T, username="before", password="Password123!"))
    new = h.update(T, state, h.config(T, username="After", password="Password123!", locked=True))
    assert new["id"] == state["id"] and new["username"] == "After" and new["locked"] is True
    user = h.client.users.get(state["id"])
    assert (user.username, user.locked) == ("after", True)
