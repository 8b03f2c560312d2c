"""Sessions: request_kasm's checks and messages, the lifecycle, status/list/destroy and the other session
calls, with Kasm 1.15's shapes and statuses."""

from __future__ import annotations

import io
import re
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image as PILImage

from terraform_provider_kasm.server.app import create_app
from terraform_provider_kasm.server.permissions import Permission as P
from terraform_provider_kasm.server.seed import ALL_USERS_GROUP_ID

from ..fixtures.kasm_server import KasmServer, _serve, make_settings
from .session_helpers import (
    SESSION_KEY,
    authorised_image_id,
    error,
    new_group,
    new_image,
    new_user,
    ok,
    seeded_image_id,
    start,
    status,
)

HEX = re.compile(r"^[0-9a-f]{32}$")
DASHED = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{6})?$")


def hex_id(value: str) -> str:
    return value.replace("-", "")


def test_request_kasm_then_running(kasm_server: KasmServer) -> None:
    user_id = new_user(kasm_server, "Bob@Example.com")
    image_id = authorised_image_id(kasm_server, user_id)
    started = start(kasm_server, user_id, image_id)
    assert list(started) == ["kasm_id", "status", "user_id", "username", "session_token", "kasm_url"]
    assert DASHED.match(started["kasm_id"]) and DASHED.match(started["session_token"])
    assert (started["status"], started["user_id"], started["username"]) == (
        "starting",
        user_id,
        "bob@example.com",
    )
    assert started["kasm_url"] == f"/#/connect/kasm/{started['kasm_id']}/{user_id}/{started['session_token']}"

    first = ok(status(kasm_server, user_id, started["kasm_id"]))
    assert list(first) == ["kasm", "current_time", "kasm_url"]
    assert DATETIME.match(first["current_time"])
    kasm = first["kasm"]
    assert kasm["kasm_id"] == hex_id(started["kasm_id"]) and HEX.match(kasm["kasm_id"])
    assert (kasm["user_id"], kasm["image_id"], kasm["operational_status"]) == (user_id, image_id, "running")
    assert kasm["port_map"]["vnc"] == {"path": f"desktop/{started['kasm_id']}/vnc", "port": 443}
    assert set(kasm["port_map"]) == {"vnc", "audio", "uploads", "audio_input", "gamepad", "webcam"}
    assert kasm["hostname"] == "127.0.0.1" and kasm["share_id"] is None
    assert (kasm["token"], kasm["view_only_token"]) == ("", "")
    assert kasm["image"]["friendly_name"] == "Terminal" and kasm["image"]["image_type"] == "Container"
    assert kasm["client_settings"]["allow_kasm_audio"] is True
    assert all(
        DATETIME.match(kasm[k]) for k in ("start_date", "created_date", "keepalive_date", "expiration_date")
    )
    # Every status call mints a new session token (a new connect link).
    second = ok(status(kasm_server, user_id, started["kasm_id"]))
    assert second["kasm_url"] != first["kasm_url"]
    dashed_user = str(uuid.UUID(user_id))
    assert re.fullmatch(
        rf"/#/connect/kasm/{started['kasm_id']}/{dashed_user}/[0-9a-f-]{{36}}", second["kasm_url"]
    )
    tokens = ok(kasm_server.post("get_session_tokens", {"target_user": {"user_id": user_id}}))[
        "session_tokens"
    ]
    assert len(tokens) == 3


