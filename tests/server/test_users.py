"""Users: the documented user endpoints, their shapes and Kasm 1.15's messages and statuses."""

from __future__ import annotations

import re
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from terraform_provider_kasm.server.permissions import Permission as P
from terraform_provider_kasm.server.seed import ADMINISTRATORS_GROUP_ID, ALL_USERS_GROUP_ID

from ..fixtures.kasm_server import KasmServer

DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{6})?$")


def create_user(server: KasmServer, username: str, **fields: Any) -> dict[str, Any]:
    response = server.post(
        "create_user", {"target_user": {"username": username, "password": "Pa55word!", **fields}}
    )
    assert response.status_code == 200, response.text
    user: dict[str, Any] = response.json()["user"]
    return user


def test_create_user_shape_and_normalisation(kasm_server: KasmServer) -> None:
    user = create_user(
        kasm_server,
        "  Bob.Smith@Example.COM ",
        first_name="  Bob  ",
        last_name="W" * 80,
        phone="123",
        organization="o",
    )
    assert list(user) == [
        "user_id",
        "username",
        "locked",
        "disabled",
        "last_session",
        "groups",
        "first_name",
        "last_name",
        "phone",
        "organization",
        "notes",
        "realm",
    ]
    assert user["username"] == "bob.smith@example.com"
    assert re.fullmatch(r"[0-9a-f]{32}", user["user_id"])
    assert user["first_name"] == "Bob" and len(user["last_name"]) == 64
    assert user["groups"] == [{"name": "All Users", "group_id": ALL_USERS_GROUP_ID}]
    assert user["last_session"] is None and user["realm"] == "local"
    assert (user["locked"], user["disabled"]) == (False, False)


def test_create_user_errors(kasm_server: KasmServer) -> None:
    create_user(kasm_server, "dup@example.com")
    response = kasm_server.post("create_user", {"target_user": {"username": "DUP@example.com "}})
    assert (response.status_code, response.json()) == (
        400,
        {"error_message": "Error creating user (dup@example.com): (User already exists)"},
    )
    body: dict[str, Any]
    for body in ({}, {"target_user": {}}, {"target_user": {"first_name": "x"}}):
        response = kasm_server.post("create_user", body)
        assert (response.status_code, response.json()) == (
            400,
            {"error_message": "Invalid Request: Missing required parameters"},
        )
    # No password: a random one is set (the user just cannot know it).
    response = kasm_server.post("create_user", {"target_user": {"username": "nopass@example.com"}})
    assert response.status_code == 200


def test_get_user_by_id_and_name(kasm_server: KasmServer) -> None:
    created = create_user(kasm_server, "carol@example.com", city="Paris")
    by_id = kasm_server.post("get_user", {"target_user": {"user_id": created["user_id"]}}).json()["user"]
    by_name = kasm_server.post("get_user", {"target_user": {"username": "CAROL@example.com"}}).json()["user"]
    assert by_id == by_name
    assert by_id["kasms"] == [] and by_id["two_factor"] is False
    assert DATETIME.match(by_id["created"]) and DATETIME.match(by_id["password_set_date"])
    for extra in ("program_id", "city", "state", "country", "email", "custom_attribute_1"):
        assert extra in by_id
    for target in ({"user_id": "f" * 32}, {"user_id": "not-a-uuid"}, {"username": "nobody"}, {}):
        response = kasm_server.post("get_user", {"target_user": target})
        assert (response.status_code, response.json()) == (400, {"error_message": "Invalid Request"})


