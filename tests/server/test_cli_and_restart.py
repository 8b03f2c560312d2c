"""The `server` command (generated key printed once, Ctrl-C stops cleanly) and restarts on one database."""

from __future__ import annotations

import os
import signal
import ssl
import subprocess
import sys
from pathlib import Path
from typing import IO

import httpx
import pytest

from terraform_provider_kasm.server.app import create_app
from terraform_provider_kasm.server.cli import main
from terraform_provider_kasm.server.settings import ServerSettings


def _start(db_url: str, *extra: str) -> tuple[subprocess.Popen[str], dict[str, str]]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "terraform_provider_kasm.server",
            "--db",
            db_url,
            "--port",
            "0",
            "--log-level",
            "warning",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    info: dict[str, str] = {}
    stdout: IO[str] | None = process.stdout
    assert stdout is not None
    while "API key secret" not in info:
        line = stdout.readline()
        if not line:
            raise AssertionError(
                f"server exited early: {process.wait()} {process.stderr.read() if process.stderr else ''}"
            )
        label, _, value = line.partition(": ")
        info[label.strip()] = value.strip()
    return process, info


def _stop(process: subprocess.Popen[str]) -> int:
    process.send_signal(signal.SIGINT)
    return process.wait(timeout=20)


def test_cli_generates_a_key_once_and_keeps_data(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    process, info = _start(db_url)
    try:
        base_url = info["Local Kasm API server"]
        assert base_url.startswith("http://127.0.0.1:")
        key, secret = info["API key"], info["API key secret"].split()[0]
        assert len(key) == 12 and len(secret) == 32
        auth = {"api_key": key, "api_key_secret": secret}
        created = httpx.post(
            f"{base_url}/api/public/create_group",
            json={**auth, "target_group": {"name": "Kept", "priority": 9}},
        )
        assert created.status_code == 200 and "group" in created.json()
        assert httpx.get(f"{base_url}/openapi.json").json()["paths"]["/api/public/create_group"]["post"][
            "requestBody"
        ]
    finally:
        assert _stop(process) == 0
    process, info = _start(db_url)
    try:
        assert info["API key"] == key
        assert secret not in info["API key secret"]  # printed only when just generated
        groups = httpx.post(f"{info['Local Kasm API server']}/api/public/get_groups", json=auth).json()[
            "groups"
        ]
        assert "Kept" in [g["name"] for g in groups]
    finally:
        assert _stop(process) == 0


def test_cli_reset_api_key_prints_a_new_secret_for_the_same_database(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'reset.sqlite3'}"
    process, info = _start(db_url)
    try:
        base_url = info["Local Kasm API server"]
        key, lost = info["API key"], info["API key secret"].split()[0]
        httpx.post(
            f"{base_url}/api/public/create_group",
            json={"api_key": key, "api_key_secret": lost, "target_group": {"name": "Kept", "priority": 9}},
        ).raise_for_status()
    finally:
        assert _stop(process) == 0
    process, info = _start(db_url, "--reset-api-key")
    try:
        base_url = info["Local Kasm API server"]
        fresh = info["API key secret"].split()[0]
        assert info["API key"] == key and len(fresh) == 32 and fresh != lost
        old = httpx.post(f"{base_url}/api/public/get_groups", json={"api_key": key, "api_key_secret": lost})
        assert "error_message" in old.json()
        groups = httpx.post(
            f"{base_url}/api/public/get_groups", json={"api_key": key, "api_key_secret": fresh}
        ).json()["groups"]
        assert "Kept" in [g["name"] for g in groups]
    finally:
        assert _stop(process) == 0


def test_cli_with_given_key_and_tls(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'tls.sqlite3'}"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "terraform_provider_kasm.server",
            "--db",
            db_url,
            "--port",
            "0",
            "--api-key",
            "givenkey1234",
            "--api-secret",
            "given-secret",
            "--tls-self-signed",
            "--fault",
            "get_users=503,times=1",
            "--log-level",
            "warning",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(4)]
        info = {line.partition(": ")[0]: line.partition(": ")[2].strip() for line in lines}
        base_url = info["Local Kasm API server"]
        assert base_url.startswith("https://127.0.0.1:")
        assert info["API key"] == "givenkey1234" and "API key secret" not in info
        cert = info["TLS certificate (self-signed, trust it for this run)"]
        auth = {"api_key": "givenkey1234", "api_key_secret": "given-secret"}
        with httpx.Client(verify=ssl.create_default_context(cafile=cert)) as client:
            assert client.post(f"{base_url}/api/public/get_users", json=auth).status_code == 503
            assert client.post(f"{base_url}/api/public/get_users", json=auth).status_code == 200
    finally:
        assert _stop(process) == 0


def test_cli_rejects_bad_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    for argv, message in (
        (["--api-key", "only"], "--api-key and --api-secret go together"),
        (["--fault", "get_images=teapot"], "KIND must be an HTTP status"),
        (["--reset-api-key", "--api-key", "k", "--api-secret", "s"], "--reset-api-key replaces"),
    ):
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == 2
        assert message in capsys.readouterr().err


def test_cli_database_errors_and_paths(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", "nosuch://host/db", "--port", "0"]) == 1
    assert "error: cannot start on nosuch://host/db" in capsys.readouterr().err
    from terraform_provider_kasm.server.cli import _database_url

    assert _database_url(str(tmp_path / "k.db")) == f"sqlite:///{tmp_path / 'k.db'}"
    assert _database_url("postgresql://u@h/db") == "postgresql://u@h/db"


def test_restart_on_the_same_database_keeps_everything(kasm_settings: ServerSettings) -> None:
    import asyncio

    auth = {"api_key": kasm_settings.api_key, "api_key_secret": kasm_settings.api_secret}

    async def post(app: object, name: str, body: dict[str, object]) -> httpx.Response:
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://kasm") as client:
            return await client.post(f"/api/public/{name}", json={**auth, **body})

    app = create_app(kasm_settings)
    user = asyncio.run(post(app, "create_user", {"target_user": {"username": "persist@example.com"}})).json()[
        "user"
    ]
    image = asyncio.run(
        post(app, "create_image", {"target_image": {"name": "p/q:1", "friendly_name": "P"}})
    ).json()
    images_before = asyncio.run(post(app, "get_images", {})).json()
    app.state.kasm.db.dispose()

    again = create_app(kasm_settings)
    assert asyncio.run(post(again, "get_user", {"target_user": {"user_id": user["user_id"]}})).json()[
        "user"
    ] == {
        **asyncio.run(post(again, "get_user", {"target_user": {"user_id": user["user_id"]}})).json()["user"]
    }
    assert asyncio.run(post(again, "get_images", {})).json() == images_before
    assert image["image"]["image_id"] in {i["image_id"] for i in images_before["images"]}
    # The catalogue is seeded once: no duplicate built-in images or groups.
    groups = asyncio.run(post(again, "get_groups", {})).json()["groups"]
    assert [g["name"] for g in groups].count("All Users") == 1
    again.state.kasm.db.dispose()