def test_image_authorisation_rules(kasm_server: KasmServer) -> None:
    user_id = new_user(kasm_server)
    image_id = new_image(kasm_server)
    # A new image is authorised for no group.
    assert error(kasm_server.post("request_kasm", {"user_id": user_id, "image_id": image_id})) == (
        "Image Not Authorized"
    )
    group_id = new_group(kasm_server, users=[user_id], images=[image_id])
    kasm_id = start(kasm_server, user_id, image_id)["kasm_id"]
    ok(kasm_server.post("destroy_kasm", {"user_id": user_id, "kasm_id": kasm_id}))
    # A disabled image is not authorised either.
    image = next(i for i in ok(kasm_server.post("get_images"))["images"] if i["image_id"] == image_id)
    ok(
        kasm_server.post(
            "update_image", {"target_image": {"image_id": image_id, "name": image["name"], "enabled": False}}
        )
    )
    assert error(kasm_server.post("request_kasm", {"user_id": user_id, "image_id": image_id})) == (
        "Image Not Authorized"
    )
    # Another user outside the group.
    other = new_user(kasm_server)
    ok(
        kasm_server.post(
            "update_image", {"target_image": {"image_id": image_id, "name": image["name"], "enabled": True}}
        )
    )
    assert (
        error(kasm_server.post("request_kasm", {"user_id": other, "image_id": image_id}))
        == "Image Not Authorized"
    )
    assert group_id
    unknown = "0" * 32
    assert (
        error(kasm_server.post("request_kasm", {"user_id": user_id, "image_id": unknown}))
        == "Invalid Request"
    )
    assert error(kasm_server.post("request_kasm", {"user_id": user_id})) == "No Default Image Found"


def test_default_image_from_group_setting(kasm_server: KasmServer) -> None:
    user_id = new_user(kasm_server)
    image_id = authorised_image_id(kasm_server, user_id)
    new_group(kasm_server, users=[user_id], settings={"default_image": image_id})
    started = ok(kasm_server.post("request_kasm", {"user_id": user_id}))
    kasm = ok(status(kasm_server, user_id, started["kasm_id"]))["kasm"]
    assert kasm["image_id"] == image_id


def test_per_user_limit(kasm_server: KasmServer) -> None:
    user_id = new_user(kasm_server, "limited@example.com")
    blocked = new_user(kasm_server, "blocked@example.com")
    image_id = authorised_image_id(kasm_server, user_id, blocked)
    start(kasm_server, user_id, image_id)
    start(kasm_server, user_id, image_id)
    assert error(kasm_server.post("request_kasm", {"user_id": user_id, "image_id": image_id})) == (
        "Kasm limit exceeded for user: (limited@example.com)"
    )
    # A group setting raises it; 0 blocks every session.
    group_id = new_group(kasm_server, users=[user_id], settings={"max_kasms_per_user": "3"})
    start(kasm_server, user_id, image_id)
    new_group(kasm_server, users=[blocked], settings={"max_kasms_per_user": "0"})
    assert error(kasm_server.post("request_kasm", {"user_id": blocked, "image_id": image_id})) == (
        "Kasm limit exceeded for user: (blocked@example.com)"
    )
    assert group_id


def test_unlicensed_concurrent_limit_is_five(kasm_server: KasmServer) -> None:
    users = [new_user(kasm_server) for _ in range(3)]
    image_id = authorised_image_id(kasm_server, *users)
    for n in range(5):
        start(kasm_server, users[n % 3], image_id)
    assert error(kasm_server.post("request_kasm", {"user_id": users[2], "image_id": image_id})) == (
        "Per concurrent session license limit exceeded. Unable to create session"
    )


def test_auth_rules(kasm_server: KasmServer) -> None:
    user_id = new_user(kasm_server)
    image_id = seeded_image_id(kasm_server)
    body = {"user_id": user_id, "image_id": image_id}
    key, secret = kasm_server.create_api_key([P.USERS_AUTH_SESSION, P.GLOBAL_ADMIN])
    # Global Admin does not imply User.
    assert error(
        kasm_server.post("request_kasm", {**body, "api_key": key, "api_key_secret": secret}), 401
    ) == ("Unauthorized")
    key, secret = kasm_server.create_api_key([P.USER], name="no-impersonation")
    assert error(
        kasm_server.post("request_kasm", {**body, "api_key": key, "api_key_secret": secret}), 401
    ) == ("API Key (no-impersonation) is not authorized to impersonate a user.")
    assert error(kasm_server.post("request_kasm", {**body, "user_id": "1" * 32}), 400) == (
        f"Invalid user_id ({'1' * 32})"
    )
    key, secret = kasm_server.create_api_key(SESSION_KEY, read_only=True)
    assert error(
        kasm_server.post("request_kasm", {**body, "api_key": key, "api_key_secret": secret}), 401
    ) == ("Unauthorized")