def test_get_users_shape_paging_and_filters(kasm_server: KasmServer) -> None:
    for i in range(5):
        create_user(kasm_server, f"page{i}@example.com")
    body = kasm_server.post("get_users").json()
    assert body["total"] == 6 and "page" not in body  # 5 + the seeded admin
    entry = next(u for u in body["users"] if u["username"] == "page0@example.com")
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", entry["user_id"])
    assert entry["last_session"] == "None" and entry["company"] == {} and entry["kasms"] == []
    assert entry["groups"] == [{"name": "All Users", "group_id": ALL_USERS_GROUP_ID}]
    page = kasm_server.post(
        "get_users", {"page": 1, "page_size": 2, "sort_by": "username", "sort_direction": "asc"}
    ).json()
    assert page["page"] == 1 and page["total"] == 6
    assert [u["username"] for u in page["users"]] == ["page1@example.com", "page2@example.com"]
    filtered = kasm_server.post("get_users", {"filters": [{"id": "username", "value": "PAGE3"}]}).json()
    assert [u["username"] for u in filtered["users"]] == ["page3@example.com"] and filtered["total"] == 1
    excluded = kasm_server.post(
        "get_users", {"filters": [{"id": "exclude_group", "value": ADMINISTRATORS_GROUP_ID}]}
    )
    assert "admin@kasm.local" not in [u["username"] for u in excluded.json()["users"]]
    # Without Groups View the groups are not listed.
    key, secret = kasm_server.create_api_key([P.USERS_VIEW])
    import httpx

    limited = httpx.post(
        f"{kasm_server.base_url}/api/public/get_users", json={"api_key": key, "api_key_secret": secret}
    ).json()
    assert all(u["groups"] == [] for u in limited["users"])


def test_update_user(kasm_server: KasmServer) -> None:
    user = create_user(kasm_server, "dave@example.com", first_name="Dave", phone="1")
    response = kasm_server.post(
        "update_user",
        {
            "target_user": {
                "user_id": user["user_id"],
                "username": "DAVE2@example.com",
                "last_name": "D",
                "locked": True,
            }
        },
    )
    updated = response.json()["user"]
    assert updated["username"] == "dave2@example.com" and updated["first_name"] == "Dave"
    assert updated["last_name"] == "D" and updated["locked"] is True and updated["phone"] == "1"


def test_update_user_errors(kasm_server: KasmServer) -> None:
    user = create_user(kasm_server, "erin@example.com")
    uid = user["user_id"]
    cases = [
        ({}, "Invalid Request"),
        ({"target_user": {"username": "x"}}, "Invalid Request"),
        ({"target_user": {"user_id": "f" * 32, "username": "x"}}, "Unknown User"),
        ({"target_user": {"user_id": uid}}, "Username is not present"),
        (
            {"target_user": {"user_id": uid, "username": "erin@example.com", "status": "odd"}},
            "Invalid Status (odd)",
        ),
    ]
    passwords = {
        "abcdefgh": "Your password must contain at least one number.",
        "ab1!": "Your password must be at least 8 characters long",
        "abcdefg1": "Your password must contain at least one special character.",
        "ABCDEFG1!": "Your password must contain at least one lower case character.",
        "abcdefg1!": "Your password must contain at least one upper case character.",
    }
    cases += [
        ({"target_user": {"user_id": uid, "username": "erin@example.com", "password": pw}}, message)
        for pw, message in passwords.items()
    ]
    for body, message in cases:
        response = kasm_server.post("update_user", body)
        assert (response.status_code, response.json()) == (400, {"error_message": message}), body
    ok = kasm_server.post(
        "update_user",
        {"target_user": {"user_id": uid, "username": "erin@example.com", "password": "Abcdefg1!"}},
    )
    assert ok.status_code == 200


def test_update_and_delete_global_admin_need_users_modify_admin(kasm_server: KasmServer) -> None:
    admin = kasm_server.post("get_user", {"target_user": {"username": "admin@kasm.local"}}).json()["user"]
    key, secret = kasm_server.create_api_key([P.USERS_MODIFY, P.USERS_DELETE])
    import httpx

    for name, body in (
        ("update_user", {"target_user": {"user_id": admin["user_id"], "username": "admin@kasm.local"}}),
        ("delete_user", {"target_user": {"user_id": admin["user_id"]}}),
    ):
        response = httpx.post(
            f"{kasm_server.base_url}/api/public/{name}",
            json={"api_key": key, "api_key_secret": secret, **body},
        )
        assert (response.status_code, response.json()) == (401, {"error_message": "Unauthorized"})


