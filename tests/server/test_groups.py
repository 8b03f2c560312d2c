"""Groups: CRUD, built-in groups, memberships, image authorisations, settings and permissions."""

from __future__ import annotations

from typing import Any

import httpx

from terraform_provider_kasm.server.permissions import Permission as P
from terraform_provider_kasm.server.seed import ADMINISTRATORS_GROUP_ID, ALL_USERS_GROUP_ID

from ..fixtures.kasm_server import KasmServer
from .test_licenses import unsigned_key


def create_group(server: KasmServer, name: str, priority: int = 100, **fields: Any) -> dict[str, Any]:
    response = server.post("create_group", {"target_group": {"name": name, "priority": priority, **fields}})
    body = response.json()
    assert response.status_code == 200 and "error_message" not in body, body
    assert body["group_mappings"] == []
    group: dict[str, Any] = body["group"]
    return group


def new_user(server: KasmServer, username: str) -> str:
    user_id: str = server.post("create_user", {"target_user": {"username": username}}).json()["user"][
        "user_id"
    ]
    return user_id


def test_built_in_groups(kasm_server: KasmServer) -> None:
    groups = {g["group_id"]: g for g in kasm_server.post("get_groups").json()["groups"]}
    assert (
        groups[ALL_USERS_GROUP_ID]["name"] == "All Users" and groups[ALL_USERS_GROUP_ID]["is_system"] is True
    )
    assert groups[ADMINISTRATORS_GROUP_ID]["name"] == "Administrators"
    assert set(groups[ALL_USERS_GROUP_ID]) == {
        "group_id",
        "name",
        "description",
        "priority",
        "is_system",
        "group_metadata",
        "group_mappings",
    }
    for group_id, name in ((ALL_USERS_GROUP_ID, "All Users"), (ADMINISTRATORS_GROUP_ID, "Administrators")):
        response = kasm_server.post("delete_group", {"target_group": {"group_id": group_id}, "force": True})
        assert response.json() == {
            "error_message": f"Group ({name}) is a protected group and cannot be deleted"
        }
    # The seeded admin is an Administrator.
    members = kasm_server.post(
        "get_users_group", {"target_group": {"group_id": ADMINISTRATORS_GROUP_ID}}
    ).json()
    assert [u["name"] for u in members["users"]] == ["admin@kasm.local"]


def test_get_groups_hides_system_groups_without_view_system(kasm_server: KasmServer) -> None:
    create_group(kasm_server, "Visible")
    key, secret = kasm_server.create_api_key([P.GROUPS_VIEW])
    body = httpx.post(
        f"{kasm_server.base_url}/api/public/get_groups", json={"api_key": key, "api_key_secret": secret}
    ).json()
    assert [g["name"] for g in body["groups"]] == ["Visible"]


def test_create_group_rules(kasm_server: KasmServer) -> None:
    group = create_group(kasm_server, "Developers", 10, description="devs", group_metadata={"k": "v"})
    assert group["is_system"] is False and group["priority"] == 10 and group["program_data"] == {}
    assert group["group_metadata"] == {"k": "v"} and len(group["group_id"]) == 32
    cases: list[tuple[dict[str, Any], str]] = [
        ({}, "Invalid Request. Missing required parameters"),
        ({"target_group": {"name": "x"}}, "Invalid Request. Missing required parameters"),
        ({"target_group": {"priority": 3}}, "Invalid Request. Missing required parameters"),
        ({"target_group": {"name": "Developers", "priority": 3}}, "Group (Developers) already exists"),
        ({"target_group": {"name": "x", "priority": 0}}, "Invalid priority value (0)"),
        ({"target_group": {"name": "x", "priority": 4096}}, "Invalid priority value (4096)"),
        ({"target_group": {"name": "x", "priority": "high"}}, "Invalid priority value (high)"),
    ]
    for body, message in cases:
        response = kasm_server.post("create_group", body)
        assert (response.status_code, response.json()) == (200, {"error_message": message}), body
    # Names are compared exactly (case-sensitive), as in 1.15.
    create_group(kasm_server, "developers", 4095)
    create_group(kasm_server, "Lowest", 1)


