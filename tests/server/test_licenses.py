"""Licenses: offline behaviour (unsigned local license keys; activation refused) and their effect on the
concurrent-session limit."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

from terraform_provider_kasm.server.permissions import Permission as P

from ..fixtures.kasm_server import KasmServer
from .session_helpers import authorised_image_id, error, new_user, ok, start


def unsigned_key(**claims: Any) -> str:
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


def test_add_get_delete_license(kasm_server: KasmServer) -> None:
    assert ok(kasm_server.post("get_licenses")) == {"licenses": []}
    key = unsigned_key(
        limit=10,
        license_type="Per Concurrent Kasm",
        issued_to="Example",
        features=["allow_kasm_sharing"],
        sku="X",
    )
    lic = ok(kasm_server.post("add_license", {"license_key": key}))["license"]
    assert list(lic) == [
        "license_id",
        "expiration",
        "issued_at",
        "issued_to",
        "limit",
        "is_verified",
        "license_type",
        "features",
        "sku",
    ]
    assert (lic["limit"], lic["issued_to"], lic["is_verified"]) == (10, "Example", False)
    assert lic["features"] == {"allow_kasm_sharing": True} and lic["expiration"] is None
    assert ok(kasm_server.post("get_licenses"))["licenses"] == [lic]
    assert ok(kasm_server.post("delete_license", {"license_id": lic["license_id"]})) == {}
    assert error(kasm_server.post("delete_license", {"license_id": lic["license_id"]})) == (
        f"license_id ({lic['license_id']}) does not exist"
    )
    assert (
        error(kasm_server.post("delete_license", {"license_id": "x"}))
        == "Invalid Request. license_id must be a UUID"
    )


def test_license_errors(kasm_server: KasmServer) -> None:
    assert error(kasm_server.post("add_license", {})) == "Invalid Request. Missing license_key"
    assert (
        error(kasm_server.post("add_license", {"license_key": "abc"}))
        == "Invalid License: Not enough segments"
    )
    signed = unsigned_key(limit=5).replace("bm9uZ", "SFMyN")  # header alg no longer "none"
    assert error(kasm_server.post("add_license", {"license_key": signed})).startswith("Invalid License:")
    expired = unsigned_key(limit=5, exp=int(time.time()) - 10)
    assert (
        error(kasm_server.post("add_license", {"license_key": expired}))
        == "Invalid License: Signature has expired"
    )
    assert error(kasm_server.post("activate", {}), 400) == "Invalid Request. Missing activation_key"
    assert (
        error(kasm_server.post("activate", {"activation_key": "k"}), 400)
        == "Missing license_server_url Setting"
    )
    key, secret = kasm_server.create_api_key([P.LICENSES_VIEW])
    creds = {"api_key": key, "api_key_secret": secret}
    assert ok(kasm_server.post("get_licenses", creds)) == {"licenses": []}
    assert error(kasm_server.post("add_license", {**creds, "license_key": unsigned_key(limit=1)}), 401)


def test_license_raises_the_concurrent_limit(kasm_server: KasmServer) -> None:
    users = [new_user(kasm_server) for _ in range(5)]
    image_id = authorised_image_id(kasm_server, *users)
    for n in range(5):
        start(kasm_server, users[n % 4], image_id)
    assert error(kasm_server.post("request_kasm", {"user_id": users[4], "image_id": image_id})) == (
        "Per concurrent session license limit exceeded. Unable to create session"
    )
    ok(
        kasm_server.post(
            "add_license", {"license_key": unsigned_key(limit=6, features=["allow_kasm_sharing"])}
        )
    )
    start(kasm_server, users[4], image_id)
    assert error(kasm_server.post("request_kasm", {"user_id": users[4], "image_id": image_id})) == (
        "Per concurrent session license limit exceeded. Unable to create session"
    )
    status = ok(kasm_server.post("license_status"))["license"]["status"]
    assert (status["limit"], status["licensed"]) == (6, True)


def test_add_license_rules_as_kasm(kasm_server: KasmServer) -> None:
    """Kasm 1.15's process_key/addLicense: armour and whitespace ignored, a key once, one license type
    and one sku at a time, and an activation key goes to the activation path."""
    key = unsigned_key(limit=3, license_type="Per Concurrent Kasm", sku="A", iat=1_700_000_000)
    wrapped = "-----BEGIN LICENSE KEY-----\n" + "\n".join(key[i : i + 20] for i in range(0, len(key), 20))
    lic = ok(kasm_server.post("add_license", {"license_key": wrapped + "\n-----END LICENSE KEY-----\n"}))
    assert lic["license"]["limit"] == 3 and lic["license"]["issued_at"] == "2023-11-14 22:13:20"
    assert error(kasm_server.post("add_license", {"license_key": key})) == (
        "Invalid License: License already registered."
    )
    other_type = unsigned_key(limit=3, license_type="Per Named User", sku="A")
    assert error(kasm_server.post("add_license", {"license_key": other_type})) == (
        "Invalid License: Error applying license type (Per Named User). Only one license type may be "
        "registered at once."
    )
    other_sku = unsigned_key(limit=3, license_type="Per Concurrent Kasm", sku="B")
    assert error(kasm_server.post("add_license", {"license_key": other_sku})) == (
        "Invalid License: Error applying license sku (B). Only one license sku may be registered at once."
    )
    activation = unsigned_key(key_type="activation")
    answer = kasm_server.post("add_license", {"license_key": activation})
    assert answer.status_code == 200 and answer.json() == {
        "error_message": "Missing license_server_url Setting"
    }
    assert len(ok(kasm_server.post("get_licenses"))["licenses"]) == 1
