"""Hardening (issue 11): duplicate links refused, deep or oversized bodies answered cleanly, the `/_local/`
controls behind the admin key, no redirect on a trailing slash, and a bounded shutdown."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.orm import Session

from terraform_provider_kasm.server.app import create_app
from terraform_provider_kasm.server.cli import build_parser
from terraform_provider_kasm.server.permissions import Permission as P
from terraform_provider_kasm.server.settings import ServerSettings
from terraform_provider_kasm.server.storage.db import migrations_path
from terraform_provider_kasm.server.storage.tables import Group, GroupImage, Image

from ..fixtures.kasm_server import KasmServer, add_api_key


def _group_and_image(server: KasmServer, name: str) -> dict[str, Any]:
    group = server.post("create_group", {"target_group": {"name": name, "priority": 50}}).json()["group"]
    image = server.post("create_image", {"target_image": {"name": f"x/{name.lower()}:1"}}).json()["image"]
    return {"target_group": {"group_id": group["group_id"]}, "target_image": {"image_id": image["image_id"]}}


def _links(server: KasmServer, body: dict[str, Any]) -> list[dict[str, Any]]:
    images: list[dict[str, Any]] = server.post(
        "get_images_group", {"target_group": body["target_group"]}
    ).json()["images"]
    return images


def test_duplicate_group_image_is_refused(kasm_server: KasmServer) -> None:
    body = _group_and_image(kasm_server, "Dup")
    assert kasm_server.post("add_images_group", body).json() == {}
    again = kasm_server.post("add_images_group", body)
    image_id, group_id = body["target_image"]["image_id"], body["target_group"]["group_id"]
    assert (again.status_code, again.json()) == (
        200,
        {"error_message": f"Image ({image_id}) is already authorized for group ({group_id})"},
    )
    assert len(_links(kasm_server, body)) == 1


def _race(server: KasmServer, call: str, body: dict[str, Any], n: int = 6) -> list[httpx.Response]:
    payload = {"api_key": server.api_key, "api_key_secret": server.api_secret, **body}
    barrier = threading.Barrier(n)

    def post(_: int) -> httpx.Response:
        barrier.wait()
        return httpx.post(f"{server.base_url}/api/public/{call}", json=payload, timeout=60)

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(post, range(n)))


def test_concurrent_group_image_adds_make_one_link(kasm_server: KasmServer) -> None:
    body = _group_and_image(kasm_server, "Race")
    responses = _race(kasm_server, "add_images_group", body)
    assert [r.json() for r in responses].count({}) == 1
    errors = [r.json()["error_message"] for r in responses if r.json() != {}]
    assert len(errors) == 5 and all("is already authorized for group" in e for e in errors)
    assert all(r.status_code == 200 for r in responses)
    assert len(_links(kasm_server, body)) == 1


def test_concurrent_membership_adds_make_one_membership(kasm_server: KasmServer) -> None:
    user = kasm_server.post("create_user", {"target_user": {"username": "racer"}}).json()["user"]
    group = kasm_server.post("create_group", {"target_group": {"name": "Racers", "priority": 9}}).json()[
        "group"
    ]
    body = {"target_user": {"user_id": user["user_id"]}, "target_group": {"group_id": group["group_id"]}}
    responses = _race(kasm_server, "add_user_group", body)
    assert [r.json() for r in responses].count({}) == 1
    assert sorted(r.status_code for r in responses) == [200] + [400] * 5
    members = kasm_server.post("get_users_group", {"target_group": body["target_group"]}).json()["users"]
    assert [m["user_id"] for m in members] == [user["user_id"]]


def test_migration_keeps_one_of_each_duplicate_link(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.sqlite3'}"
    config = Config()
    config.set_main_option("script_location", str(migrations_path()))
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, "0002")
    engine = create_engine(url)
    with Session(engine) as db:  # three links of one pair, as earlier versions could store
        group, image = Group(name="G", priority=1), Image(name="x/y:1", friendly_name="x")
        db.add_all([group, image])
        db.flush()
        db.add_all(
            GroupImage(group_image_id=link, group_id=group.group_id, image_id=image.image_id)
            for link in "abc"
        )
        db.commit()
    command.upgrade(config, "head")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT group_image_id FROM group_images")).scalars().all() == ["a"]
        unique = inspect(conn).get_unique_constraints("group_images")
        assert [u["column_names"] for u in unique] == [["group_id", "image_id"]]
    engine.dispose()


def test_deeply_nested_json_is_a_clean_400(kasm_server: KasmServer) -> None:
    for depth in (1_000, 100_000):
        for document in ("[" * depth + "]" * depth, '{"a":' * depth + "1" + "}" * depth):
            response = httpx.post(
                f"{kasm_server.base_url}/api/public/get_users",
                content=document,
                headers={"content-type": "application/json"},
            )
            # Unauthenticated: no credentials; the body never parses.
            assert response.status_code == 400, (depth, response.text[:200])


def test_oversized_body_is_refused_with_413(kasm_server: KasmServer) -> None:
    limit = kasm_server.settings.max_body_bytes
    big = b'{"pad": "' + b"x" * limit + b'"}'
    response = httpx.post(
        f"{kasm_server.base_url}/api/public/get_users",
        content=big,
        headers={"content-type": "application/json"},
    )
    assert (response.status_code, response.json()) == (413, {"error_message": "Request Entity Too Large"})

    def chunks() -> Iterator[bytes]:  # no Content-Length: refused while streaming
        yield b'{"pad": "'
        for _ in range(limit // 65536 + 2):
            yield b"x" * 65536
        yield b'"}'

    streamed = httpx.post(
        f"{kasm_server.base_url}/api/public/get_users",
        content=chunks(),
        headers={"content-type": "application/json"},
    )
    assert (streamed.status_code, streamed.json()) == (413, {"error_message": "Request Entity Too Large"})
    # Just under the limit is served.
    assert "users" in kasm_server.post("get_users", {"pad": "x" * (limit - 200)}).json()


def test_local_calls_need_the_admin_key(kasm_settings: ServerSettings) -> None:
    assert build_parser().parse_args([]).open_local_calls is False  # the CLI's default
    kasm_settings.open_local_calls = False
    app = create_app(kasm_settings)
    key, secret = kasm_settings.api_key or "", kasm_settings.api_secret or ""
    viewer = add_api_key(app, [P.USERS_VIEW])
    try:
        with _Serving(app) as client:
            assert client.get("/_local/calls").status_code == 400
            assert (
                client.get("/_local/calls", headers={"api-key": key, "api-key-secret": "wrong"}).status_code
                == 403
            )
            lesser = {"api-key": viewer[0], "api-key-secret": viewer[1]}
            assert client.get("/_local/calls", headers=lesser).json() == {"error_message": "Unauthorized"}
            assert client.post("/_local/calls/reset").status_code == 400
            admin = {"api-key": key, "api-key-secret": secret}
            assert client.get("/_local/calls", headers=admin).json() == {"calls": {}}
            assert client.post("/_local/calls/reset", headers=admin).json() == {}
    finally:
        app.state.kasm.db.dispose()


class _Serving:
    """A client of `app` served by uvicorn on loopback."""

    def __init__(self, app: Any) -> None:
        from terraform_provider_kasm.server.runner import BackgroundServer

        self._server = BackgroundServer(app)

    def __enter__(self) -> httpx.Client:
        self._server.start()
        self._client = httpx.Client(base_url=self._server.base_url)
        return self._client

    def __exit__(self, *_: object) -> None:
        self._client.close()
        self._server.stop()


@pytest.mark.parametrize("prefix", ["/api/public", "/api/admin"])
def test_trailing_slash_is_served_not_redirected(kasm_server: KasmServer, prefix: str) -> None:
    auth = {"api_key": kasm_server.api_key, "api_key_secret": kasm_server.api_secret}
    response = httpx.post(f"{kasm_server.base_url}{prefix}/get_users/", json=auth, follow_redirects=False)
    assert response.status_code == 200 and "users" in response.json()
    unknown = httpx.post(f"{kasm_server.base_url}{prefix}/no_such_call/", json=auth, follow_redirects=False)
    assert unknown.status_code == 404
    assert httpx.get(f"{kasm_server.base_url}/docs/", follow_redirects=False).status_code == 404


def test_sigterm_stops_the_server_despite_pending_delays(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [
            sys.executable, "-m", "terraform_provider_kasm.server",
            "--db", f"sqlite:///{tmp_path / 'k.sqlite3'}", "--port", "0", "--log-level", "warning",
            "--api-key", "k1", "--api-secret", "s1", "--fault", "get_users=delay,ms=600000",
        ],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    assert process.stdout is not None
    base_url = process.stdout.readline().split(": ", 1)[1].strip()
    pending: list[BaseException] = []

    def hang() -> None:
        try:
            httpx.post(
                f"{base_url}/api/public/get_users", json={"api_key": "k1", "api_key_secret": "s1"}, timeout=60
            )
        except httpx.HTTPError as exc:
            pending.append(exc)

    callers = [threading.Thread(target=hang, daemon=True) for _ in range(3)]
    for caller in callers:
        caller.start()
    time.sleep(1.0)  # the calls are inside their delay
    assert all(c.is_alive() for c in callers)
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    finally:
        process.kill()
    assert time.monotonic() - started < 6