def test_delete_user_and_cascades(kasm_server: KasmServer) -> None:
    user = create_user(kasm_server, "frank@example.com")
    group = kasm_server.post("create_group", {"target_group": {"name": "Frank's", "priority": 10}}).json()[
        "group"
    ]
    kasm_server.post("add_user_group", {"target_user": {"user_id": user["user_id"]}, "target_group": group})
    response = kasm_server.post("delete_user", {"target_user": {"user_id": user["user_id"]}, "force": "yes"})
    assert (response.status_code, response.json()) == (
        200,
        {"error_message": "Invalid Request. 'force' option must be boolean"},
    )
    response = kasm_server.post("delete_user", {"target_user": {"user_id": user["user_id"]}})
    assert (response.status_code, response.json()) == (200, {})
    response = kasm_server.post("delete_user", {"target_user": {"user_id": user["user_id"]}})
    assert (response.status_code, response.json()) == (
        400,
        {"error_message": f"Unknown user ({user['user_id']})"},
    )
    members = kasm_server.post("get_users_group", {"target_group": {"group_id": group["group_id"]}}).json()
    assert members == {"users": [], "total": 0}
    # The username is free again.
    create_user(kasm_server, "frank@example.com")


def test_delete_user_with_sessions_needs_force(kasm_server: KasmServer) -> None:
    from terraform_provider_kasm.server.storage.tables import Kasm

    user = create_user(kasm_server, "gina@example.com")
    image_id = kasm_server.post("get_images").json()["images"][0]["image_id"]
    with kasm_server.app.state.kasm.db.session(write=True) as db:
        db.add(Kasm(user_id=user["user_id"], image_id=image_id, operational_status="running"))
        db.commit()
    response = kasm_server.post("delete_user", {"target_user": {"user_id": user["user_id"]}, "force": False})
    assert (response.status_code, response.json()) == (
        400,
        {"error_message": "Users contains (1) kasms and 'force' option not set to True"},
    )
    key, secret = kasm_server.create_api_key([P.USERS_DELETE], name="nodelete")
    import httpx

    response = httpx.post(
        f"{kasm_server.base_url}/api/public/delete_user",
        json={
            "api_key": key,
            "api_key_secret": secret,
            "target_user": {"user_id": user["user_id"]},
            "force": True,
        },
    )
    assert (response.status_code, response.json()) == (
        401,
        {
            "error_message": "API Key (nodelete) unauthorized for deleting the requested user (gina@example.com) sessions."
        },
    )
    response = kasm_server.post("delete_user", {"target_user": {"user_id": user["user_id"]}, "force": True})
    assert (response.status_code, response.json()) == (200, {})
    with kasm_server.app.state.kasm.db.session(write=False) as db:
        assert db.query(Kasm).count() == 0


def test_logout_user(kasm_server: KasmServer) -> None:
    user = create_user(kasm_server, "hank@example.com")
    login = kasm_server.post("get_login", {"target_user": {"user_id": user["user_id"]}}).json()
    host = kasm_server.base_url.removeprefix("http://")
    assert re.fullmatch(
        rf"https://{re.escape(host)}/#/connect/login/dash/{user['user_id']}/[0-9a-f]{{8}}-[0-9a-f-]{{27}}",
        login["url"],
    )
    assert kasm_server.post("logout_user", {"target_user": {"user_id": user["user_id"]}}).json() == {}
    from terraform_provider_kasm.server.storage.tables import SessionToken

    with kasm_server.app.state.kasm.db.session(write=False) as db:
        assert db.query(SessionToken).filter_by(user_id=user["user_id"]).count() == 0
    cases = [
        ({}, "Invalid Request: Missing required target_user"),
        ({"target_user": {"username": "x"}}, "Invalid Request: Missing required user_id"),
        ({"target_user": {"user_id": "abc"}}, "Unknown user (abc)"),
    ]
    for body, message in cases:
        response = kasm_server.post("logout_user", body)
        assert (response.status_code, response.json()) == (400, {"error_message": message})
    response = kasm_server.post("get_login", {"target_user": {"user_id": "f" * 32}})
    assert (response.status_code, response.json()) == (
        400,
        {"error_message": f"No user found with id: ({'f' * 32})"},
    )


