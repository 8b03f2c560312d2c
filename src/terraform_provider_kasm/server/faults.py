"""Fault injection, added latency and call counting, applied before anything else sees a request.

A fault spec is ``CALL=KIND[,times=N][,retry_after=S][,ms=N]``: CALL is a Kasm endpoint name (or ``*``
for every call); KIND is an HTTP status (e.g. 503, 500, 429; 429/503 send ``Retry-After`` when
``retry_after`` is given), ``html`` (an HTML 502 page, as from a proxy), ``reset`` (the connection is
dropped before the call runs), ``reset_after`` (the call runs and commits, then the connection is
dropped without a response: for testing duplicate-safety of creates), ``delay`` (wait ``ms``, then
run normally) or ``delay_after`` (the call runs and commits, then its answer waits ``ms``: a client
killed meanwhile leaves the object made but never recorded). Without ``times`` a fault lasts forever.

Over a real socket (uvicorn) a reset aborts the TCP connection (RST). In process (httpx's
ASGITransport) there is no connection to drop, so the app raises `ConnectionResetError` instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
import struct
import threading
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from dataclasses import dataclass
from typing import Any

from starlette.responses import HTMLResponse, Response

from .errors import error_page, unhandled_page

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_CALL_PATH = re.compile(r"^/api/(?:public|admin)/([A-Za-z0-9_]+)/?$")
KINDS = ("html", "reset", "reset_after", "delay", "delay_after")
PROXY_502_PAGE = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1>"
    "</center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)


def kasm_call_name(path: str) -> str | None:
    match = _CALL_PATH.match(path)
    return match.group(1) if match else None


@dataclass
class FaultSpec:
    call: str
    kind: str  # an HTTP status as digits, or one of KINDS
    times: int | None = None
    retry_after: float | None = None
    ms: int = 0

    @classmethod
    def parse(cls, text: str) -> FaultSpec:
        call, sep, rest = text.strip().partition("=")
        if not sep or not call or not rest:
            raise ValueError(f"fault {text!r}: expected CALL=KIND[,times=N][,retry_after=S][,ms=N]")
        kind, *options = [part.strip() for part in rest.split(",")]
        kind = kind.lower()
        if not (kind in KINDS or (kind.isdigit() and 400 <= int(kind) <= 599)):
            raise ValueError(
                f"fault {text!r}: KIND must be an HTTP status 400-599 or one of {', '.join(KINDS)}"
            )
        spec = cls(call=call.strip(), kind=kind)
        for option in options:
            name, _, value = option.partition("=")
            try:
                if name == "times":
                    spec.times = int(value)
                elif name == "retry_after":
                    spec.retry_after = float(value)
                elif name == "ms":
                    spec.ms = int(value)
                else:
                    raise ValueError(name)
            except ValueError as exc:
                raise ValueError(f"fault {text!r}: bad option {option!r}") from exc
        if kind in ("delay", "delay_after") and spec.ms <= 0:
            raise ValueError(f"fault {text!r}: {kind} needs ms=N")
        return spec


class Faults:
    """The active faults; thread-safe, changeable at run time (tests use `add` and `clear`)."""

    def __init__(self, specs: Iterable[FaultSpec] = ()) -> None:
        self._lock = threading.Lock()
        self._specs: list[FaultSpec] = list(specs)

    @classmethod
    def parse_all(cls, texts: Iterable[str | FaultSpec]) -> Faults:
        return cls(t if isinstance(t, FaultSpec) else FaultSpec.parse(t) for t in texts)

    def add(self, spec: str | FaultSpec) -> FaultSpec:
        parsed = spec if isinstance(spec, FaultSpec) else FaultSpec.parse(spec)
        with self._lock:
            self._specs.append(parsed)
        return parsed

    def clear(self) -> None:
        with self._lock:
            self._specs.clear()

    def active(self) -> list[FaultSpec]:
        with self._lock:
            return list(self._specs)

    def take(self, call: str) -> tuple[int, FaultSpec | None]:
        """For one call: total delay (ms) of matching delay faults, and the first other matching fault."""
        delay_ms = 0
        chosen: FaultSpec | None = None
        with self._lock:
            for spec in list(self._specs):
                if spec.call not in (call, "*"):
                    continue
                if spec.kind == "delay":
                    delay_ms += spec.ms
                elif chosen is None:
                    chosen = spec
                else:
                    continue
                if spec.times is not None:
                    spec.times -= 1
                    if spec.times <= 0:
                        self._specs.remove(spec)
        return delay_ms, chosen


class CallCounter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()

    def add(self, call: str) -> None:
        with self._lock:
            self._counts[call] += 1

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()


class FaultMiddleware:
    """Wraps the app at the outermost level, where uvicorn's `send` still reaches the connection."""

    def __init__(self, app: ASGIApp, *, faults: Faults, calls: CallCounter, latency_ms: int = 0) -> None:
        self.app = app
        self.faults = faults
        self.calls = calls
        self.latency_ms = latency_ms

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        name = kasm_call_name(scope.get("path", "")) if scope["type"] == "http" else None
        if name is None:
            await self.app(scope, receive, send)
            return
        self.calls.add(name)
        delay_ms, fault = self.faults.take(name)
        delay_ms += self.latency_ms
        if delay_ms:
            await asyncio.sleep(delay_ms / 1000)
        if fault is None:
            await self.app(scope, receive, send)
            return
        if fault.kind == "reset":
            await _drop_connection(send)
            return
        if fault.kind == "reset_after":

            async def swallow(_message: Message) -> None:
                return None

            await self.app(scope, receive, swallow)
            await _drop_connection(send)
            return
        if fault.kind == "delay_after":
            held: list[Message] = []

            async def hold(message: Message) -> None:
                held.append(message)

            await self.app(scope, receive, hold)
            await asyncio.sleep(fault.ms / 1000)
            for message in held:
                await send(message)
            return
        if fault.kind == "html":
            response: Response = HTMLResponse(PROXY_502_PAGE, status_code=502)
        else:
            status = int(fault.kind)
            response = unhandled_page(emulated=False) if status == 500 else error_page(status)
            if fault.retry_after is not None:
                response.headers["Retry-After"] = str(int(fault.retry_after))
        await response(scope, receive, send)


async def _drop_connection(send: Send) -> None:
    """Abort the client's TCP connection with a RST, sending nothing."""
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is None:
        raise ConnectionResetError("fault injection: connection reset")
    sock = transport.get_extra_info("socket")
    if sock is not None:
        # Linger 0: close() sends RST instead of FIN, like a crashed proxy.
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
    # Let uvicorn see the disconnect before the app returns, so it does not try to answer.
    await asyncio.sleep(0)
    await asyncio.sleep(0)
