"""Helpers shared by the sessions-area tests (users, images, groups with settings, sessions)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from terraform_provider_kasm.server.permissions import Permission as P

from ..fixtures.kasm_server import KasmServer

# What a key needs to start sessions for users: User, Users Auth Session.
SESSION_KEY: list[int] = [P.USER, P.USERS_AUTH_SESSION]


def ok(response: Any) -> dict[str, Any]:
    """The JSON body of a success (HTTP 200, no error_message)."""
    body: dict[str, Any] = response.json()
    assert response.status_code == 200 and "error_message" not in body, (response.status_code, body)
    return body


def error(response: Any, status: int = 200) -> str:
    body = response.json()
    assert response.status_code == status and list(body) == ["error_message"], (response.status_code, body)
    message: str = body["error_message"]
    return message


def new_user(server: KasmServer, username: str | None = None) -> str:
    username = username or f"user-{secrets.token_hex(4)}@example.com"
    user = ok(server.post("create_user", {"target_user": {"username": username, "password": "Pa55word!"}}))
    user_id: str = user["user"]["user_id"]
    return user_id


def seeded_image_id(server: KasmServer) -> str:
    """A seeded image (enabled, pulled), authorised for no group: as on a real Kasm, nobody can launch it
    until an admin authorises it for one of the user's groups (see `authorised_image_id`)."""
    images = ok(server.post("get_images"))["images"]
    image_id: str = next(i for i in images if i["friendly_name"] == "Terminal")["image_id"]
    return image_id


def authorised_image_id(server: KasmServer, *users: str) -> str:
    """The seeded image of `seeded_image_id`, made launchable by `users` the way a Kasm admin does it: a
    dedicated group (no settings of its own) holding them, authorised for the image (add_images_group)."""
    image_id = seeded_image_id(server)
    new_group(server, users=users, images=[image_id])
    return image_id


def new_image(server: KasmServer, **fields: Any) -> str:
    spec = {"name": "kasmweb/terminal:1.16.0", "friendly_name": f"img-{secrets.token_hex(3)}", **fields}
    image_id: str = ok(server.post("create_image", {"target_image": spec}))["image"]["image_id"]
    return image_id


def setting_ids(server: KasmServer) -> dict[str, str]:
    defaults = ok(server.post("get_settings_group", {"target_group": {}}))["settings"]
    return {s["name"]: s["group_setting_id"] for s in defaults}


def new_group(
    server: KasmServer,
    *,
    users: Sequence[str] = (),
    images: Sequence[str] = (),
    settings: dict[str, str] | None = None,
    priority: int = 10,
) -> str:
    """A group holding `users`, authorised for `images`, with these group settings."""
    name = f"group-{secrets.token_hex(4)}"
    group = ok(server.post("create_group", {"target_group": {"name": name, "priority": priority}}))["group"]
    target = {"group_id": group["group_id"]}
    for user_id in users:
        ok(server.post("add_user_group", {"target_user": {"user_id": user_id}, "target_group": target}))
    for image_id in images:
        ok(server.post("add_images_group", {"target_group": target, "target_image": {"image_id": image_id}}))
    ids = setting_ids(server) if settings else {}
    for setting, value in (settings or {}).items():
        ok(
            server.post(
                "add_settings_group",
                {
                    "target_group": target,
                    "target_setting": {"group_setting_id": ids[setting], "value": value},
                },
            )
        )
    group_id: str = group["group_id"]
    return group_id


def start(server: KasmServer, user_id: str, image_id: str, **fields: Any) -> dict[str, Any]:
    return ok(server.post("request_kasm", {"user_id": user_id, "image_id": image_id, **fields}))


def status(server: KasmServer, user_id: str, kasm_id: str) -> Any:
    return server.post("get_kasm_status", {"user_id": user_id, "kasm_id": kasm_id})
