"""Session permissions (sharing ACLs): set, set all, get, delete, delete all; Kasm 1.15's 400 errors."""

from __future__ import annotations

from terraform_provider_kasm.server.permissions import Permission as P

from ..fixtures.kasm_server import KasmServer
from .session_helpers import authorised_image_id, error, new_user, ok, start


def test_session_permissions(kasm_server: KasmServer) -> None:
    owner = new_user(kasm_server)
    alice = new_user(kasm_server, "alice@example.com")
    bob = new_user(kasm_server, "bob@example.com")
    kasm_id = start(kasm_server, owner, authorised_image_id(kasm_server, owner))["kasm_id"]
    target = {"kasm_id": kasm_id}
    granted = ok(
        kasm_server.post(
            "set_session_permissions",
            {
                "target_session_permissions": {
                    **target,
                    "session_permissions": [
                        {"user_id": alice, "access": "r"},
                        {"user_id": bob, "access": "RW"},
                    ],
                }
            },
        )
    )["session_permissions"]
    assert [(p["username"], p["access"]) for p in granted] == [
        ("alice@example.com", "r"),
        ("bob@example.com", "rw"),
    ]
    first = granted[0]
    assert list(first) == [
        "session_permission_id",
        "kasm_id",
        "user_id",
        "access",
        "vnc_username",
        "username",
    ]
    assert first["kasm_id"] == kasm_id.replace("-", "") and first["vnc_username"]
    # Setting again updates in place (one row per session and user).
    again = ok(
        kasm_server.post(
            "set_session_permissions",
            {
                "target_session_permissions": {
                    **target,
                    "session_permissions": [{"user_id": alice, "access": "rwo"}],
                }
            },
        )
    )["session_permissions"]
    assert again[0]["session_permission_id"] == first["session_permission_id"] and again[0]["access"] == "rwo"
    every = ok(
        kasm_server.post(
            "set_all_session_permissions", {"target_session_permissions": {**target, "access": "r"}}
        )
    )
    assert {p["access"] for p in every["session_permissions"]} == {"r"}
    by_user = ok(
        kasm_server.post("get_session_permissions", {"target_session_permissions": {"user_id": bob}})
    )
    assert [p["user_id"] for p in by_user["session_permissions"]] == [bob]
    by_id = ok(
        kasm_server.post(
            "get_session_permissions",
            {"target_session_permissions": {"session_permission_id": first["session_permission_id"]}},
        )
    )
    assert [p["user_id"] for p in by_id["session_permissions"]] == [alice]
    assert (
        error(
            kasm_server.post(
                "delete_session_permissions", {"target_session_permissions": {**target, "user_ids": [owner]}}
            ),
            400,
        )
        == f"No session_permissions found with kasm_id: ({kasm_id}) and user_id: ({owner})"
    )
    assert (
        ok(
            kasm_server.post(
                "delete_session_permissions", {"target_session_permissions": {**target, "user_ids": [alice]}}
            )
        )
        == {}
    )
    listed = ok(kasm_server.post("get_session_permissions", {"target_session_permissions": target}))
    assert [p["user_id"] for p in listed["session_permissions"]] == [bob]
    assert (
        ok(kasm_server.post("delete_all_session_permissions", {"target_session_permissions": target})) == {}
    )
    assert ok(kasm_server.post("get_session_permissions", {"target_session_permissions": target})) == {
        "session_permissions": []
    }
    # Permissions go with the session.
    ok(
        kasm_server.post(
            "set_session_permissions",
            {
                "target_session_permissions": {
                    **target,
                    "session_permissions": [{"user_id": bob, "access": "r"}],
                }
            },
        )
    )
    ok(kasm_server.post("destroy_kasm", {"user_id": owner, "kasm_id": kasm_id}))
    assert ok(
        kasm_server.post("get_session_permissions", {"target_session_permissions": {"user_id": bob}})
    ) == {"session_permissions": []}


def test_session_permission_errors(kasm_server: KasmServer) -> None:
    owner = new_user(kasm_server)
    kasm_id = start(kasm_server, owner, authorised_image_id(kasm_server, owner))["kasm_id"]
    missing = "Invalid Request: Missing required parameters"
    assert error(kasm_server.post("set_session_permissions", {}), 400) == missing
    assert (
        error(kasm_server.post("get_session_permissions", {"target_session_permissions": {"x": 1}}), 400)
        == missing
    )
    unknown = "5" * 32
    assert (
        error(
            kasm_server.post(
                "set_session_permissions",
                {
                    "target_session_permissions": {
                        "kasm_id": unknown,
                        "session_permissions": [{"user_id": owner, "access": "r"}],
                    }
                },
            ),
            400,
        )
        == f"No session found with kasm_id ({unknown})"
    )
    assert (
        error(
            kasm_server.post(
                "set_session_permissions",
                {
                    "target_session_permissions": {
                        "kasm_id": kasm_id,
                        "session_permissions": [{"user_id": unknown, "access": "r"}],
                    }
                },
            ),
            400,
        )
        == f"No user found with id: ({unknown})"
    )
    assert (
        error(
            kasm_server.post(
                "set_session_permissions",
                {
                    "target_session_permissions": {
                        "kasm_id": kasm_id,
                        "session_permissions": [{"user_id": owner, "access": "x"}],
                    }
                },
            ),
            400,
        )
        == "Error with request"
    )
    key, secret = kasm_server.create_api_key([P.SESSIONS_VIEW])
    creds = {"api_key": key, "api_key_secret": secret}
    assert ok(
        kasm_server.post(
            "get_session_permissions", {**creds, "target_session_permissions": {"kasm_id": kasm_id}}
        )
    )
    assert error(
        kasm_server.post(
            "delete_all_session_permissions", {**creds, "target_session_permissions": {"kasm_id": kasm_id}}
        ),
        401,
    )
