"""Staging configs: CRUD, one per zone and image, and Kasm 1.15's public 400 errors."""

from __future__ import annotations

from terraform_provider_kasm.server.permissions import Permission as P

from ..fixtures.kasm_server import KasmServer
from .session_helpers import error, new_image, ok, seeded_image_id


def default_zone_id(server: KasmServer) -> str:
    zone_id: str = ok(server.post("get_zones"))["zones"][0]["zone_id"]
    return zone_id


def test_staging_config_crud(kasm_server: KasmServer) -> None:
    zone_id = default_zone_id(kasm_server)
    image_id = seeded_image_id(kasm_server)
    spec = {
        "zone_id": zone_id,
        "image_id": image_id,
        "num_sessions": 2,
        "expiration": 1.5,
        "allow_kasm_audio": True,
    }
    created = ok(kasm_server.post("create_staging_config", {"target_staging_config": spec}))["staging_config"]
    assert (created["zone_name"], created["image_friendly_name"]) == ("default", "Terminal")
    assert (created["num_sessions"], created["num_current_sessions"], created["expiration"]) == (2, 0, 1.5)
    assert created["allow_kasm_audio"] is True and created["allow_kasm_uploads"] is None
    target = {"staging_config_id": created["staging_config_id"]}
    assert ok(kasm_server.post("get_staging_config", {"target_staging_config": target})) == {
        "staging_config": created
    }
    assert ok(kasm_server.post("get_staging_configs"))["staging_configs"] == [created]
    updated = ok(
        kasm_server.post("update_staging_config", {"target_staging_config": {**target, "num_sessions": 4}})
    )["staging_config"]
    assert updated["num_sessions"] == 4 and updated["expiration"] == 1.5
    assert error(kasm_server.post("create_staging_config", {"target_staging_config": spec}), 400) == (
        "A staging config already exists for this zone and image"
    )
    assert ok(kasm_server.post("delete_staging_config", {"target_staging_config": target})) == {}
    assert error(kasm_server.post("get_staging_config", {"target_staging_config": target}), 400) == (
        f"Staging config with id ({created['staging_config_id']}) does not exist"
    )


def test_staging_config_errors(kasm_server: KasmServer) -> None:
    zone_id = default_zone_id(kasm_server)
    image_id = new_image(kasm_server)
    missing = "Invalid Request. Missing required parameters"
    partial = {"zone_id": zone_id, "image_id": image_id, "num_sessions": 1}
    assert (
        error(kasm_server.post("create_staging_config", {"target_staging_config": partial}), 400) == missing
    )
    assert error(kasm_server.post("get_staging_config", {}), 400) == missing
    unknown = "8" * 32
    bad_zone = {**partial, "expiration": 1, "zone_id": unknown}
    assert error(kasm_server.post("create_staging_config", {"target_staging_config": bad_zone}), 400) == (
        f"Invalid Request. Invalid zone_id ({unknown})"
    )
    # The config goes with its image.
    ok(kasm_server.post("create_staging_config", {"target_staging_config": {**partial, "expiration": 1}}))
    ok(kasm_server.post("delete_image", {"target_image": {"image_id": image_id}}))
    assert ok(kasm_server.post("get_staging_configs")) == {"staging_configs": []}
    key, secret = kasm_server.create_api_key([P.STAGING_VIEW])
    creds = {"api_key": key, "api_key_secret": secret}
    assert ok(kasm_server.post("get_staging_configs", creds)) == {"staging_configs": []}
    assert error(
        kasm_server.post(
            "delete_staging_config", {**creds, "target_staging_config": {"staging_config_id": unknown}}
        ),
        401,
    )
