"""kasm_cast_config through the servicer in-process (tests/fixtures/inprocess.py): Kasm's zero / "" /
[] values, spellings kept, the Go provider's aliases, drift, import forms and bad input."""

from __future__ import annotations

from typing import Any

import pytest

from terraform_provider_kasm.client.convert import dashed
from tests.fixtures.inprocess import Harness, ProviderError

C = "kasm_cast_config"


@pytest.fixture
def image_id(provider_harness: Harness) -> str:
    return sorted(i.image_id for i in provider_harness.client.images.list())[0]


def cast(h: Harness, image: str, **values: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"casting_config_name": "Kiosk", "key": "kiosk", "image_id": image}
    return h.config(C, **{**base, **values})


def test_defaults_are_kasm_values_and_the_second_plan_is_empty(
    provider_harness: Harness, image_id: str
) -> None:
    h = provider_harness
    config = cast(h, image_id)
    state = h.create(C, config)
    assert state["allow_resume"] is True and state["enable_sharing"] is False
    assert (state["session_remaining"], state["ip_request_seconds"], state["allowed_referrers"]) == (0, 0, [])
    assert state["error_url"] is None and state["remote_app_configs"] is None and state["group_id"] is None
    assert state["image_friendly_name"] and state["name"] == "Kiosk"
    stored = h.client.cast_configs.get(state["id"])
    assert stored.allow_resume is True and stored.casting_config_name == "Kiosk"
    assert h.changes(C, state, config) == {}


@pytest.mark.parametrize(
    "values",
    [
        {"error_url": "", "kasm_url": "", "allowed_referrers": [], "session_remaining": 0},
        {
            "error_url": "https://error.example.com",
            "kasm_url": "https://example.com",
            "allowed_referrers": ["b.example", "a.example"],
            "limit_sessions": True,
            "session_remaining": 100,
            "limit_ips": True,
            "ip_request_limit": 1,
            "ip_request_seconds": 60,
            "valid_until": "2030-12-31 23:59:59",
            "remote_app_configs": '{ "remote_app_name": "word",  "args": [] }',
            "allow_kasm_clipboard_down": True,
        },
    ],
)
def test_values_round_trip_in_their_configured_spelling(
    provider_harness: Harness, image_id: str, values: dict[str, Any]
) -> None:
    h = provider_harness
    config = cast(h, image_id, image_id=dashed(image_id).upper(), **values)
    state = h.create(C, config)
    for name, value in values.items():
        assert state[name] == value, name
    assert h.changes(C, state, config) == {}
    if "valid_until" in values:
        assert (
            h.client.call("get_cast_config", {"cast_config_id": state["id"]})["cast_config"]["valid_until"]
            == "2030-12-31 23:59:59"
        )


def test_update_in_place_and_clearing(provider_harness: Harness, image_id: str) -> None:
    h = provider_harness
    group = h.client.groups.create("Anonymous", priority=60)
    other_image = sorted(i.image_id for i in h.client.images.list())[1]
    state = h.create(C, cast(h, image_id, error_url="https://e.example", group_id=group.group_id))
    assert state["group_name"] == "Anonymous"
    config = cast(h, other_image, key="kiosk2", casting_config_name="Kiosk 2", disable_tips=True)
    planned = h.plan(C, state, {**config, "group_id": group.group_id})
    assert not planned.requires_replace
    state2 = h.update(C, state, {**config, "group_id": group.group_id})
    assert state2["id"] == state["id"] and state2["error_url"] is None
    stored = h.client.cast_configs.get(state["id"])
    assert (stored.key, stored.image_id, stored.disable_tips, stored.error_url or None) == (
        "kiosk2",
        other_image,
        True,
        None,
    )
    # Kasm's update cannot clear the group: removing it replaces the config.
    assert h.plan(C, state2, config).requires_replace == ["group_id"]


def test_go_provider_names_are_aliases(provider_harness: Harness, image_id: str) -> None:
    h = provider_harness
    config = h.config(
        C, name="Go", key="go", image_id=image_id, allow_clipboard_up=True, audio_default_on=True
    )
    state = h.create(C, config)
    assert state["casting_config_name"] == "Go" and state["allow_kasm_clipboard_up"] is True
    assert state["kasm_audio_default_on"] is True and state["allow_clipboard_down"] is False
    stored = h.client.cast_configs.get(state["id"])
    assert stored.allow_kasm_clipboard_up and stored.kasm_audio_default_on
    assert h.changes(C, state, config) == {}
    # Switching to Kasm's names is no change.
    kasm_names = h.config(
        C,
        casting_config_name="Go",
        key="go",
        image_id=image_id,
        allow_kasm_clipboard_up=True,
        kasm_audio_default_on=True,
    )
    assert h.changes(C, state, kasm_names) == {}
    with pytest.raises(ProviderError) as both:
        h.validate(C, {**config, "allow_kasm_clipboard_up": True})
    assert "allow_clipboard_up" in both.value.text