def test_update_group(kasm_server: KasmServer) -> None:
    group = create_group(kasm_server, "Ops", 20, description="d")
    response = kasm_server.post(
        "update_group", {"target_group": {"group_id": group["group_id"], "priority": 5}}
    )
    updated = response.json()["group"]
    assert (updated["name"], updated["priority"], updated["description"]) == ("Ops", 5, "d")
    cases: list[tuple[dict[str, Any], str]] = [
        ({"target_group": {}}, "Invalid Request. Missing required parameters"),
        ({"target_group": {"group_id": "nope"}}, "Invalid Request. group_id must be a uuid"),
        ({"target_group": {"group_id": "a" * 32}}, "Invalid Request. group does not exit by that id"),
    ]
    for body, message in cases:
        response = kasm_server.post("update_group", body)
        assert (response.status_code, response.json()) == (200, {"error_message": message})
    key, secret = kasm_server.create_api_key([P.GROUPS_MODIFY])
    response = httpx.post(
        f"{kasm_server.base_url}/api/public/update_group",
        json={
            "api_key": key,
            "api_key_secret": secret,
            "target_group": {"group_id": ALL_USERS_GROUP_ID, "name": "x"},
        },
    )
    assert (response.status_code, response.json()) == (
        401,
        {"error_message": "User not authorized to modify the target group."},
    )


def test_delete_group(kasm_server: KasmServer) -> None:
    group = create_group(kasm_server, "Temp")
    user_id = new_user(kasm_server, "member@example.com")
    kasm_server.post("add_user_group", {"target_user": {"user_id": user_id}, "target_group": group})
    target = {"group_id": group["group_id"]}
    response = kasm_server.post("delete_group", {"target_group": target})
    assert response.json() == {"error_message": "Group contains (1) users and 'force' option not set to True"}
    response = kasm_server.post("delete_group", {"target_group": target, "force": "true"})
    assert response.json() == {"error_message": "Invalid Request. 'force' option must be boolean"}
    assert kasm_server.post("delete_group", {"target_group": target, "force": True}).json() == {}
    response = kasm_server.post("delete_group", {"target_group": target})
    assert response.json() == {"error_message": f"Group {group['group_id']} does not exist"}
    user = kasm_server.post("get_user", {"target_user": {"user_id": user_id}}).json()["user"]
    assert [g["name"] for g in user["groups"]] == ["All Users"]


def test_memberships(kasm_server: KasmServer) -> None:
    group = create_group(kasm_server, "Team")
    user_id = new_user(kasm_server, "kim@example.com")
    body = {"target_user": {"user_id": user_id}, "target_group": {"group_id": group["group_id"]}}
    assert kasm_server.post("add_user_group", body).json() == {}
    response = kasm_server.post("add_user_group", body)
    assert (response.status_code, response.json()) == (
        400,
        {"error_message": f"User ({user_id}) is already a member of group ({group['group_id']})"},
    )
    users = kasm_server.post("get_users_group", {"target_group": {"group_id": group["group_id"]}}).json()
    assert users == {"users": [{"name": "kim@example.com", "user_id": user_id}], "total": 1}
    assert kasm_server.post("remove_user_group", body).json() == {}
    response = kasm_server.post("remove_user_group", body)
    assert (response.status_code, response.json()) == (
        400,
        {"error_message": f"User ({user_id}) is not a member of group ({group['group_id']})"},
    )
    bad = [
        (
            {"target_user": {}, "target_group": {"group_id": group["group_id"]}},
            "Invalid Request: Missing required parameters",
        ),
        (
            {"target_user": {"user_id": "u1"}, "target_group": {"group_id": group["group_id"]}},
            "Invalid User ID (u1)",
        ),
        ({"target_user": {"user_id": user_id}, "target_group": {"group_id": "g1"}}, "Invalid Group ID (g1)"),
    ]
    for payload, message in bad:
        response = kasm_server.post("add_user_group", payload)
        assert (response.status_code, response.json()) == (400, {"error_message": message})
    response = kasm_server.post("get_users_group", {"target_group": {"group_id": "b" * 32}})
    assert response.json() == {"error_message": f"Invalid Group ID ({'b' * 32})"}