def test_anonymous_user_when_no_user_id(kasm_server: KasmServer) -> None:
    # The anonymous user is made by request_kasm itself, so only a group it joins on creation can
    # authorise the image for it: All Users.
    image_id = seeded_image_id(kasm_server)
    all_users = {"group_id": ALL_USERS_GROUP_ID}
    ok(
        kasm_server.post(
            "add_images_group", {"target_group": all_users, "target_image": {"image_id": image_id}}
        )
    )
    started = ok(kasm_server.post("request_kasm", {"image_id": image_id}))
    assert started["username"].startswith("anonymous-")
    users = ok(kasm_server.post("get_users", {"anonymous": True}))["users"]
    assert any(hex_id(u["user_id"]) == started["user_id"] for u in users)


START_SECONDS = 2.0


@pytest.fixture
def slow_server(tmp_path: Path) -> Iterator[KasmServer]:
    """A server whose sessions take START_SECONDS to start (and to stop/pause)."""
    for settings in make_settings(tmp_path, session_start_seconds=START_SECONDS):
        app = create_app(settings)
        try:
            yield from _serve(app, settings)
        finally:
            app.state.kasm.db.dispose()


def sleep_until(deadline: float) -> None:
    time.sleep(max(0.0, deadline - time.monotonic()))


def test_lifecycle_over_time(slow_server: KasmServer) -> None:
    user_id = new_user(slow_server)
    image_id = authorised_image_id(slow_server, user_id)
    kasm_id = start(slow_server, user_id, image_id)["kasm_id"]
    early = status(slow_server, user_id, kasm_id)
    body = early.json()
    assert early.status_code == 200
    assert body["operational_status"] == "provisioning" and "kasm" not in body
    assert body["error_message"] == "This session is currently provisioning."
    assert 0 <= body["operational_progress"] < 50 and body["operational_message"]
    listed = ok(slow_server.post("get_kasms"))["kasms"][0]
    assert listed["client_settings"] == [] and listed["server"]["hostname"] is None
    # Poll until running: provisioning (first half), starting (second half), then running, in order.
    seen: list[tuple[str, int]] = [(body["operational_status"], body["operational_progress"])]
    deadline = time.monotonic() + START_SECONDS * 5
    while seen[-1][0] != "running" and time.monotonic() < deadline:
        time.sleep(0.1)
        answer = status(slow_server, user_id, kasm_id).json()
        if "kasm" in answer:
            seen.append((answer["kasm"]["operational_status"], answer["kasm"]["operational_progress"]))
        else:
            assert answer["error_message"] == f"This session is currently {answer['operational_status']}."
            seen.append((answer["operational_status"], answer["operational_progress"]))
    order = ["provisioning", "starting", "running"]
    states = [state for state, _ in seen]
    assert states == sorted(states, key=order.index) and states[-1] == "running" and "starting" in states
    assert all(progress >= 50 for state, progress in seen if state == "starting")
    assert [p for _, p in seen] == sorted(p for _, p in seen)
    # Pausing takes time too; a paused session's status call reports only the state.
    paused_at = time.monotonic()
    ok(slow_server.post("pause_kasm", {"user_id": user_id, "kasm_id": kasm_id}))
    pausing = status(slow_server, user_id, kasm_id).json()
    assert pausing["operational_status"] == "pausing"
    assert pausing["error_message"] == "This session is currently scheduled to be paused."
    sleep_until(paused_at + START_SECONDS + 0.05)
    # The server's clock started at the call, a little after paused_at (much later on a busy machine).
    answer = status(slow_server, user_id, kasm_id).json()
    while answer["operational_status"] == "pausing" and time.monotonic() < paused_at + START_SECONDS * 5:
        time.sleep(0.1)
        answer = status(slow_server, user_id, kasm_id).json()
    assert answer == {
        "operational_status": "paused",
        "operational_progress": 100,
        "operational_message": None,
    }


