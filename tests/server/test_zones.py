"""Zones: the seeded default zone, CRUD and Kasm 1.15's messages (HTTP 200 with error_message)."""

from __future__ import annotations

import uuid

from terraform_provider_kasm.server.permissions import Permission as P

from ..fixtures.kasm_server import KasmServer
from .session_helpers import authorised_image_id, error, new_user, ok, start

ZONE_KEYS = [
    "zone_id",
    "zone_name",
    "primary_manager_id",
    "primary_manager",
    "managers",
    "allow_origin_domain",
    "upstream_auth_address",
    "proxy_connections",
    "proxy_hostname",
    "proxy_path",
    "proxy_port",
    "load_strategy",
    "prioritize_static_agents",
    "search_alternate_zones",
]


def test_default_zone_and_capacity(kasm_server: KasmServer) -> None:
    (zone,) = ok(kasm_server.post("get_zones"))["zones"]
    assert list(zone)[: len(ZONE_KEYS)] == ZONE_KEYS
    assert zone["zone_name"] == "default" and zone["proxy_hostname"] == "$request_host$"
    assert (zone["proxy_port"], zone["proxy_path"], zone["load_strategy"]) == (443, "desktop", "least_load")
    assert zone["num_kasms"] == 0 and "servers" in zone
    before = zone["available_memory"]
    user_id = new_user(kasm_server)
    start(kasm_server, user_id, authorised_image_id(kasm_server, user_id))
    (brief,) = ok(kasm_server.post("get_zones", {"brief": True}))["zones"]
    assert "servers" not in brief and brief["num_kasms"] == 1
    assert brief["available_memory"] == before - 1024000000


def test_zone_crud(kasm_server: KasmServer) -> None:
    created = ok(
        kasm_server.post(
            "create_zone",
            {"target_zone": {"zone_name": "east", "proxy_port": 8443, "proxy_connections": False}},
        )
    )["zone"]
    assert list(created) == ZONE_KEYS
    assert (created["zone_name"], created["proxy_port"], created["proxy_connections"]) == (
        "east",
        8443,
        False,
    )
    assert created["search_alternate_zones"] is True
    assert (
        error(kasm_server.post("create_zone", {"target_zone": {"zone_name": "east"}}))
        == "Zone (east) already exists"
    )
    assert (
        error(kasm_server.post("create_zone", {"target_zone": {}}))
        == "Invalid Request. Missing required parameters"
    )
    updated = ok(
        kasm_server.post(
            "update_zone",
            {"target_zone": {"zone_id": created["zone_id"], "proxy_hostname": "kasm.example.com"}},
        )
    )["zone"]
    assert updated["proxy_hostname"] == "kasm.example.com" and updated["proxy_port"] == 8443
    assert error(kasm_server.post("update_zone", {"target_zone": {"zone_id": "x"}})) == (
        "Invalid Request. zone_id must be a uuid"
    )
    assert error(kasm_server.post("update_zone", {"target_zone": {"zone_id": "6" * 32}})) == (
        "Invalid Request. Zone does not exit by that id"
    )
    assert error(
        kasm_server.post(
            "update_zone", {"target_zone": {"zone_id": created["zone_id"], "zone_name": "default"}}
        )
    ) == ("Zone (default) already exists")
    assert ok(kasm_server.post("delete_zone", {"target_zone": {"zone_id": created["zone_id"]}})) == {}
    assert error(kasm_server.post("delete_zone", {"target_zone": {"zone_id": created["zone_id"]}})) == (
        f"Zone ({created['zone_id']}) Does not Exist"
    )
    assert [z["zone_name"] for z in ok(kasm_server.post("get_zones"))["zones"]] == ["default"]


def test_session_hostname_follows_the_zone(kasm_server: KasmServer) -> None:
    (zone,) = ok(kasm_server.post("get_zones"))["zones"]
    ok(
        kasm_server.post(
            "update_zone",
            {
                "target_zone": {
                    "zone_id": zone["zone_id"],
                    "proxy_hostname": "kasm.example.com",
                    "proxy_path": "vdi",
                }
            },
        )
    )
    user_id = new_user(kasm_server)
    kasm_id = start(kasm_server, user_id, authorised_image_id(kasm_server, user_id))["kasm_id"]
    kasm = ok(kasm_server.post("get_kasm_status", {"user_id": user_id, "kasm_id": kasm_id}))["kasm"]
    assert kasm["hostname"] == "kasm.example.com"
    assert kasm["port_map"]["vnc"]["path"] == f"vdi/{kasm_id}/vnc"


def test_zone_permissions(kasm_server: KasmServer) -> None:
    key, secret = kasm_server.create_api_key([P.ZONES_VIEW], read_only=True)
    creds = {"api_key": key, "api_key_secret": secret}
    assert len(ok(kasm_server.post("get_zones", creds))["zones"]) == 1
    assert (
        error(kasm_server.post("create_zone", {**creds, "target_zone": {"zone_name": "z"}}), 401)
        == "Unauthorized"
    )


def test_zones_in_use_cannot_be_deleted(kasm_server: KasmServer) -> None:
    (default,) = ok(kasm_server.post("get_zones"))["zones"]
    # The default zone holds the (simulated) manager, as on a Kasm install.
    assert default["managers"] == [
        {"manager_id": default["primary_manager_id"], "manager_hostname": "kasm-manager.local"}
    ]
    dashed_default = str(uuid.UUID(default["zone_id"]))
    assert error(kasm_server.post("delete_zone", {"target_zone": {"zone_id": default["zone_id"]}})) == (
        f"Zone ({dashed_default}): (default) is in use by (1) managers and cannot be deleted"
    )
    east = ok(kasm_server.post("create_zone", {"target_zone": {"zone_name": "east"}}))["zone"]
    assert east["managers"] == [] and east["primary_manager_id"] is None
    listed = {z["zone_name"]: z for z in ok(kasm_server.post("get_zones"))["zones"]}
    assert listed["east"]["servers"] == [] and len(listed["default"]["servers"]) == 1
    # A session restricted to the zone runs on the agent there: the zone is in use by that server.
    image_id = authorised_image_id(kasm_server, user_id := new_user(kasm_server))
    image = ok(kasm_server.post("get_images"))["images"]
    spec = next(i for i in image if i["image_id"] == image_id)
    ok(
        kasm_server.post(
            "update_image",
            {
                "target_image": {
                    **{k: spec[k] for k in ("image_id", "name", "friendly_name", "cores", "memory")},
                    "restrict_to_zone": True,
                    "zone_id": east["zone_id"],
                }
            },
        )
    )
    kasm_id = start(kasm_server, user_id, image_id)["kasm_id"]
    assert error(kasm_server.post("delete_zone", {"target_zone": {"zone_id": east["zone_id"]}})) == (
        f"Zone ({uuid.UUID(east['zone_id'])}): (east) is in use by (1) servers and cannot be deleted"
    )
    ok(kasm_server.post("destroy_kasm", {"user_id": user_id, "kasm_id": kasm_id}))
    assert ok(kasm_server.post("delete_zone", {"target_zone": {"zone_id": east["zone_id"]}})) == {}