def test_attributes(kasm_server: KasmServer) -> None:
    user = create_user(kasm_server, "ivy@example.com")
    attributes = kasm_server.post("get_attributes", {"target_user": {"user_id": user["user_id"]}}).json()[
        "user_attributes"
    ]
    assert attributes["user_id"] == user["user_id"]
    assert attributes["ssh_public_key"].startswith("ssh-rsa ")
    assert (attributes["theme"], attributes["chat_sfx"], attributes["show_tips"]) == ("Auto", True, False)
    assert attributes["default_image"] is None and attributes["auto_login_kasm"] is None
    image_id = kasm_server.post("get_images").json()["images"][0]["image_id"]
    response = kasm_server.post(
        "update_user_attributes",
        {
            "target_user_attributes": {
                "user_id": user["user_id"],
                "theme": "Dark",
                "show_tips": True,
                "default_image": image_id,
                "auto_login_kasm": True,
            }
        },
    )
    assert (response.status_code, response.json()) == (200, {})
    after = kasm_server.post("get_attributes", {"target_user": {"username": "ivy@example.com"}}).json()[
        "user_attributes"
    ]
    assert (after["theme"], after["show_tips"], after["default_image"], after["auto_login_kasm"]) == (
        "Dark",
        True,
        image_id,
        True,
    )
    assert after["ssh_public_key"] == attributes["ssh_public_key"]
    key = ed25519.Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()
    ).decode()
    kasm_server.post(
        "update_user_attributes",
        {"target_user_attributes": {"user_id": user["user_id"], "ssh_private_key": pem}},
    )
    derived = kasm_server.post("get_attributes", {"target_user": {"user_id": user["user_id"]}}).json()
    assert derived["user_attributes"]["ssh_public_key"].startswith("ssh-ed25519 ")


def test_attribute_errors(kasm_server: KasmServer) -> None:
    user = create_user(kasm_server, "jack@example.com")
    cases: list[tuple[str, dict[str, Any], str]] = [
        ("get_attributes", {"target_user": {}}, "Invalid Request: Missing required parameters"),
        ("get_attributes", {"target_user": {"user_id": "abc"}}, "No user found with name/id: (abc)"),
        ("update_user_attributes", {}, "No target user attribute in request"),
        ("update_user_attributes", {"target_user_attributes": {"theme": "x"}}, "Missing required parameters"),
        ("update_user_attributes", {"target_user_attributes": {"user_id": "abc"}}, "Missing or invalid user"),
    ]
    for name, body, message in cases:
        response = kasm_server.post(name, body)
        assert (response.status_code, response.json()) == (400, {"error_message": message}), (name, body)
    response = kasm_server.post(
        "update_user_attributes",
        {"target_user_attributes": {"user_id": user["user_id"], "ssh_private_key": "junk"}},
    )
    assert response.status_code == 400
    assert response.json()["error_message"].startswith("Error processing SSH Private Key: (")


def test_get_users_anonymous_and_created_filters(kasm_server: KasmServer) -> None:
    from terraform_provider_kasm.server.services.users import create_user_record

    with kasm_server.app.state.kasm.db.session(write=True) as db:
        create_user_record(db, "anonymous-1234", anonymous=True)
        db.commit()
    named = {u["username"] for u in kasm_server.post("get_users").json()["users"]}
    assert "anonymous-1234" not in named
    everyone = {u["username"] for u in kasm_server.post("get_users", {"anonymous": True}).json()["users"]}
    assert "anonymous-1234" in everyone and "admin@kasm.local" in everyone
    only = kasm_server.post("get_users", {"anonymous_only": True}).json()
    assert [u["username"] for u in only["users"]] == ["anonymous-1234"] and only["total"] == 1
    user = create_user(kasm_server, "recent@example.com")
    created = kasm_server.post("get_user", {"target_user": {"user_id": user["user_id"]}}).json()["user"][
        "created"
    ]
    window = kasm_server.post(
        "get_users", {"filters": [{"id": "created", "value": {"from": created}}]}
    ).json()
    assert [u["username"] for u in window["users"]] == ["recent@example.com"]
    before = kasm_server.post(
        "get_users", {"filters": [{"id": "created", "value": {"to": "2000-01-01 00:00:00"}}]}
    )
    assert before.json() == {"users": [], "total": 0}