def test_get_kasms_and_get_kasm(kasm_server: KasmServer) -> None:
    user_id = new_user(kasm_server, "lister@example.com")
    kasm_id = hex_id(start(kasm_server, user_id, authorised_image_id(kasm_server, user_id))["kasm_id"])
    listed = ok(kasm_server.post("get_kasms"))
    assert list(listed) == ["kasms", "current_time"]
    (entry,) = listed["kasms"]
    assert entry["kasm_id"] == kasm_id and entry["user"] == {"username": "lister@example.com"}
    assert entry["server"] == {
        "hostname": "kasm-agent.local",
        "port": 443,
        "provider": "docker",
        "zone_name": "default",
    }
    one = ok(kasm_server.post("get_kasm", {"target_kasm": {"kasm_id": kasm_id}}))
    assert one["kasm"] == {**entry, "client_settings": one["kasm"]["client_settings"]}
    assert ok(kasm_server.post("get_kasm", {"target_kasm": {"kasm_id": "2" * 32}})) == {}
    assert error(kasm_server.post("get_kasm", {})) == "Invalid Request. Missing target_kasm"
    assert (
        error(kasm_server.post("get_kasm", {"target_kasm": {"x": 1}})) == "Invalid Request. Missing kasm_id"
    )
    assert error(kasm_server.post("get_kasm", {"target_kasm": {"kasm_id": "nope"}})) == (
        "Invalid Request. Invalid kasm_id"
    )
    mine = ok(kasm_server.post("get_user_kasms", {"user_id": user_id}))
    assert [k["kasm_id"] for k in mine["kasms"]] == [kasm_id]
    assert ok(kasm_server.post("get_user_kasms", {"user_id": new_user(kasm_server)}))["kasms"] == []
    key, secret = kasm_server.create_api_key([P.USERS_VIEW])
    assert (
        error(kasm_server.post("get_kasms", {"api_key": key, "api_key_secret": secret}), 401)
        == "Unauthorized"
    )


def test_destroy_kasm(kasm_server: KasmServer) -> None:
    owner = new_user(kasm_server)
    other = new_user(kasm_server)
    kasm_id = start(kasm_server, owner, authorised_image_id(kasm_server, owner))["kasm_id"]
    key, secret = kasm_server.create_api_key(SESSION_KEY)
    creds = {"api_key": key, "api_key_secret": secret}
    assert error(kasm_server.post("destroy_kasm", {**creds, "user_id": other, "kasm_id": kasm_id})) == (
        "Unauthorized attempt to delete session"
    )
    new_group(kasm_server, users=[owner], settings={"allow_kasm_delete": "false"})
    assert error(kasm_server.post("destroy_kasm", {**creds, "user_id": owner, "kasm_id": kasm_id})) == (
        "User is not authorized to issue a delete request"
    )
    # Sessions Delete overrides both the ownership and the group setting.
    assert ok(kasm_server.post("destroy_kasm", {"user_id": other, "kasm_id": kasm_id})) == {}
    assert error(status(kasm_server, owner, kasm_id), 400) == f"Invalid kasm_id ({kasm_id})"
    assert ok(kasm_server.post("get_kasms"))["kasms"] == []
    assert error(kasm_server.post("destroy_kasm", {"user_id": owner, "kasm_id": kasm_id}), 400) == (
        f"Invalid kasm_id ({kasm_id})"
    )


def test_status_of_another_users_session(kasm_server: KasmServer) -> None:
    owner, other = new_user(kasm_server), new_user(kasm_server)
    kasm_id = start(kasm_server, owner, authorised_image_id(kasm_server, owner))["kasm_id"]
    assert error(status(kasm_server, other, kasm_id)) == "Access Denied"


def test_keepalive(kasm_server: KasmServer) -> None:
    user_id = new_user(kasm_server)
    image_id = authorised_image_id(kasm_server, user_id)
    # No session time limit for this user, so keepalives extend the session.
    new_group(
        kasm_server, users=[user_id], settings={"session_time_limit": "0", "keepalive_expiration": "7200"}
    )
    kasm_id = start(kasm_server, user_id, image_id)["kasm_id"]
    before = ok(status(kasm_server, user_id, kasm_id))["kasm"]
    time.sleep(0.01)
    assert ok(kasm_server.post("keepalive", {"kasm_id": kasm_id})) == {"usage_reached": False}
    after = ok(status(kasm_server, user_id, kasm_id))["kasm"]
    assert after["keepalive_date"] > before["keepalive_date"]
    assert after["expiration_date"] > before["expiration_date"]
    # With a time limit (the image's here) keepalive is a no-op.
    limited = new_image(kasm_server, session_time_limit=600)
    new_group(kasm_server, users=[user_id], images=[limited])
    limited_kasm = start(kasm_server, user_id, limited)["kasm_id"]
    before = ok(status(kasm_server, user_id, limited_kasm))["kasm"]
    assert ok(kasm_server.post("keepalive", {"kasm_id": limited_kasm})) == {}
    assert (
        ok(status(kasm_server, user_id, limited_kasm))["kasm"]["expiration_date"] == before["expiration_date"]
    )
    assert error(kasm_server.post("keepalive", {}), 400) == "Invalid Request: Missing required parameters"
    key, secret = kasm_server.create_api_key([P.USER])
    assert error(
        kasm_server.post("keepalive", {"kasm_id": kasm_id, "api_key": key, "api_key_secret": secret}), 401
    )


