"""A synchronous httpx transport that calls an ASGI app in-process.

httpx's own ``ASGITransport`` is async-only, and the Kasm client is synchronous (the provider
serves RPCs on threads). This adapter runs the app on one private event loop in a background
thread and hands each request to it, so ``KasmClient(..., transport=SyncASGITransport(app))``
talks to the local Kasm-compatible server without a socket. Thread-safe: requests from many
threads are queued onto the same loop.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import httpx

__all__ = ["SyncASGITransport"]


class SyncASGITransport(httpx.BaseTransport):
    def __init__(
        self, app: Any, *, root_path: str = "", client: tuple[str, int] = ("127.0.0.1", 123)
    ) -> None:
        self._inner = httpx.ASGITransport(app=app, root_path=root_path, client=client)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="kasm-asgi", daemon=True)
        self._thread.start()
        self._closed = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self._closed:
            raise httpx.ConnectError("transport is closed", request=request)
        content = request.read()
        # A fresh request whose body is plain bytes (readable from async code too).
        inner_request = httpx.Request(request.method, request.url, headers=request.headers, content=content)
        future = asyncio.run_coroutine_threadsafe(self._send(inner_request), self._loop)
        try:
            status, headers, body = future.result()
        except OSError as exc:
            # The app dropped the "connection" after reading the request (e.g. an injected reset):
            # to the client that is a read failure, exactly as over a real socket.
            raise httpx.ReadError(f"connection lost: {exc}", request=request) from exc
        return httpx.Response(status, headers=headers, content=body, request=request)

    async def _send(self, request: httpx.Request) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        response = await self._inner.handle_async_request(request)
        body = await response.aread()
        await response.aclose()
        # The body is already decoded and complete: drop headers that describe the wire form.
        headers = [
            (k, v)
            for k, v in response.headers.raw
            if k.lower() not in (b"content-encoding", b"content-length", b"transfer-encoding")
        ]
        return response.status_code, headers, body

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()
