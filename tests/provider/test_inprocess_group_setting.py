"""kasm_group_setting through the servicer in-process (tests/fixtures/inprocess.py): values typed as
Kasm types them, catalogue checks at plan and at apply, drift, import, All Users, destroy."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from terraform_provider_kasm.client.convert import dashed
from terraform_provider_kasm.provider.resources.group_setting import from_kasm, to_kasm, type_error
from terraform_provider_kasm.server.seed import ALL_USERS_GROUP_ID
from terraform_provider_kasm.tfplugin.types import UNKNOWN
from tests.fixtures.inprocess import Harness, ProviderError

GS = "kasm_group_setting"


def _group(h: Harness, name: str = "Settings") -> str:
    return h.client.groups.create(name, priority=50).group_id


def _kasm_value(h: Harness, group_id: str, name: str) -> str | None:
    return next((s.value for s in h.client.groups.settings(group_id) if s.name == name), None)


@pytest.mark.parametrize(
    ("name", "value", "stored", "value_type"),
    [
        ("allow_kasm_sharing", True, "true", "bool"),
        ("allow_kasm_sharing", False, "false", "bool"),
        ("keepalive_expiration", 7200, "7200", "int"),
        ("idle_disconnect", Decimal("2.5"), "2.5", "float"),
        ("idle_disconnect", 30, "30", "float"),
        ("default_image", "", "", "string"),
        ("web_filter_policy", "strict", "strict", "string"),
        ("metadata", '{"b": 1, "a": [1, 2]}', '{"b": 1, "a": [1, 2]}', "json"),
        ("usage_limit", "", "", "usage_limit"),
    ],
)
def test_create_stores_kasms_string_and_plans_empty(
    provider_harness: Harness, name: str, value: Any, stored: str, value_type: str
) -> None:
    h = provider_harness
    group_id = _group(h)
    config = h.config(GS, group_id=group_id, name=name, value=value)
    planned = h.plan(GS, None, config).state
    assert (planned["id"], planned["value_type"]) == (f"{group_id}:{name}", value_type)
    state = h.create(GS, config)
    assert state["value"] == value and state["value_type"] == value_type
    assert len(state["group_setting_id"]) == 32
    assert _kasm_value(h, group_id, name) == stored
    assert h.changes(GS, state, config) == {}


def test_update_in_place_drift_and_destroy(provider_harness: Harness) -> None:
    h = provider_harness
    group_id = _group(h)
    config = h.config(GS, group_id=dashed(group_id), name="keepalive_expiration", value=3600)
    state = h.create(GS, config)
    assert state["group_id"] == dashed(group_id)  # the configured spelling is kept

    changed = h.config(GS, group_id=dashed(group_id), name="keepalive_expiration", value=600)
    assert h.changes(GS, state, changed) == {"value": (3600, 600)}
    state = h.update(GS, state, changed)
    assert _kasm_value(h, group_id, "keepalive_expiration") == "600"
    assert h.changes(GS, state, changed) == {}

    # Changed outside Terraform: the plan puts the configured value back.
    h.client.groups.update_setting(group_id, state["group_setting_id"], "60")
    assert h.changes(GS, state, changed) == {"value": (60, 600)}

    # Removed outside Terraform: gone from state, planned again.
    h.client.groups.remove_setting(state["group_setting_id"])
    assert h.read(GS, state) is None
    state = h.create(GS, changed)
    assert _kasm_value(h, group_id, "keepalive_expiration") == "600"

    h.delete(GS, state)
    assert _kasm_value(h, group_id, "keepalive_expiration") is None
    # The group deleted outside Terraform: the setting is gone too.
    state = h.create(GS, changed)
    h.client.groups.delete(group_id)
    assert h.read(GS, state) is None
    h.delete(GS, state)  # already gone is success


def test_json_values_compare_semantically(provider_harness: Harness) -> None:
    h = provider_harness
    group_id = _group(h)
    config = h.config(GS, group_id=group_id, name="metadata", value='{"a": 1, "b": {"c": true}}')
    state = h.create(GS, config)
    h.client.groups.update_setting(group_id, state["group_setting_id"], '{"b":{"c":true},"a":1}')
    assert h.changes(GS, state, config) == {}
    h.client.groups.update_setting(group_id, state["group_setting_id"], '{"a": 2}')
    h.new_run()
    assert h.changes(GS, state, config) == {"value": ('{"a": 2}', '{"a": 1, "b": {"c": true}}')}


def test_unknown_setting_is_a_plan_error_naming_name(provider_harness: Harness) -> None:
    h = provider_harness
    group_id = _group(h)
    with pytest.raises(ProviderError) as failed:
        h.plan(GS, None, h.config(GS, group_id=group_id, name="allow_kasm_shareing", value=True))
    (summary, detail, path) = failed.value.diagnostics[0]
    assert (summary, path) == ("Unknown group setting", "name")
    assert "'allow_kasm_shareing'" in detail and "Did you mean 'allow_kasm_sharing'" in detail
    assert "keepalive_expiration" in detail  # the catalogue is listed


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("allow_kasm_sharing", "yes", "must be a bool (true or false), got a string"),
        ("allow_kasm_sharing", 1, "must be a bool (true or false), got a number"),
        ("keepalive_expiration", Decimal("1.5"), "must be a whole number"),
        ("keepalive_expiration", "3600", "must be a whole number, got a string"),
        ("idle_disconnect", True, "must be a number, got a bool"),
        ("web_filter_policy", 5, "must be a string, got a number"),
        ("metadata", "{not json", "must be valid JSON"),
        ("metadata", 5, "must be a JSON string"),
    ],
)
def test_wrong_type_is_a_plan_error_naming_value(
    provider_harness: Harness, name: str, value: Any, says: str
) -> None:
    h = provider_harness
    group_id = _group(h)
    with pytest.raises(ProviderError) as failed:
        h.plan(GS, None, h.config(GS, group_id=group_id, name=name, value=value))
    (summary, detail, path) = failed.value.diagnostics[0]
    assert (summary, path) == ("Invalid group setting value", "value")
    assert says in detail and name in detail


def test_catalogue_unreadable_at_plan_is_checked_at_apply(
    provider_harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = provider_harness
    group_id = _group(h)
    config = h.config(GS, group_id=group_id, name="no_such_setting", value=True)
    h.new_run()
    # The catalogue cannot be read at plan: no error yet, value_type unknown.
    monkeypatch.setattr(h.servicer._provider_data, "settings_catalogue", _raise)
    planned = h.plan(GS, None, config).state
    assert planned["value_type"] is UNKNOWN
    monkeypatch.undo()
    with pytest.raises(ProviderError) as failed:
        h.apply(GS, None, planned, config)
    assert failed.value.diagnostics[0][0] == "Unknown group setting"
    assert failed.value.diagnostics[0][2] == "name"
    assert h.client.groups.settings(group_id) == []


def _raise() -> Any:
    from terraform_provider_kasm.client import errors

    raise errors.PermissionDenied("get_settings_group", 401, "Unauthorized")


def test_unknown_group_is_an_apply_error_naming_group_id(provider_harness: Harness) -> None:
    h = provider_harness
    missing = "0" * 31 + "1"
    with pytest.raises(ProviderError) as failed:
        h.create(GS, h.config(GS, group_id=missing, name="allow_kasm_sharing", value=True))
    assert failed.value.diagnostics[0][0] == "Group not found"
    assert failed.value.diagnostics[0][2] == "group_id"


def test_existing_setting_is_not_adopted(provider_harness: Harness) -> None:
    h = provider_harness
    group_id = _group(h)
    sharing = next(s for s in h.client.groups.settings() if s.name == "allow_kasm_sharing")
    h.client.groups.add_setting(group_id, sharing, "true")
    with pytest.raises(ProviderError) as failed:
        h.create(GS, h.config(GS, group_id=group_id, name="allow_kasm_sharing", value=True))
    (summary, detail, path) = failed.value.diagnostics[0]
    assert (summary, path) == ("Group setting already set", "name")
    assert f"terraform import kasm_group_setting.<NAME> {group_id}:allow_kasm_sharing" in detail


@pytest.mark.parametrize("spelling", ["plain", "dashed"])
def test_import_then_empty_plan(provider_harness: Harness, spelling: str) -> None:
    h = provider_harness
    group_id = _group(h)
    expiry = next(s for s in h.client.groups.settings() if s.name == "keepalive_expiration")
    h.client.groups.add_setting(group_id, expiry, "1800")
    import_id = f"{group_id if spelling == 'plain' else dashed(group_id)}:keepalive_expiration"
    state = h.import_(GS, import_id)
    assert state is not None
    assert (state["id"], state["value"], state["value_type"]) == (
        f"{group_id}:keepalive_expiration",
        1800,
        "int",
    )
    config = h.config(GS, group_id=group_id, name="keepalive_expiration", value=1800)
    assert h.changes(GS, state, config) == {}


@pytest.mark.parametrize("bad", ["allow_kasm_sharing", "nope:allow_kasm_sharing", f"{'a' * 32}:"])
def test_import_errors(provider_harness: Harness, bad: str) -> None:
    with pytest.raises(ProviderError) as failed:
        provider_harness.import_(GS, bad)
    assert "Invalid import ID" in failed.value.text and "<group_id>:<name>" in failed.value.text


def test_import_of_a_setting_the_group_lacks_is_gone(provider_harness: Harness) -> None:
    h = provider_harness
    group_id = _group(h)
    # Nothing to import: the read finds nothing (Terraform then says the object does not exist).
    assert h.import_(GS, f"{group_id}:allow_kasm_sharing") is None


def test_all_users_default_is_changed_in_place_and_restored(provider_harness: Harness) -> None:
    h = provider_harness
    before = _kasm_value(h, ALL_USERS_GROUP_ID, "max_kasms_per_user")
    assert before == "2"
    config = h.config(GS, group_id=ALL_USERS_GROUP_ID, name="max_kasms_per_user", value=5)
    state = h.create(GS, config)
    private = h.private
    assert _kasm_value(h, ALL_USERS_GROUP_ID, "max_kasms_per_user") == "5"
    assert h.changes(GS, state, config) == {}
    h.delete(GS, state, private)
    assert _kasm_value(h, ALL_USERS_GROUP_ID, "max_kasms_per_user") == "2"


def test_value_conversions() -> None:
    assert [to_kasm(v) for v in (True, False, 3, Decimal("2.5"), 4.0, "x")] == [
        "true",
        "false",
        "3",
        "2.5",
        "4",
        "x",
    ]
    assert from_kasm("bool", "True", True) is True
    assert from_kasm("bool", "False", None) is False
    assert from_kasm("int", "3600.0", 3600) == 3600
    assert from_kasm("int", "abc", 1) == "abc"  # not a number: shown as Kasm has it
    assert from_kasm("float", "0.1", None) == Decimal("0.1")
    assert from_kasm("float", "2.5", None) == 2.5
    assert from_kasm("string", "", None) == ""
    assert from_kasm("json", '{"a":1}', '{ "a": 1 }') == '{ "a": 1 }'
    assert type_error("x", "int", True) is not None and type_error("x", "int", 3) is None
    assert type_error("x", "usage_limit", "") is None


def test_refresh_costs_one_call_per_group(provider_harness: Harness, kasm_app: Any) -> None:
    h = provider_harness
    first, second = _group(h, "First"), _group(h, "Second")
    states = [
        h.create(GS, h.config(GS, group_id=gid, name=name, value=value))
        for gid in (first, second)
        for name, value in (
            ("allow_kasm_sharing", True),
            ("keepalive_expiration", 60),
            ("idle_disconnect", 5),
        )
    ]
    kasm_app.state.kasm.calls.reset()
    h.new_run()
    for state in states:
        assert h.read(GS, state, fresh=False) == state
    assert kasm_app.state.kasm.calls.snapshot() == {"get_settings_group": 2}


@pytest.mark.parametrize("same", [True, False])
def test_adopt_existing_takes_over_only_an_equal_value(provider_harness: Harness, same: bool) -> None:
    h = provider_harness
    group_id = _group(h)
    expiry = next(s for s in h.client.groups.settings() if s.name == "keepalive_expiration")
    h.client.groups.add_setting(group_id, expiry, "1800")
    config = h.config(GS, group_id=group_id, name="keepalive_expiration", value=1800 if same else 60)
    h.new_run()
    h.servicer._provider_data.adopt_existing = True
    planned = h.plan(GS, None, config).state
    if same:
        state = h.apply(GS, None, planned, config)
        assert state is not None and state["value"] == 1800
        assert _kasm_value(h, group_id, "keepalive_expiration") == "1800"
        return
    with pytest.raises(ProviderError) as failed:
        h.apply(GS, None, planned, config)
    assert "adopt_existing is on, but it was not adopted: value is 1800 in Kasm, 60 configured" in (
        failed.value.text
    )