def test_exec_command_kasm(kasm_server: KasmServer) -> None:
    user_id = new_user(kasm_server)
    kasm_id = start(kasm_server, user_id, authorised_image_id(kasm_server, user_id))["kasm_id"]
    body = {"user_id": user_id, "kasm_id": kasm_id, "exec_config": {"cmd": "echo hi", "workdir": "/tmp"}}
    done = ok(kasm_server.post("exec_command_kasm", body))
    assert list(done) == ["kasm", "current_time"] and done["kasm"]["kasm_id"] == hex_id(kasm_id)
    assert error(kasm_server.post("exec_command_kasm", {**body, "exec_config": None})) == (
        "Invalid request, check paramemters"
    )
    assert error(kasm_server.post("exec_command_kasm", {**body, "user_id": new_user(kasm_server)})) == (
        "Invalid request, check paramemters"
    )
    ok(kasm_server.post("stop_kasm", {"user_id": user_id, "kasm_id": kasm_id}))
    assert error(kasm_server.post("exec_command_kasm", body)) == "Kasm is not running or is not responding"


def test_stop_pause_resume(kasm_server: KasmServer) -> None:
    user_id = new_user(kasm_server)
    kasm_id = start(kasm_server, user_id, authorised_image_id(kasm_server, user_id))["kasm_id"]
    ids = {"user_id": user_id, "kasm_id": kasm_id}
    key, secret = kasm_server.create_api_key(SESSION_KEY)
    user_key = {**ids, "api_key": key, "api_key_secret": secret}
    # allow_kasm_stop / allow_kasm_pause are off by default; Sessions Modify overrides them.
    assert error(kasm_server.post("stop_kasm", user_key)) == "User is not authorized to issue a stop request"
    assert (
        error(kasm_server.post("pause_kasm", user_key)) == "User is not authorized to issue a pause request"
    )
    assert error(kasm_server.post("resume_kasm", user_key)) == (
        f"Session ({hex_id(kasm_id)}) is in status (running) and cannot be resumed"
    )
    ok(kasm_server.post("pause_kasm", ids))
    assert status(kasm_server, user_id, kasm_id).json()["operational_status"] == "paused"
    assert error(kasm_server.post("pause_kasm", ids)) == "Session is not in a valid state to be paused"
    ok(kasm_server.post("stop_kasm", ids))
    assert status(kasm_server, user_id, kasm_id).json()["operational_status"] == "stopped"
    assert error(kasm_server.post("stop_kasm", ids)) == "Session is not in a valid state to be stopped"
    ok(kasm_server.post("resume_kasm", user_key))
    assert ok(status(kasm_server, user_id, kasm_id))["kasm"]["operational_status"] == "running"
    new_group(kasm_server, users=[user_id], settings={"allow_kasm_stop": "true"})
    ok(kasm_server.post("stop_kasm", user_key))
    other_key = {**user_key, "user_id": new_user(kasm_server)}
    assert error(kasm_server.post("resume_kasm", other_key)) == "Unauthorized attempt to resume session"


