"""The provider toolkit (provider/toolkit.py) on its own: import ids, spellings, rollback."""

from __future__ import annotations

import pytest

from terraform_provider_kasm.client import errors as kerr
from terraform_provider_kasm.provider.toolkit import (
    computed,
    keep_id_spelling,
    keep_spelling,
    parse_import_id,
    partial_state,
    rollback_on_failure,
)
from terraform_provider_kasm.tfplugin.diagnostics import DiagnosticError

HEX = "0123456789abcdef0123456789abcdef"
DASHED = "01234567-89AB-CDEF-0123-456789ABCDEF"
OTHER = "fedcba9876543210fedcba9876543210"


def test_import_id_forms() -> None:
    assert parse_import_id(DASHED, [("id",)]).ids == {"id": HEX}
    pair = parse_import_id(f"{HEX}:{DASHED}", [("kasm_id",), ("user_id", "kasm_id")])
    assert pair.ids == {"user_id": HEX, "kasm_id": HEX}
    named = parse_import_id("name:Dev Ops", [("id",)], {"name": "group name"})
    assert (named.prefix, named.value, named.ids) == ("name", "Dev Ops", {})


@pytest.mark.parametrize("bad", ["nope", f"{HEX}:", f"{HEX}:{HEX}:{HEX}", "name:", "username:x"])
def test_import_id_errors_list_every_form(bad: str) -> None:
    with pytest.raises(DiagnosticError) as info:
        parse_import_id(bad, [("id",), ("group_id", "id")], {"name": "group name"})
    assert info.value.summary == "Invalid import ID"
    assert "<id> or <group_id>:<id> or name:<group name>" in info.value.detail


def test_spellings_are_kept_while_they_name_the_same_value() -> None:
    assert keep_id_spelling(DASHED, HEX) == DASHED
    assert keep_id_spelling(DASHED, OTHER) == OTHER
    assert keep_id_spelling("not-an-id", HEX) == HEX
    assert keep_id_spelling(None, HEX) == HEX
    assert keep_spelling(" John", "John", str.strip) == " John"
    assert keep_spelling("Jon", "John", str.strip) == "John"


def test_computed_attribute() -> None:
    stable = computed("Kasm's `group_id`.")
    assert stable.computed and not stable.optional and stable.plan_modifiers
    assert stable.description == "Kasm's group_id." and stable.markdown_description == "Kasm's `group_id`."
    assert computed("x", stable=False, sensitive=True).plan_modifiers == []


def test_rollback_undoes_and_reraises() -> None:
    undone: list[str] = []
    failure = DiagnosticError("Could not set", "boom", ("groups",))
    rollback = rollback_on_failure(
        lambda: undone.append("x"), what="The user u", state={"id": HEX}, summary="s"
    )
    with pytest.raises(DiagnosticError) as info, rollback:
        raise failure
    assert info.value is failure and info.value.state is None
    assert undone == ["x"]


def test_rollback_keeps_the_object_tainted_when_the_undo_fails() -> None:
    def undo() -> None:
        raise kerr.ServerError("delete_user", 500, "database is down")

    rollback = rollback_on_failure(undo, what="The user u (1)", state={"id": HEX}, summary="Could not create")
    with pytest.raises(DiagnosticError) as info, rollback:
        raise kerr.Timeout("read timed out", call="get_user")
    error = info.value
    assert error.summary == "Could not create" and error.state == {"id": HEX}
    assert "read timed out" in error.detail and "database is down" in error.detail
    assert "kept in state, tainted" in error.detail
    assert isinstance(error.__cause__, kerr.Timeout)


def test_rollback_success_changes_nothing() -> None:
    undone: list[str] = []
    with rollback_on_failure(lambda: undone.append("x"), what="w", state={}, summary="s"):
        pass
    assert undone == []


def test_partial_state_attaches_what_is_true_now() -> None:
    with pytest.raises(DiagnosticError) as info, partial_state({"id": HEX, "name": "new"}):
        raise DiagnosticError("Cannot manage", "needs admin", ("permissions",))
    assert info.value.state == {"id": HEX, "name": "new"} and info.value.attribute == ("permissions",)


def test_json_meaning_ignores_key_order_and_whitespace_but_not_types() -> None:
    from terraform_provider_kasm.provider.toolkit import json_key, json_text

    assert json_key('{"a": 1, "b": [1, {"c": null}]}') == json_key('{"b":[1,{"c":null}],\n "a":1.0}')
    assert json_key('{"a": true}') != json_key('{"a": 1}')
    assert json_key('{"a": [1, 2]}') != json_key('{"a": [2, 1]}')
    assert json_key('{"a": "1"}') != json_key('{"a": 1}')
    assert json_text({"b": 1, "a": {"ü": 0.5}}) == '{"a":{"ü":0.5},"b":1}'
    with pytest.raises(ValueError):
        json_key("{nope")


def test_keep_json_keeps_the_configured_text_while_it_means_the_same() -> None:
    from terraform_provider_kasm.provider.toolkit import keep_json

    configured = '{\n  "hostname": "kasm",\n  "environment": {"A": "1"}\n}'
    assert keep_json(configured, {"environment": {"A": "1"}, "hostname": "kasm"}) == configured
    assert keep_json(configured, {"hostname": "other"}) == '{"hostname":"other"}'
    assert keep_json(None, {}) is None  # Kasm's "not set" stays null
    assert keep_json("{}", {}) == "{}"
    assert keep_json(None, {"x": 1}) == '{"x":1}'  # set outside Terraform: shown, so planned away
    assert keep_json("{broken", {"x": 1}) == '{"x":1}'


def test_json_string_attribute_validates_and_names_the_problem() -> None:
    from terraform_provider_kasm.provider.toolkit import json_string
    from terraform_provider_kasm.tfplugin.diagnostics import Diagnostics

    attr = json_string("Docker run options.")
    assert attr.optional and not attr.computed and attr.description == "Docker run options."
    diags = Diagnostics()
    for value in ('{"a": 1', "[1, 2]", '{"ok": true}'):
        for v in attr.value_validators:
            v.validate(value, ("run_config",), diags)
    errors = [(d.attribute, d.detail) for d in diags.errors]
    assert len(errors) == 2
    assert errors[0][0] == ("run_config",) and "not valid JSON" in errors[0][1] and "line 1" in errors[0][1]
    assert "must be a JSON object" in errors[1][1]
