"""Kasm 1.15's authentication / authorisation outcome matrix (reference §1.4), in order."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from terraform_provider_kasm.server.permissions import Permission as P
from terraform_provider_kasm.server.permissions import is_authorized
from terraform_provider_kasm.server.storage.tables import ApiConfig, utcnow

from ..fixtures.kasm_server import KasmServer


def post(server: KasmServer, name: str, body: dict[str, object], key: str, secret: str) -> httpx.Response:
    return httpx.post(
        f"{server.base_url}/api/public/{name}", json={"api_key": key, "api_key_secret": secret, **body}
    )


def test_missing_credentials_is_invalid_request(kasm_server: KasmServer) -> None:
    for body in (
        {},
        {"api_key": kasm_server.api_key},
        {"api_key_secret": "x"},
        {"api_key": "", "api_key_secret": ""},
    ):
        response = kasm_server.post("get_images", body, auth=False)
        assert (response.status_code, response.json()) == (400, {"error_message": "Invalid Request"})


def test_unknown_key_wrong_secret_and_disabled_key_are_access_denied(kasm_server: KasmServer) -> None:
    disabled = kasm_server.create_api_key([P.GLOBAL_ADMIN], enabled=False)
    for key, secret in (("nosuchkey123", "x" * 32), (kasm_server.api_key, "wrong"), disabled):
        response = post(kasm_server, "get_images", {}, key, secret)
        assert (response.status_code, response.json()) == (403, {"error_message": "Access Denied"})


def test_expired_key(kasm_server: KasmServer) -> None:
    key, secret = kasm_server.create_api_key([P.GLOBAL_ADMIN], expires=utcnow() - timedelta(minutes=1))
    response = post(kasm_server, "get_images", {}, key, secret)
    assert (response.status_code, response.json()) == (401, {"error_message": "Access has expired"})
    key, secret = kasm_server.create_api_key([P.GLOBAL_ADMIN], expires=utcnow() + timedelta(days=1))
    assert post(kasm_server, "get_images", {}, key, secret).status_code == 200


def test_read_only_keys(kasm_server: KasmServer) -> None:
    key, secret = kasm_server.create_api_key([P.GLOBAL_ADMIN, P.USERS_AUTH_SESSION], read_only=True)
    assert post(kasm_server, "get_images", {}, key, secret).status_code == 200
    response = post(kasm_server, "create_image", {"target_image": {"name": "x"}}, key, secret)
    assert (response.status_code, response.json()) == (401, {"error_message": "Unauthorized"})
    # The read-only check comes before user_id impersonation.
    response = post(kasm_server, "create_group", {"user_id": "nobody"}, key, secret)
    assert (response.status_code, response.json()) == (401, {"error_message": "Unauthorized"})
    # Kasm 1.15's quirk: add_user_group is flagged read-only, so a read-only key passes the gate.
    response = post(kasm_server, "add_user_group", {"target_user": {}, "target_group": {}}, key, secret)
    assert response.json() == {"error_message": "Invalid Request: Missing required parameters"}


def test_impersonation_needs_users_auth_session(kasm_server: KasmServer) -> None:
    key, secret = kasm_server.create_api_key([P.IMAGES_VIEW], name="limited")
    response = post(kasm_server, "get_images", {"user_id": "abc"}, key, secret)
    assert response.status_code == 401
    assert response.json() == {"error_message": "API Key (limited) is not authorized to impersonate a user."}
    # Global Admin covers Users Auth Session (an action >= 200).
    key, secret = kasm_server.create_api_key([P.GLOBAL_ADMIN])
    response = post(kasm_server, "get_images", {"user_id": "abc"}, key, secret)
    assert (response.status_code, response.json()) == (400, {"error_message": "Invalid user_id (abc)"})


def test_unknown_user_id_and_kasm_id(kasm_server: KasmServer) -> None:
    missing = "0" * 32
    response = kasm_server.post("get_images", {"user_id": missing})
    assert (response.status_code, response.json()) == (400, {"error_message": f"Invalid user_id ({missing})"})
    response = kasm_server.post("get_images", {"kasm_id": "nope"})
    assert (response.status_code, response.json()) == (400, {"error_message": "Invalid kasm_id (nope)"})
    admin = kasm_server.post("get_user", {"target_user": {"username": "admin@kasm.local"}}).json()["user"]
    assert kasm_server.post("get_images", {"user_id": admin["user_id"]}).status_code == 200


def test_missing_permission_is_unauthorized(kasm_server: KasmServer) -> None:
    key, secret = kasm_server.create_api_key([P.USERS_VIEW])
    response = post(kasm_server, "get_images", {}, key, secret)
    assert (response.status_code, response.json()) == (401, {"error_message": "Unauthorized"})
    assert post(kasm_server, "get_users", {}, key, secret).status_code == 200
    # update_image accepts either of its two permissions.
    key, secret = kasm_server.create_api_key([P.IMAGES_MODIFY_RESOURCES])
    response = post(kasm_server, "update_image", {"target_image": {}}, key, secret)
    assert response.json() == {"error_message": "Invalid Request: Missing required parameters"}


def test_global_admin_grants_everything_but_user() -> None:
    held = {int(P.GLOBAL_ADMIN)}
    assert is_authorized(held, P.USERS_AUTH_SESSION)
    assert is_authorized(held, P.IMAGES_DELETE)
    assert not is_authorized(held, P.USER)
    assert is_authorized({int(P.USER)}, P.USER)
    assert not is_authorized({int(P.USERS_VIEW)}, P.USERS_MODIFY)


def test_headers_win_over_body(kasm_server: KasmServer) -> None:
    url = f"{kasm_server.base_url}/api/public/get_images"
    good = {"api-key": kasm_server.api_key, "api-key-secret": kasm_server.api_secret}
    response = httpx.post(url, json={"api_key": "bad", "api_key_secret": "bad"}, headers=good)
    assert response.status_code == 200
    response = httpx.post(
        url,
        json={"api_key": kasm_server.api_key, "api_key_secret": kasm_server.api_secret},
        headers={"api-key": "bad", "api-key-secret": "bad"},
    )
    assert response.status_code == 403
    # Headers alone are enough.
    assert httpx.post(url, json={}, headers=good).status_code == 200


def test_admin_alias(kasm_server: KasmServer) -> None:
    response = httpx.post(
        f"{kasm_server.base_url}/api/admin/get_images",
        json={"api_key": kasm_server.api_key, "api_key_secret": kasm_server.api_secret},
    )
    assert response.status_code == 200 and "images" in response.json()


@pytest.mark.parametrize(
    ("content", "content_type", "status", "text"),
    [
        (b'{"api_key": "x"}', "text/plain", 415, "An error has occurred 415 - see logs for details"),
        (b"{not json", "application/json", 400, "An error has occurred 400 - see logs for details"),
        (b"", "application/json", 500, "An unhandled exception occurred"),
        (b"[1, 2]", "application/json", 500, "An unhandled exception occurred"),
    ],
)
def test_bodies_kasm_cannot_read(
    kasm_server: KasmServer, content: bytes, content_type: str, status: int, text: str
) -> None:
    response = httpx.post(
        f"{kasm_server.base_url}/api/public/get_images",
        content=content,
        headers={"content-type": content_type},
    )
    assert response.status_code == status
    assert text in response.text


def test_unknown_endpoint_and_get(kasm_server: KasmServer) -> None:
    response = httpx.post(f"{kasm_server.base_url}/api/public/get_image", json={})
    assert (response.status_code, response.text) == (404, "An error has occurred 404 - see logs for details")
    response = httpx.get(f"{kasm_server.base_url}/api/public/get_images")
    assert response.status_code == 500 and "An unhandled exception occurred" in response.text


def test_secrets_are_stored_hashed(kasm_server: KasmServer) -> None:
    with kasm_server.app.state.kasm.db.session(write=False) as db:
        rows = db.query(ApiConfig).all()
    assert rows
    for row in rows:
        assert kasm_server.api_secret not in (row.api_key_secret_hash, row.salt)
        assert len(row.api_key_secret_hash) == 64