def test_screenshot_is_a_jpeg_with_swapped_dimensions(kasm_server: KasmServer) -> None:
    user_id = new_user(kasm_server)
    kasm_id = start(kasm_server, user_id, authorised_image_id(kasm_server, user_id))["kasm_id"]
    response = kasm_server.post(
        "get_kasm_screenshot", {"user_id": user_id, "kasm_id": kasm_id, "width": 200, "height": 120}
    )
    assert response.status_code == 200 and response.headers["content-type"] == "image/jpeg"
    picture = PILImage.open(io.BytesIO(response.content))
    # Kasm 1.15 passes width as the height and height as the width.
    assert (picture.format, picture.size) == ("JPEG", (120, 200))
    default = kasm_server.post("get_kasm_screenshot", {"user_id": user_id, "kasm_id": kasm_id})
    assert PILImage.open(io.BytesIO(default.content)).size == (300, 300)
    other = kasm_server.post("get_kasm_screenshot", {"user_id": new_user(kasm_server), "kasm_id": kasm_id})
    assert other.status_code == 404
    assert kasm_server.post("get_kasm_screenshot", {"user_id": user_id}).status_code == 400


def test_frame_and_bottleneck_stats(kasm_server: KasmServer) -> None:
    user_id = new_user(kasm_server)
    kasm_id = start(kasm_server, user_id, authorised_image_id(kasm_server, user_id))["kasm_id"]
    ids = {"user_id": user_id, "kasm_id": kasm_id}
    stats = ok(kasm_server.post("get_kasm_frame_stats", ids))
    assert (stats["frame"]["resx"], stats["frame"]["resy"]) == (800, 600)
    assert stats["clients"][0]["processes"] and "tightjpegencoder" in stats
    assert ok(kasm_server.post("get_kasm_frame_stats", {**ids, "client": "none"}))["clients"] == []
    bottleneck = ok(kasm_server.post("get_kasm_bottleneck_stats", ids))
    assert list(bottleneck) == ["kasm_user"] and all(
        isinstance(v, float) for values in bottleneck["kasm_user"].values() for v in values
    )
    ok(kasm_server.post("pause_kasm", ids))
    assert error(kasm_server.post("get_kasm_frame_stats", ids)) == f"Kasm ({hex_id(kasm_id)}) is not running"


def test_sharing(kasm_server: KasmServer) -> None:
    owner = new_user(kasm_server, "owner@example.com")
    viewer = new_user(kasm_server, "viewer@example.com")
    image_id = authorised_image_id(kasm_server, owner)
    # Sharing is off by default: the session starts, with a warning.
    started = kasm_server.post(
        "request_kasm", {"user_id": owner, "image_id": image_id, "enable_sharing": True}
    ).json()
    assert started["error_message"] == "Failed to create Share ID" and started["kasm_id"]
    ids = {"user_id": owner, "kasm_id": started["kasm_id"]}
    assert (
        error(kasm_server.post("create_kasm_share_id", ids))
        == "Sharing is not allowed for this (owner@example.com)"
    )
    new_group(kasm_server, users=[owner], settings={"allow_kasm_sharing": "true"})
    share_id = ok(kasm_server.post("create_kasm_share_id", ids))["share_id"]
    assert re.fullmatch(r"[0-9a-f]{8}", share_id)
    assert (
        error(kasm_server.post("create_kasm_share_id", ids))
        == f"A share_id already exists for Kasm ({share_id})"
    )
    assert ok(kasm_server.post("get_kasm_share_id", ids)) == {"share_id": share_id}
    joined = ok(kasm_server.post("join_kasm", {"user_id": viewer, "share_id": share_id}))
    assert (joined["user_id"], joined["username"]) == (viewer, "viewer@example.com")
    assert joined["kasm_url"] == f"/#/connect/join/{share_id}/{viewer}/{joined['session_token']}"
    assert joined["kasm"]["user"] == {"username": "owner@example.com"}
    assert set(joined["kasm"]["port_map"]) == {"vnc", "audio", "gamepad"}
    permissions = ok(
        kasm_server.post(
            "get_session_permissions", {"target_session_permissions": {"kasm_id": started["kasm_id"]}}
        )
    )["session_permissions"]
    assert [(p["user_id"], p["access"]) for p in permissions] == [(viewer, "r")]
    assert (
        error(kasm_server.post("join_kasm", {"user_id": viewer})) == "Missing Parameters: share_id is missing"
    )
    assert error(kasm_server.post("join_kasm", {"user_id": viewer, "share_id": "ffffffff"})) == (
        "No Kasm found with share_id (ffffffff)"
    )
    assert ok(kasm_server.post("delete_kasm_share_id", ids)) == {}
    assert ok(kasm_server.post("get_kasm_share_id", ids)) == {"share_id": None}
    # With sharing allowed, request_kasm hands out a share id straight away.
    shared = start(kasm_server, owner, image_id, enable_sharing=True)
    assert re.fullmatch(r"[0-9a-f]{8}", shared["share_id"])


