"""Fixtures for the client tests (helpers live in tests/client/helpers.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from terraform_provider_kasm.client import KasmClient

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
