"""Test helpers: a fake clock whose sleep only advances time, a recording handler for
httpx.MockTransport, and response shorthands."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

from terraform_provider_kasm.client import KasmClient

KEY = "testkey12345"
SECRET = "S3cr3t-api-key-secret-value-0001"


class FakeClock:
    """A monotonic clock that only moves when someone sleeps; records every sleep."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


Handler = Callable[[str, dict[str, Any], httpx.Request], httpx.Response]


class Recorder:
    """Wraps a handler(call, body, request); keeps (call, body) of every request seen."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        call = request.url.path.rsplit("/", 1)[-1]
        body = json.loads(request.content)
        self.requests.append((call, body))
        return self.handler(call, body, request)

    def calls(self) -> list[str]:
        return [c for c, _ in self.requests]


def ok(data: dict[str, Any] | None = None, status: int = 200, **headers: str) -> httpx.Response:
    return httpx.Response(status, json=data if data is not None else {}, headers=headers)


def err(message: str, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json={"error_message": message})


#: The ``mock_client`` fixture: ``mock_client(handler, **options) -> (client, recorder)``.
MockClient = Callable[..., "tuple[KasmClient, Recorder]"]