def test_deleting_a_user_or_image_with_sessions(kasm_server: KasmServer) -> None:
    user_id = new_user(kasm_server)
    image_id = new_image(kasm_server)
    new_group(kasm_server, users=[user_id], images=[image_id])
    kasm_id = start(kasm_server, user_id, image_id)["kasm_id"]
    # As Kasm: an image in use cannot be deleted; a user needs `force`, which removes the sessions.
    assert "cannot be deleted" in error(
        kasm_server.post("delete_image", {"target_image": {"image_id": image_id}})
    )
    assert "'force' option not set" in error(
        kasm_server.post("delete_user", {"target_user": {"user_id": user_id}}), 400
    )
    ok(kasm_server.post("delete_user", {"target_user": {"user_id": user_id}, "force": True}))
    assert ok(kasm_server.post("get_kasm", {"target_kasm": {"kasm_id": kasm_id}})) == {}
    ok(kasm_server.post("delete_image", {"target_image": {"image_id": image_id}}))


def test_rdp_connection_info_and_recordings(kasm_server: KasmServer) -> None:
    user_id = new_user(kasm_server, "rdp@example.com")
    kasm_id = start(kasm_server, user_id, authorised_image_id(kasm_server, user_id))["kasm_id"]
    ids = {"user_id": user_id, "kasm_id": kasm_id}
    rdp_file = ok(kasm_server.post("get_rdp_client_connection_info", ids))["file"]
    assert "full address:s:127.0.0.1:443" in rdp_file and "username:s:rdp@example.com" in rdp_file
    url = ok(kasm_server.post("get_rdp_client_connection_info", {**ids, "connection_type": "url"}))["url"]
    assert url.startswith("rdp://")
    assert error(
        kasm_server.post("get_rdp_client_connection_info", {**ids, "connection_type": "x"})
    ).startswith("Invalid Request")
    recordings = ok(kasm_server.post("get_session_recordings", {"target_kasm_id": kasm_id}))
    assert recordings == {"session_recordings": [], "items": 0, "page": 1, "per_page": 5, "total_duration": 0}
    assert (
        error(kasm_server.post("get_session_recordings", {"target_kasm_id": "3" * 32}), 400)
        == "Invalid Kasm ID"
    )
    assert (
        error(kasm_server.post("get_session_recordings", {}), 400)
        == "Invalid Request. Missing required parameters"
    )
    many = ok(kasm_server.post("get_sessions_recordings", {"target_kasm_ids": [kasm_id]}))
    assert many == {"kasm_sessions": {kasm_id: {"session_recordings": []}}}


def test_seeded_images_are_authorised_for_no_group(kasm_server: KasmServer) -> None:
    """As on a real Kasm, no group (not even All Users) is authorised for the seeded images: a new user
    cannot launch one until an admin authorises it for one of the user's groups, and only through that
    membership."""
    user_id = new_user(kasm_server)
    image_id = seeded_image_id(kasm_server)
    for group in ok(kasm_server.post("get_groups"))["groups"]:
        assert ok(
            kasm_server.post("get_images_group", {"target_group": {"group_id": group["group_id"]}})
        ) == {"images": []}, group["name"]
    launch = {"user_id": user_id, "image_id": image_id}
    assert error(kasm_server.post("request_kasm", launch)) == "Image Not Authorized"
    # Authorising it for All Users (which every user joins) makes it launchable ...
    all_users = {"group_id": ALL_USERS_GROUP_ID}
    ok(
        kasm_server.post(
            "add_images_group", {"target_group": all_users, "target_image": {"image_id": image_id}}
        )
    )
    ok(
        kasm_server.post(
            "destroy_kasm", {"user_id": user_id, "kasm_id": start(kasm_server, **launch)["kasm_id"]}
        )
    )
    # ... through the membership only.
    ok(
        kasm_server.post(
            "remove_user_group", {"target_user": {"user_id": user_id}, "target_group": all_users}
        )
    )
    assert error(kasm_server.post("request_kasm", launch)) == "Image Not Authorized"
