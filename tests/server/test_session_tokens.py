"""Session tokens: the public token calls, their shapes and Kasm 1.15's 400 errors."""

from __future__ import annotations

import re
import time

from terraform_provider_kasm.server.permissions import Permission as P

from ..fixtures.kasm_server import KasmServer
from .session_helpers import error, new_user, ok

DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{6})?$")


def test_token_lifecycle(kasm_server: KasmServer) -> None:
    user_id = new_user(kasm_server)
    target_user = {"target_user": {"user_id": user_id}}
    token = ok(kasm_server.post("create_session_token", target_user))["session_token"]
    assert list(token) == ["session_token", "session_token_date", "expires_at"]
    assert re.fullmatch(r"[0-9a-f]{32}", token["session_token"])
    assert DATETIME.match(token["session_token_date"]) and token["expires_at"] > token["session_token_date"]
    target = {"target_session_token": {"session_token": token["session_token"]}}
    assert ok(kasm_server.post("get_session_token", target)) == {"session_token": token}
    second = ok(kasm_server.post("create_session_token", target_user))["session_token"]
    listed = ok(kasm_server.post("get_session_tokens", target_user))["session_tokens"]
    assert [t["session_token"] for t in listed] == [token["session_token"], second["session_token"]]
    time.sleep(0.01)
    refreshed = ok(kasm_server.post("update_session_token", target))["session_token"]
    assert refreshed["session_token"] == token["session_token"]
    assert refreshed["session_token_date"] > token["session_token_date"]
    assert ok(kasm_server.post("delete_session_token", target)) == {}
    assert error(kasm_server.post("get_session_token", target), 400) == (
        f"Session Token ({token['session_token']}) not found"
    )
    assert ok(kasm_server.post("delete_session_tokens", target_user)) == {}
    assert ok(kasm_server.post("get_session_tokens", target_user)) == {"session_tokens": []}


def test_token_errors(kasm_server: KasmServer) -> None:
    missing = "Invalid Request: Missing required parameters"
    for name in ("create_session_token", "get_session_tokens", "delete_session_tokens"):
        assert error(kasm_server.post(name, {}), 400) == missing
        assert error(kasm_server.post(name, {"target_user": {"user_id": "4" * 32}}), 400) == (
            f"No user found with id: ({'4' * 32})"
        )
    for name in ("get_session_token", "update_session_token", "delete_session_token"):
        assert error(kasm_server.post(name, {"target_session_token": {}}), 400) == missing
        assert error(kasm_server.post(name, {"target_session_token": {"session_token": "nope"}}), 400) == (
            "Session Token (nope) not found"
        )


def test_token_permissions(kasm_server: KasmServer) -> None:
    user_id = new_user(kasm_server)
    body = {"target_user": {"user_id": user_id}}
    key, secret = kasm_server.create_api_key([P.USERS_VIEW, P.USERS_MODIFY])
    assert error(
        kasm_server.post("create_session_token", {**body, "api_key": key, "api_key_secret": secret}), 401
    )
    # Reading tokens is allowed for read-only keys; making them is not.
    key, secret = kasm_server.create_api_key([P.USERS_AUTH_SESSION], read_only=True)
    creds = {"api_key": key, "api_key_secret": secret}
    assert ok(kasm_server.post("get_session_tokens", {**body, **creds})) == {"session_tokens": []}
    assert error(kasm_server.post("create_session_token", {**body, **creds}), 401) == "Unauthorized"


def test_logout_user_removes_tokens(kasm_server: KasmServer) -> None:
    user_id = new_user(kasm_server)
    body = {"target_user": {"user_id": user_id}}
    ok(kasm_server.post("create_session_token", body))
    ok(kasm_server.post("logout_user", body))
    assert ok(kasm_server.post("get_session_tokens", body)) == {"session_tokens": []}
