"""Transport options are one frozen value; keyword arguments of KasmClient override single options."""

from __future__ import annotations

import dataclasses

import httpx
import pytest

from terraform_provider_kasm.client import KasmClient, KasmError, TransportOptions

from .helpers import KEY, SECRET


def _answer(request: httpx.Request) -> httpx.Response:
    return httpx.Response(503, text="down")


def test_options_object_reaches_the_transport() -> None:
    slept: list[float] = []
    options = TransportOptions(
        max_retries=2,
        backoff_initial=1.0,
        backoff_max=1.0,
        sleep=slept.append,
        jitter=lambda: 1.0,
        user_agent="tf-test",
    )
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["user-agent"])
        return _answer(request)

    with KasmClient(
        "https://kasm.example.com", KEY, SECRET, options, transport=httpx.MockTransport(handler)
    ) as c:
        assert c.transport.options == options
        with pytest.raises(KasmError):
            c.images.list()
    # 1 attempt + 2 retries, each retry after the capped backoff.
    assert seen == ["tf-test"] * 3
    assert slept == [1.0, 1.0]


def test_keyword_overrides_one_option_and_keeps_the_others() -> None:
    base = TransportOptions(max_retries=5, read_timeout=7.0)
    with KasmClient("https://kasm.example.com", KEY, SECRET, base, max_retries=0) as c:
        assert c.transport.options.max_retries == 0
        assert c.transport.options.read_timeout == 7.0
    assert base.max_retries == 5  # the caller's value is not changed


def test_unknown_option_and_bad_values_are_refused() -> None:
    with pytest.raises(TypeError):
        KasmClient("https://kasm.example.com", KEY, SECRET, retries=3)
    with pytest.raises(ValueError, match="max_retries"):
        TransportOptions(max_retries=-1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        TransportOptions().max_retries = 1  # type: ignore[misc]