def test_system_group_membership_needs_modify_system(kasm_server: KasmServer) -> None:
    user_id = new_user(kasm_server, "lee@example.com")
    key, secret = kasm_server.create_api_key([P.GROUPS_MODIFY])
    response = httpx.post(
        f"{kasm_server.base_url}/api/public/add_user_group",
        json={
            "api_key": key,
            "api_key_secret": secret,
            "target_user": {"user_id": user_id},
            "target_group": {"group_id": ADMINISTRATORS_GROUP_ID},
        },
    )
    assert (response.status_code, response.json()) == (401, {"error_message": "Unauthorized"})


def test_group_images(kasm_server: KasmServer) -> None:
    group = create_group(kasm_server, "Launchers")
    image = kasm_server.post("get_images").json()["images"][0]
    body = {"target_group": {"group_id": group["group_id"]}, "target_image": {"image_id": image["image_id"]}}
    assert kasm_server.post("add_images_group", body).json() == {}
    listed = kasm_server.post("get_images_group", {"target_group": {"group_id": group["group_id"]}}).json()[
        "images"
    ]
    assert len(listed) == 1
    assert listed[0]["image_id"] == image["image_id"] and listed[0]["image_name"] == image["name"]
    assert (
        listed[0]["group_name"] == "Launchers" and listed[0]["image_friendly_name"] == image["friendly_name"]
    )
    # A second add is refused (1.15 stores a duplicate row; issue 11: one link per pair).
    assert "error_message" in kasm_server.post("add_images_group", body).json()
    assert len(kasm_server.post("get_images_group", {"target_group": group}).json()["images"]) == 1
    assert kasm_server.post("remove_images_group", body).json() == {}
    assert kasm_server.post("get_images_group", {"target_group": group}).json() == {"images": []}
    # Removing a pair that is not linked is a silent success.
    assert kasm_server.post("remove_images_group", body).json() == {}
    missing = {"target_group": {"group_id": group["group_id"]}, "target_image": {}}
    assert kasm_server.post("add_images_group", missing).json() == {
        "error_message": "Invalid request, missing group or image id"
    }
    unknown = {"target_group": {"group_id": group["group_id"]}, "target_image": {"image_id": "c" * 32}}
    assert kasm_server.post("remove_images_group", unknown).json() == {
        "error_message": "Group or image does not exist"
    }
    assert kasm_server.post("add_images_group", unknown).status_code == 500
    assert kasm_server.post("get_images_group", {"target_group": {"group_id": "c" * 32}}).json() == {
        "error_message": "Request group does not exist"
    }


def test_deleting_an_image_or_group_removes_authorisations(kasm_server: KasmServer) -> None:
    group = create_group(kasm_server, "Cascade")
    image = kasm_server.post("create_image", {"target_image": {"name": "x/y:1"}}).json()["image"]
    body = {"target_group": {"group_id": group["group_id"]}, "target_image": {"image_id": image["image_id"]}}
    kasm_server.post("add_images_group", body)
    kasm_server.post("delete_image", {"target_image": {"image_id": image["image_id"]}})
    assert kasm_server.post("get_images_group", {"target_group": group}).json() == {"images": []}


