"""Issue 11 item 5 (client half): one deadline per call across all attempts, and errors that say
which failure it was: connect failure, TLS failure (not retried), read timeout; a stop request ends a
call that is waiting for an answer."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from terraform_provider_kasm.client import KasmClient, errors

from .helpers import KEY, SECRET, FakeClock
from .test_tls import https_server  # noqa: F401  (fixture)


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A loopback socket that accepts connections and never answers (nor closes them)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []
    done = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not done.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            held.append(conn)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        done.set()
        thread.join()
        for conn in held:
            conn.close()
        listener.close()


def _closed_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def test_a_silent_server_fails_within_the_deadline_as_a_read_timeout(silent_server: str) -> None:
    started = time.monotonic()
    with (
        KasmClient(silent_server, KEY, SECRET, read_timeout=60, max_retries=3, deadline=2.0) as client,
        pytest.raises(errors.Timeout) as info,
    ):
        client.images.list()
    elapsed = time.monotonic() - started
    assert elapsed < 3.0, elapsed
    assert info.value.kind == "read_timeout"
    text = str(info.value)
    assert "read timeout" in text and "could not connect" not in text.lower(), text
    assert "deadline" in text


def test_a_refused_connection_is_a_connect_failure_retried_within_the_deadline() -> None:
    clock = FakeClock()
    with (
        KasmClient(
            _closed_port(),
            KEY,
            SECRET,
            max_retries=20,
            deadline=10.0,
            backoff_initial=1.0,
            sleep=clock.sleep,
            clock=clock,
            jitter=lambda: 0.5,
        ) as client,
        pytest.raises(errors.TransportError) as info,
    ):
        client.images.list()
    assert info.value.kind == "connect"
    assert "could not connect" in str(info.value)
    assert sum(clock.sleeps) <= 10.0 and len(clock.sleeps) >= 2
    assert info.value.sent is False


def test_a_tls_failure_is_said_and_not_retried(https_server: tuple[str, Path]) -> None:  # noqa: F811
    url, _ = https_server
    clock = FakeClock()
    with (
        KasmClient(url, KEY, SECRET, max_retries=3, sleep=clock.sleep) as client,
        pytest.raises(errors.TransportError) as info,
    ):
        client.images.list()
    assert info.value.kind == "tls"
    assert "TLS" in str(info.value) and "CERTIFICATE_VERIFY_FAILED" in str(info.value)
    assert clock.sleeps == []
    assert info.value.attempts == 1


def test_backoff_never_sleeps_past_the_deadline() -> None:
    clock = FakeClock()
    handler = httpx.MockTransport(lambda request: httpx.Response(503, text="busy"))
    with (
        KasmClient(
            "https://kasm.example.com",
            KEY,
            SECRET,
            transport=handler,
            max_retries=20,
            deadline=5.0,
            backoff_initial=1.0,
            sleep=clock.sleep,
            clock=clock,
            jitter=lambda: 0.5,
        ) as client,
        pytest.raises(errors.InvalidResponse) as info,
    ):
        client.images.list()
    assert sum(clock.sleeps) <= 5.0
    assert "deadline of 5s" in str(info.value)


def test_a_stop_request_ends_a_call_waiting_for_an_answer(silent_server: str) -> None:
    stop = threading.Event()
    threading.Timer(0.5, stop.set).start()
    started = time.monotonic()
    with (
        KasmClient(silent_server, KEY, SECRET, read_timeout=60, deadline=60, stop=stop) as client,
        pytest.raises(errors.Stopped) as info,
    ):
        client.images.list()
    assert time.monotonic() - started < 1.5
    assert "stop" in str(info.value)
    # The abandoned request still waits on the silent server, on a daemon thread: it must not hold
    # the plugin's exit after Terraform's Shutdown (Terraform kills a plugin that lingers 2 s).
    lingering = [t for t in threading.enumerate() if t.name == "kasm-http"]
    assert lingering and all(t.daemon for t in lingering)


def test_no_call_starts_after_a_stop_request() -> None:
    stop = threading.Event()
    stop.set()
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"images": []})

    with (
        KasmClient(
            "https://kasm.example.com", KEY, SECRET, transport=httpx.MockTransport(handler), stop=stop
        ) as client,
        pytest.raises(errors.Stopped),
    ):
        client.images.list()
    assert seen == []
