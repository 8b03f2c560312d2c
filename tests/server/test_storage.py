"""Storage: the migrations match the tables, and concurrent writers on SQLite all succeed."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from terraform_provider_kasm.server.storage.db import Database
from terraform_provider_kasm.server.storage.tables import Base

from ..fixtures.kasm_server import KasmServer


def test_migrations_build_exactly_the_tables(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    database.migrate()
    database.migrate()  # idempotent
    with database.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    database.dispose()
    assert differences == []


def test_concurrent_writes_all_succeed(kasm_server: KasmServer) -> None:
    auth = {"api_key": kasm_server.api_key, "api_key_secret": kasm_server.api_secret}

    def work(i: int) -> list[int]:
        statuses = []
        with httpx.Client(base_url=kasm_server.base_url, timeout=60) as client:
            user = client.post(
                "/api/public/create_user", json={**auth, "target_user": {"username": f"c{i}@example.com"}}
            )
            statuses.append(user.status_code)
            group = client.post(
                "/api/public/create_group",
                json={**auth, "target_group": {"name": f"C{i}", "priority": i + 1}},
            )
            statuses.append(group.status_code)
            add = client.post(
                "/api/public/add_user_group",
                json={**auth, "target_user": user.json()["user"], "target_group": group.json()["group"]},
            )
            statuses.append(add.status_code)
            assert add.json() == {}
            statuses.append(client.post("/api/public/get_users", json=auth).status_code)
        return statuses

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(24)))
    assert all(status == 200 for statuses in results for status in statuses)
    users = kasm_server.post("get_users").json()
    assert users["total"] == 25


def test_same_username_raced_is_created_once(kasm_server: KasmServer) -> None:
    auth = {"api_key": kasm_server.api_key, "api_key_secret": kasm_server.api_secret}

    def create(_: int) -> httpx.Response:
        return httpx.post(
            f"{kasm_server.base_url}/api/public/create_user",
            json={**auth, "target_user": {"username": "race@example.com"}},
            timeout=60,
        )

    with ThreadPoolExecutor(max_workers=6) as pool:
        responses = list(pool.map(create, range(6)))
    created = [r for r in responses if "user" in r.json()]
    assert len(created) == 1
    for response in responses:
        if response is not created[0]:
            assert (response.status_code, response.json()) == (
                400,
                {"error_message": "Error creating user (race@example.com): (User already exists)"},
            )


def test_in_memory_sqlite_becomes_a_scratch_file() -> None:
    database = Database("sqlite://")
    scratch = Path(database.url.removeprefix("sqlite:///"))
    database.migrate()
    assert scratch.exists()
    database.dispose()
    assert not scratch.exists()