@pytest.mark.parametrize(
    ("values", "attribute", "text"),
    [
        ({"key": "has space"}, "key", "letters, digits"),
        ({"session_remaining": -1}, "session_remaining", "between 0 and"),
        ({"ip_request_limit": -5}, "ip_request_limit", "between 0 and"),
        ({"error_url": "ftp://x"}, "error_url", "http"),
        ({"valid_until": "tomorrow"}, "valid_until", "UTC time"),
        ({"valid_until": "2030-12-31T23:59:59Z"}, "valid_until", "Kasm's form"),
        ({"remote_app_configs": "[1]"}, "remote_app_configs", "JSON object"),
        ({"remote_app_configs": "{nope"}, "remote_app_configs", "not valid JSON"),
        ({"allowed_referrers": ["a.example", "a.example"]}, "allowed_referrers", "twice"),
        ({"allowed_referrers": [" a.example"]}, "allowed_referrers", "without spaces"),
        ({"image_id": "nope"}, "image_id", "Kasm id"),
        ({"casting_config_name": None}, "casting_config_name", "only one"),
    ],
)
def test_bad_input_names_the_attribute(
    provider_harness: Harness, image_id: str, values: dict[str, Any], attribute: str, text: str
) -> None:
    h = provider_harness
    with pytest.raises(ProviderError) as failed:
        h.validate(C, cast(h, image_id, **values))
    assert text in failed.value.text
    assert any(path.startswith(attribute) for _s, _d, path in failed.value.diagnostics), failed.value.text


def test_unknown_references_and_clashes_leave_nothing(provider_harness: Harness, image_id: str) -> None:
    h = provider_harness
    for values, attribute, summary in (
        ({"image_id": "7" * 32}, "image_id", "Unknown image"),
        ({"group_id": "8" * 32}, "group_id", "Unknown group"),
    ):
        with pytest.raises(ProviderError) as failed:
            h.create(C, cast(h, image_id, **values))
        assert summary in failed.value.text and failed.value.diagnostics[0][2] == attribute
    first = h.create(C, cast(h, image_id))
    for values, attribute, summary in (
        ({"casting_config_name": "Other"}, "key", "key in use"),
        ({"key": "other"}, "casting_config_name", "name in use"),
    ):
        with pytest.raises(ProviderError) as failed:
            h.create(C, cast(h, image_id, **values))
        assert summary in failed.value.text and failed.value.diagnostics[0][2] == attribute
    assert "key:kiosk" in failed.value.text or first["id"] in failed.value.text
    assert [c.cast_config_id for c in h.client.cast_configs.list()] == [first["id"]]


@pytest.mark.parametrize("form", ["id", "dashed", "key"])
def test_import_forms_and_drift(provider_harness: Harness, image_id: str, form: str) -> None:
    h = provider_harness
    config = cast(h, image_id, allowed_referrers=["x.example"])
    state = h.create(C, config)
    import_id = {"id": state["id"], "dashed": dashed(state["id"]), "key": "key:kiosk"}[form]
    imported = h.import_(C, import_id)
    assert imported is not None and imported["id"] == state["id"]
    assert h.changes(C, imported, config) == {}
    h.client.cast_configs.delete(state["id"])
    assert h.read(C, state) is None
    h.delete(C, state)  # already gone: a destroy succeeds (KasmData.remove)
    with pytest.raises(ProviderError) as failed:
        h.import_(C, "key:nope")
    assert "Cast config not found" in failed.value.text


def test_remote_app_configs_compare_as_json(provider_harness: Harness, image_id: str) -> None:
    h = provider_harness
    config = cast(h, image_id, remote_app_configs='{"remote_app_name":"word","args":[]}')
    state = h.create(C, config)
    respelled = {**config, "remote_app_configs": '{ "args": [ ],\n "remote_app_name": "word" }'}
    assert h.changes(C, state, respelled) == {}
    imported = h.import_(C, state["id"])
    assert imported is not None and imported["remote_app_configs"] == '{"args":[],"remote_app_name":"word"}'
    assert h.changes(C, imported, respelled) == {}
    # Removed: Kasm is sent {} and the state is null again.
    cleared = h.update(C, state, {**config, "remote_app_configs": None})
    assert (
        cleared["remote_app_configs"] is None
        and h.client.cast_configs.get(state["id"]).remote_app_configs == {}
    )
