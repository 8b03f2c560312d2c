"""Fixtures for the client tests (helpers live in tests/client/helpers.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from terraform_provider_kasm.client import KasmClient
from terraform_provider_kasm.client.asgi import SyncASGITransport

from .helpers import KEY, SECRET, FakeClock, Handler, Recorder


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def mock_client(clock: FakeClock) -> Iterator[Callable[..., tuple[KasmClient, Recorder]]]:
    """mock_client(handler, **options) -> (client, recorder) talking to an httpx.MockTransport."""
    made: list[KasmClient] = []

    def make(handler: Handler, **options: Any) -> tuple[KasmClient, Recorder]:
        recorder = Recorder(handler)
        options.setdefault("sleep", clock.sleep)
        options.setdefault("clock", clock)
        options.setdefault("jitter", lambda: 0.5)
        client = KasmClient("https://kasm.example.com", KEY, SECRET,
                            transport=httpx.MockTransport(recorder), **options)
        made.append(client)
        return client, recorder

    yield make
    for client in made:
        client.close()


@dataclass
class LocalKasm:
    """A client wired to the local Kasm-compatible server, plus the server's app (for faults)."""

    client: KasmClient
    app: Any
    mode: str

    @property
    def faults(self) -> Any:
        return self.app.state.faults

    def call_counts(self) -> dict[str, int]:
        counts: dict[str, int] = self.app.state.kasm.calls.snapshot()
        return counts


@pytest.fixture(params=["in_process", "socket"])
def local_kasm(request: pytest.FixtureRequest, kasm_settings: Any, kasm_app: Any,
               clock: FakeClock) -> Iterator[LocalKasm]:
    """The client against the local server, once in-process (SyncASGITransport, no socket) and
    once over a real 127.0.0.1 socket (uvicorn). Sleeps are faked (``clock.sleeps``)."""
    options: dict[str, Any] = {"sleep": clock.sleep, "jitter": lambda: 0.5, "read_timeout": 30.0}
    transport: SyncASGITransport | None = None
    if request.param == "in_process":
        transport = SyncASGITransport(kasm_app)
        client = KasmClient("http://kasm.test", kasm_settings.api_key, kasm_settings.api_secret,
                            transport=transport, **options)
    else:
        server = request.getfixturevalue("kasm_server")
        client = KasmClient(server.base_url, server.api_key, server.api_secret, **options)
    try:
        yield LocalKasm(client, kasm_app, request.param)
    finally:
        client.close()
        if transport is not None:
            transport.close()