def test_group_settings(kasm_server: KasmServer) -> None:
    defaults = kasm_server.post("get_settings_group", {"target_group": {}}).json()["settings"]
    by_name = {s["name"]: s for s in defaults}
    assert by_name["max_kasms_per_user"]["value_type"] == "int"
    assert all(s["group_id"] == ALL_USERS_GROUP_ID for s in defaults)
    group = create_group(kasm_server, "Settings")
    target = {"group_id": group["group_id"]}
    response = kasm_server.post(
        "add_settings_group",
        {
            "target_group": target,
            "target_setting": {
                "group_setting_id": by_name["max_kasms_per_user"]["group_setting_id"],
                "value": "5",
            },
        },
    )
    setting = response.json()["setting"]
    assert (setting["name"], setting["value"], setting["group_id"]) == (
        "max_kasms_per_user",
        "5",
        group["group_id"],
    )
    again = kasm_server.post(
        "add_settings_group",
        {
            "target_group": target,
            "target_setting": {
                "group_setting_id": by_name["max_kasms_per_user"]["group_setting_id"],
                "value": "6",
            },
        },
    )
    assert again.json() == {"error_message": "Group setting already exists"}
    bad_value = kasm_server.post(
        "add_settings_group",
        {
            "target_group": target,
            "target_setting": {
                "group_setting_id": by_name["keepalive_expiration"]["group_setting_id"],
                "value": "soon",
            },
        },
    )
    assert bad_value.json()["error_message"].startswith("Invalid value type or value ")
    updated = kasm_server.post(
        "update_settings_group",
        {
            "target_group": target,
            "target_setting": {"group_setting_id": setting["group_setting_id"], "value": "7"},
        },
    ).json()["setting"]
    assert updated["value"] == "7"
    listed = kasm_server.post("get_settings_group", {"target_group": target}).json()["settings"]
    assert [s["name"] for s in listed] == ["max_kasms_per_user"]
    assert (
        kasm_server.post("remove_settings_group", {"group_setting_id": setting["group_setting_id"]}).json()
        == {}
    )
    assert kasm_server.post("get_settings_group", {"target_group": target}).json() == {"settings": []}
    missing = kasm_server.post(
        "add_settings_group",
        {"target_group": target, "target_setting": {"group_setting_id": "d" * 32, "value": "1"}},
    )
    assert missing.json() == {"error_message": "Group setting does not exist"}
    # Kasm 1.15 answers an unknown group's settings with an empty object, not an error.
    unknown = {"target_group": {"group_id": "e" * 32}}
    assert kasm_server.post("get_settings_group", unknown).json() == {}


def test_group_permissions(kasm_server: KasmServer) -> None:
    catalogue = kasm_server.post("get_permissions").json()["permissions"]
    users_view = next(p for p in catalogue if p["permission_id"] == 300)
    assert users_view == {
        "name": "JWT_AUTHORIZATION.USERS_VIEW",
        "permission_id": 300,
        "friendly_name": "Users View",
        "description": users_view["description"],
    }
    group = create_group(kasm_server, "Perms")
    target = {"group_id": group["group_id"]}
    added = kasm_server.post(
        "add_permissions_group", {"target_group": target, "target_permissions": [300, 352]}
    ).json()
    assert sorted(p["permission_id"] for p in added["permissions"]) == [300, 352]
    partial = kasm_server.post(
        "add_permissions_group", {"target_group": target, "target_permissions": [300, 400]}
    ).json()
    assert partial["error_message"] == "1 permissions added, 1 already part of the group."
    invalid = kasm_server.post(
        "add_permissions_group", {"target_group": target, "target_permissions": [12345]}
    )
    assert (invalid.status_code, invalid.json()) == (
        400,
        {"error_message": "The specified permission id (12345) is invalid."},
    )
    replaced = kasm_server.post(
        "replace_permissions_group", {"target_group": target, "target_permissions": [900]}
    ).json()
    assert [p["permission_id"] for p in replaced["permissions"]] == [900]
    listed = kasm_server.post("get_permissions_group", {"target_group": target}).json()["permissions"]
    assert [p["permission_id"] for p in listed] == [900]
    assert (
        kasm_server.post(
            "remove_permissions_group", {"group_permission_id": listed[0]["group_permission_id"]}
        ).json()
        == {}
    )
    gone = kasm_server.post(
        "remove_permissions_group", {"group_permission_id": listed[0]["group_permission_id"]}
    )
    assert (gone.status_code, gone.json()) == (
        400,
        {"error_message": "The specified permission does not exist."},
    )
    no_group = kasm_server.post("get_permissions_group", {"target_group": {"group_id": "e" * 32}})
    assert (no_group.status_code, no_group.json()) == (
        400,
        {"error_message": "The specified group does not exist."},
    )
    # Only Global Admin may manage permissions.
    key, secret = kasm_server.create_api_key([P.GROUPS_MODIFY, P.GROUPS_VIEW])
    response = httpx.post(
        f"{kasm_server.base_url}/api/public/get_permissions", json={"api_key": key, "api_key_secret": secret}
    )
    assert (response.status_code, response.json()) == (401, {"error_message": "Unauthorized"})


