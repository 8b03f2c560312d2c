"""Fixtures for the client tests (helpers live in tests/client/helpers.py)."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from terraform_provider_kasm.client import KasmClient
from terraform_provider_kasm.client.asgi import SyncASGITransport
from tests.fixtures.kasm_server import external_server, local_only

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
        client = KasmClient(
            "https://kasm.example.com", KEY, SECRET, transport=httpx.MockTransport(recorder), **options
        )
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
    api_key: str
    api_secret: str
    #: A random tag: the server is shared by the tests of one worker, so names must not collide.
    tag: str

    @property
    def faults(self) -> Any:
        if self.app is None:
            local_only("fault injection")
        return self.app.state.faults

    def call_counts(self) -> dict[str, int]:
        if self.app is None:
            local_only("call counts")
        counts: dict[str, int] = self.app.state.kasm.calls.snapshot()
        return counts

    def name(self, base: str) -> str:
        """``base`` made unique for this test (``alice@example.com`` → ``alice-1a2b3c@example.com``)."""
        local, at, domain = base.partition("@")
        return f"{local}-{self.tag}{at}{domain}"

    def client_for(self, api_key: str, api_secret: str) -> KasmClient:
        """Another client on the same server and the same path (socket or in-process)."""
        transport = SyncASGITransport(self.app) if self.mode == "in_process" else None
        return KasmClient(self.client.base_url, api_key, api_secret, transport=transport, max_retries=0)


@pytest.fixture(params=["in_process", "socket"])
def local_kasm(
    request: pytest.FixtureRequest, kasm_server_shared: Any, clock: FakeClock
) -> Iterator[LocalKasm]:
    """The client against the local server (one per xdist worker, for speed), once in-process
    (SyncASGITransport, no socket) and once over a real 127.0.0.1 socket (uvicorn). Sleeps are
    faked (``clock.sleeps``); faults and call counts start empty; sessions left over are destroyed
    afterwards (the unlicensed server allows only a few at a time)."""
    server = kasm_server_shared
    external = external_server() is not None
    if external and request.param == "in_process":
        pytest.skip("in-process needs the local server (KASM_TEST_BASE_URL points at another server)")
    app = None if external else server.app
    if app is not None:
        server.faults.clear()
        app.state.kasm.calls.reset()
    options: dict[str, Any] = {"sleep": clock.sleep, "jitter": lambda: 0.5, "read_timeout": 30.0}
    if request.param == "in_process":
        client = KasmClient(
            "http://kasm.test",
            server.api_key,
            server.api_secret,
            transport=SyncASGITransport(server.app),
            **options,
        )
    else:
        client = KasmClient(server.base_url, server.api_key, server.api_secret, **options)
    try:
        yield LocalKasm(client, app, request.param, server.api_key, server.api_secret, secrets.token_hex(3))
    finally:
        if app is not None:
            server.faults.clear()
        for session in client.sessions.list():
            if session.user_id:
                client.sessions.destroy(session.kasm_id, session.user_id, missing_ok=True)
        client.close()
