"""kasm_license through the servicer in-process (tests/fixtures/inprocess.py), with the local server's
unsigned test keys: install, read, import and record the key, replace, bad keys, activation offline."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from terraform_provider_kasm.provider.resources.license import claims, describes
from tests.fixtures.inprocess import Harness, ProviderError

L = "kasm_license"


def unsigned_key(**values: Any) -> str:
    """The local server's test key: an unsigned JWT (header {"alg": "none"}, empty signature)."""

    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    fields = {
        "limit": 10,
        "license_type": "Per Concurrent Kasm",
        "sku": "TEST",
        "iat": 1_700_000_000,
        **values,
    }
    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(fields)}."


def test_install_read_and_empty_plan(provider_harness: Harness) -> None:
    h = provider_harness
    key = unsigned_key(issued_to="Example Corp", features=["session_casting", "branding"], exp=4_102_444_800)
    config = h.config(L, license_key=key)
    state = h.create(L, config)
    assert (state["limit"], state["issued_to"], state["sku"], state["is_verified"]) == (
        10,
        "Example Corp",
        "TEST",
        False,
    )
    assert state["expiration"] == "2100-01-01 00:00:00" and state["issued_at"] == "2023-11-14 22:13:20"
    assert state["features"] == {"session_casting": True, "branding": True}
    assert state["branding"] is True and state["saml"] is False and state["license_key"] == key
    assert [lic.license_id for lic in h.client.licenses.list()] == [state["id"]]
    assert h.changes(L, state, config) == {}


def test_armoured_key_is_the_same_key(provider_harness: Harness) -> None:
    key = unsigned_key()
    armoured = "-----BEGIN LICENSE KEY-----\n" + key[:30] + "\n" + key[30:] + "\n-----END LICENSE KEY-----\n"
    assert claims(armoured) == claims(key)
    state = provider_harness.create(L, provider_harness.config(L, license_key=armoured))
    assert describes(key, state)


def test_import_records_the_key_or_replaces(provider_harness: Harness) -> None:
    h = provider_harness
    key = unsigned_key(issued_to="Imported")
    lic = h.client.licenses.add(key)
    imported = h.import_(L, lic.license_id)
    assert imported is not None and imported["license_key"] is None and imported["issued_to"] == "Imported"
    same = h.plan(L, imported, h.config(L, license_key=key))
    assert same.requires_replace == []  # recorded in place, nothing sent to Kasm
    recorded = h.update(L, imported, h.config(L, license_key=key))
    assert recorded["license_key"] == key and recorded["id"] == lic.license_id
    assert [x.license_id for x in h.client.licenses.list()] == [lic.license_id]
    other = h.plan(L, imported, h.config(L, license_key=unsigned_key(issued_to="Someone else")))
    assert other.requires_replace == ["license_key"]
    # Once a key is recorded, another key always replaces the license.
    assert h.plan(L, recorded, h.config(L, license_key=unsigned_key(limit=11))).requires_replace == [
        "license_key"
    ]


def test_deleted_outside_and_destroy(provider_harness: Harness) -> None:
    h = provider_harness
    state = h.create(L, h.config(L, license_key=unsigned_key()))
    h.client.licenses.delete(state["id"])
    assert h.read(L, state) is None
    state = h.create(L, h.config(L, license_key=unsigned_key()))
    h.delete(L, state)
    assert h.client.licenses.list() == []


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("not-a-key", "Invalid License: Not enough segments"),
        (unsigned_key(exp=1_000_000_000), "Invalid License: Signature has expired"),
        (unsigned_key(license_type="Per Named User"), "Only one license type"),
    ],
)
def test_bad_keys_name_the_attribute_and_leave_nothing(
    provider_harness: Harness, key: str, text: str
) -> None:
    h = provider_harness
    existing = h.client.licenses.add(unsigned_key(sku="TEST", iat=1))
    with pytest.raises(ProviderError) as failed:
        h.create(L, h.config(L, license_key=key))
    # Named in the summary, not attached to the attribute (Terraform would print a literal key's line).
    summary, _detail, path = failed.value.diagnostics[0]
    assert text in failed.value.text and "license_key" in summary and path == ""
    assert key not in failed.value.text or key == "not-a-key"
    assert [x.license_id for x in h.client.licenses.list()] == [existing.license_id]


def test_activation_offline_fails_with_kasms_message(provider_harness: Harness) -> None:
    h = provider_harness
    for config in (
        h.config(L, activation_key="ACTIVATE-ME-1234", seats=5, issued_to="Example"),
        h.config(L, license_key=unsigned_key(key_type="activation")),  # Kasm routes it to activation
    ):
        with pytest.raises(ProviderError) as failed:
            h.create(L, config)
        assert "Missing license_server_url Setting" in failed.value.text
        assert "ACTIVATE-ME-1234" not in failed.value.text
    assert h.client.licenses.list() == []


@pytest.mark.parametrize(
    ("values", "text"),
    [
        ({}, "license_key"),
        ({"license_key": "k", "activation_key": "a"}, "license_key"),
        ({"license_key": "k", "seats": 5}, "activation_key"),
        ({"license_key": "k", "issued_to": "x"}, "activation_key"),
        ({"activation_key": "a", "seats": 0}, "between 1 and"),
    ],
)
def test_bad_configurations(provider_harness: Harness, values: dict[str, Any], text: str) -> None:
    h = provider_harness
    with pytest.raises(ProviderError) as failed:
        h.validate(L, h.config(L, **values))
    assert text in failed.value.text


def test_keys_are_sensitive(provider_harness: Harness) -> None:
    attributes = provider_harness.schema(L).attributes
    assert attributes["license_key"].sensitive and attributes["activation_key"].sensitive


def test_a_lost_answer_leaves_no_license(provider_harness: Harness, kasm_app: Any) -> None:
    """add_license is not retried: when its answer is lost (the call committed, then the connection
    reset), the license it made is removed again, so nothing is installed that no state knows."""
    h = provider_harness
    kept = h.client.licenses.add(unsigned_key(iat=1))
    kasm_app.state.faults.add("add_license=reset_after,times=1")
    with pytest.raises(ProviderError) as failed:
        h.create(L, h.config(L, license_key=unsigned_key(iat=2)))
    assert "Could not install the license from license_key" in failed.value.text
    assert [lic.license_id for lic in h.client.licenses.list()] == [kept.license_id]
