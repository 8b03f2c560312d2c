"""Fault injection, latency and call counting."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from terraform_provider_kasm.server.app import create_app
from terraform_provider_kasm.server.faults import Faults, FaultSpec
from terraform_provider_kasm.server.settings import ServerSettings

from ..fixtures.kasm_server import KasmServer


def test_fault_spec_parsing() -> None:
    spec = FaultSpec.parse("get_images=429,times=2,retry_after=3")
    assert (spec.call, spec.kind, spec.times, spec.retry_after) == ("get_images", "429", 2, 3.0)
    assert FaultSpec.parse("create_user=reset_after").kind == "reset_after"
    assert FaultSpec.parse("*=delay,ms=5").ms == 5
    for bad in (
        "get_images",
        "get_images=teapot",
        "get_images=200",
        "x=503,times=two",
        "x=delay",
        "x=delay_after",
        "x=503,bogus=1",
    ):
        with pytest.raises(ValueError):
            FaultSpec.parse(bad)


def test_status_fault_for_n_calls_then_normal(kasm_server: KasmServer) -> None:
    kasm_server.faults.add("get_images=503,times=2")
    assert [kasm_server.post("get_images").status_code for _ in range(3)] == [503, 503, 200]
    # Other calls are not affected.
    kasm_server.faults.add("get_users=500")
    assert kasm_server.post("get_images").status_code == 200
    assert kasm_server.post("get_users").status_code == 500
    assert kasm_server.post("get_users").status_code == 500  # no `times`: lasts until cleared
    kasm_server.faults.clear()
    assert kasm_server.post("get_users").status_code == 200


def test_retry_after_and_html(kasm_server: KasmServer) -> None:
    kasm_server.faults.add("get_images=429,times=1,retry_after=2")
    response = kasm_server.post("get_images")
    assert response.status_code == 429 and response.headers["retry-after"] == "2"
    kasm_server.faults.add("get_images=html,times=1")
    response = kasm_server.post("get_images")
    assert response.status_code == 502 and response.headers["content-type"].startswith("text/html")
    assert "<title>502 Bad Gateway</title>" in response.text


def test_reset_drops_the_connection_before_the_call(kasm_server: KasmServer) -> None:
    kasm_server.faults.add("create_group=reset,times=1")
    with pytest.raises(httpx.TransportError):
        kasm_server.post("create_group", {"target_group": {"name": "Reset", "priority": 5}})
    names = [g["name"] for g in kasm_server.post("get_groups").json()["groups"]]
    assert "Reset" not in names


def test_reset_after_commits_then_drops(kasm_server: KasmServer) -> None:
    kasm_server.faults.add("create_group=reset_after,times=1")
    with pytest.raises(httpx.TransportError):
        kasm_server.post("create_group", {"target_group": {"name": "Committed", "priority": 5}})
    names = [g["name"] for g in kasm_server.post("get_groups").json()["groups"]]
    assert "Committed" in names
    # A retry of the same create now meets Kasm's duplicate check.
    retry = kasm_server.post("create_group", {"target_group": {"name": "Committed", "priority": 5}})
    assert retry.json() == {"error_message": "Group (Committed) already exists"}


def test_delay_after_commits_before_the_held_answer(kasm_server: KasmServer) -> None:
    kasm_server.faults.add("create_group=delay_after,ms=2000,times=1")
    with pytest.raises(httpx.ReadTimeout):
        # The client gives up (as a killed plugin would) while the answer is held.
        kasm_server._http.post(
            "/api/public/create_group",
            json={
                "api_key": kasm_server.api_key,
                "api_key_secret": kasm_server.api_secret,
                "target_group": {"name": "Made", "priority": 5},
            },
            timeout=0.5,
        )
    names = [g["name"] for g in kasm_server.post("get_groups").json()["groups"]]
    assert "Made" in names
    started = time.monotonic()
    assert kasm_server.post("get_groups").status_code == 200  # times=1: the next answer is prompt
    assert time.monotonic() - started < 1.0


def test_delay_and_latency(kasm_settings: ServerSettings) -> None:
    kasm_settings.latency_ms = 50
    kasm_settings.faults = ["get_images=delay,ms=150,times=1"]
    app = create_app(kasm_settings)
    import asyncio

    async def timed() -> list[float]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://kasm") as client:
            durations = []
            for _ in range(2):
                start = time.monotonic()
                response = await client.post(
                    "/api/public/get_images",
                    json={"api_key": kasm_settings.api_key, "api_key_secret": kasm_settings.api_secret},
                )
                assert response.status_code == 200
                durations.append(time.monotonic() - start)
            return durations

    first, second = asyncio.run(timed())
    assert first >= 0.2 and 0.05 <= second < first
    app.state.kasm.db.dispose()


def test_in_process_reset_raises(kasm_app: Any) -> None:
    import asyncio

    faults: Faults = kasm_app.state.faults
    faults.add("get_images=reset,times=1")

    async def call() -> None:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=kasm_app), base_url="http://kasm"
        ) as client:
            await client.post("/api/public/get_images", json={})

    with pytest.raises(ConnectionResetError):
        asyncio.run(call())


def test_call_counts(kasm_server: KasmServer) -> None:
    kasm_server.reset_call_counts()
    kasm_server.faults.add("get_users=503,times=1")
    for _ in range(3):
        kasm_server.post("get_images")
    kasm_server.post("get_users")  # faulted calls count too: the client made them
    httpx.post(f"{kasm_server.base_url}/api/admin/get_users", json={})
    assert kasm_server.call_counts() == {"get_images": 3, "get_users": 2}
    response = httpx.get(f"{kasm_server.base_url}/_local/calls")
    assert response.json() == {"calls": {"get_images": 3, "get_users": 2}}
    kasm_server.reset_call_counts()
    assert kasm_server.call_counts() == {}


def test_faults_from_settings(kasm_settings: ServerSettings) -> None:
    kasm_settings.faults = ["get_images=503,times=1"]
    app = create_app(kasm_settings)
    assert [f.call for f in app.state.faults.active()] == ["get_images"]
    app.state.kasm.db.dispose()