def test_api_key_permissions_take_effect(kasm_server: KasmServer) -> None:
    key, secret = kasm_server.create_api_key([P.USERS_VIEW])
    url = f"{kasm_server.base_url}/api/public/get_images"
    assert httpx.post(url, json={"api_key": key, "api_key_secret": secret}).status_code == 401
    from sqlalchemy import select

    from terraform_provider_kasm.server.storage.tables import ApiConfig

    with kasm_server.app.state.kasm.db.session(write=False) as db:
        api_id = db.scalar(select(ApiConfig.api_id).where(ApiConfig.api_key == key))
    kasm_server.post(
        "add_permissions_group", {"target_api_config": {"api_id": api_id}, "target_permissions": [900]}
    )
    assert httpx.post(url, json={"api_key": key, "api_key_secret": secret}).status_code == 200


def test_auto_add_local_users(kasm_server: KasmServer) -> None:
    group = create_group(kasm_server, "Auto")
    defaults = {s["name"]: s for s in kasm_server.post("get_settings_group", {}).json()["settings"]}
    kasm_server.post(
        "add_settings_group",
        {
            "target_group": {"group_id": group["group_id"]},
            "target_setting": {
                "group_setting_id": defaults["auto_add_local_users"]["group_setting_id"],
                "value": "true",
            },
        },
    )
    local = kasm_server.post("create_user", {"target_user": {"username": "local@example.com"}}).json()["user"]
    assert {g["name"] for g in local["groups"]} == {"All Users", "Auto"}
    ldap = kasm_server.post(
        "create_user", {"target_user": {"username": "ldap@example.com", "realm": "ldap"}}
    ).json()
    assert {g["name"] for g in ldap["user"]["groups"]} == {"All Users"}


def test_licensed_settings_need_the_license_feature(kasm_server: KasmServer) -> None:
    defaults = {s["name"]: s for s in kasm_server.post("get_settings_group", {}).json()["settings"]}
    group = create_group(kasm_server, "Licensed")

    def add(name: str, value: str) -> dict[str, Any]:
        body = {
            "target_group": {"group_id": group["group_id"]},
            "target_setting": {"group_setting_id": defaults[name]["group_setting_id"], "value": value},
        }
        answer: dict[str, Any] = kasm_server.post("add_settings_group", body).json()
        return answer

    # Unlicensed (Community) deployments have the feature; a license without it takes it away.
    key = unsigned_key(limit=10, license_type="Per Concurrent Kasm", features=["session_casting"])
    assert "license" in kasm_server.post("add_license", {"license_key": key}).json()
    assert add("allow_kasm_sharing", "true") == {
        "error_message": "Access Denied. This setting is not licensed"
    }
    assert add("usage_limit", "") == {"error_message": "Access Denied. This setting is not licensed"}
    assert add("allow_kasm_audio", "false")["setting"]["value"] == "false"
