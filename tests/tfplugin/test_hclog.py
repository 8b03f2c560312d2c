"""hclog: the level Terraform asks for, and the bridge from Python ``logging`` to hclog JSON lines."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from terraform_provider_kasm.client import KasmClient
from terraform_provider_kasm.tfplugin.hclog import (
    HclogHandler,
    Logger,
    bridge_logging,
    hclog_level,
    python_level,
)

PACKAGE = "terraform_provider_kasm"


@pytest.fixture
def bridged() -> Iterator[Callable[[str], tuple[Logger, io.StringIO]]]:
    """``bridged(level)``: the package's Python loggers bridged to a Logger at that hclog level on a
    string stream; the package logger is restored afterwards (caplog in other tests relies on it)."""
    package = logging.getLogger(PACKAGE)
    saved = (package.level, package.propagate, list(package.handlers))

    def make(level: str) -> tuple[Logger, io.StringIO]:
        stream = io.StringIO()
        logger = Logger(stream=stream, level=["trace", "debug", "info", "warn", "error", "off"].index(level))
        bridge_logging(logger)
        return logger, stream

    yield make
    package.setLevel(saved[0])
    package.propagate = saved[1]
    package.handlers[:] = saved[2]


def lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


@pytest.mark.parametrize(
    ("levelno", "expected"),
    [
        (5, "trace"),
        (logging.DEBUG, "debug"),
        (logging.INFO, "info"),
        (logging.WARNING, "warn"),
        (logging.ERROR, "error"),
        (logging.CRITICAL, "error"),
    ],
)
def test_python_record_levels_map_to_hclog_levels(levelno: int, expected: str) -> None:
    assert hclog_level(levelno) == expected


@pytest.mark.parametrize(
    ("env", "hclog", "python"),
    [
        ({}, "warn", logging.WARNING),  # no TF_LOG: quiet
        ({"TF_LOG": "debug"}, "debug", logging.DEBUG),
        ({"TF_LOG": "JSON"}, "trace", 1),
        ({"TF_LOG": "TRACE"}, "trace", 1),
        ({"TF_LOG_PROVIDER": "info"}, "info", logging.INFO),
        # The provider's own variable wins over TF_LOG_PROVIDER, which wins over TF_LOG.
        ({"TF_LOG": "trace", "TF_LOG_PROVIDER": "error"}, "error", logging.ERROR),
        ({"TF_LOG_PROVIDER": "debug", "TF_LOG_PROVIDER_KASM": "warn"}, "warn", logging.WARNING),
        ({"TF_LOG": "off"}, "off", logging.CRITICAL + 1),
    ],
)
def test_the_level_comes_from_terraforms_variables(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], hclog: str, python: int
) -> None:
    for var in ("TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_KASM"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    logger = Logger(stream=io.StringIO())
    assert logger.enabled(hclog) and (hclog == "trace" or not logger.enabled(_below(hclog)))
    assert python_level(logger.level) == python
    assert HclogHandler(logger).level == python


def _below(level: str) -> str:
    order = ["trace", "debug", "info", "warn", "error", "off"]
    return order[order.index(level) - 1]


def test_records_become_hclog_lines_with_their_extra_fields(
    bridged: Callable[[str], tuple[Logger, io.StringIO]],
) -> None:
    _, stream = bridged("debug")
    logging.getLogger(f"{PACKAGE}.client").debug(
        "kasm %s: status=%s", "get_users", 200, extra={"call": "get_users"}
    )
    logging.getLogger(f"{PACKAGE}.provider.resources").warning("careful")
    logging.getLogger(PACKAGE).log(5, "too fine for debug")
    (first, second) = lines(stream)
    assert first["@level"] == "debug" and first["@module"] == "kasm.client"
    assert first["@message"] == "kasm get_users: status=200" and first["call"] == "get_users"
    assert "args" not in first and "levelno" not in first  # only the extra fields
    assert (second["@level"], second["@module"], second["@message"]) == (
        "warn",
        "kasm.provider.resources",
        "careful",
    )
    # The package's records stop at the bridge: nothing prints them a second time.
    assert logging.getLogger(PACKAGE).propagate is False


def test_below_the_level_nothing_is_written_or_even_formatted(
    bridged: Callable[[str], tuple[Logger, io.StringIO]],
) -> None:
    _, stream = bridged("warn")
    client_log = logging.getLogger(f"{PACKAGE}.client")
    assert not client_log.isEnabledFor(logging.DEBUG)
    client_log.debug("kasm get_users: status=200")
    client_log.info("kasm info")
    client_log.warning("TLS verification is disabled")
    assert [line["@message"] for line in lines(stream)] == ["TLS verification is disabled"]


def test_masked_values_never_reach_a_line(bridged: Callable[[str], tuple[Logger, io.StringIO]]) -> None:
    logger, stream = bridged("trace")
    secret = "0f1e-2d3c-secret"
    logger.mask(secret, None, "ab")  # None and too-short values are ignored
    logging.getLogger(f"{PACKAGE}.client").debug("oops %s", secret, extra={"body": {"k": secret}})
    logger.debug("direct", value=secret.replace("-", ""), nested=[secret])
    logger.debug("about ab")
    text = stream.getvalue()
    assert secret not in text and secret.replace("-", "") not in text
    assert text.count("***") == 4
    assert lines(stream)[-1]["@message"] == "about ab"  # too short to be masked


def test_the_client_writes_one_line_per_attempt_with_call_status_and_duration(
    bridged: Callable[[str], tuple[Logger, io.StringIO]],
) -> None:
    _, stream = bridged("debug")
    answers = [httpx.Response(503, text="busy"), httpx.Response(200, json={"users": []})]
    secret = "the-api-key-secret"

    def handler(request: httpx.Request) -> httpx.Response:
        return answers.pop(0)

    with KasmClient(
        "https://kasm.example.com",
        "key-1234",
        secret,
        transport=httpx.MockTransport(handler),
        sleep=lambda s: None,
    ) as client:
        client.users.list()
    records = lines(stream)
    attempts = [r for r in records if "status" in r]
    assert [(r["call"], r["status"], r["attempt"]) for r in attempts] == [
        ("get_users", 503, 1),
        ("get_users", 200, 2),
    ]
    assert all(isinstance(r["duration_ms"], float) and r["@module"] == "kasm.client" for r in attempts)
    (retry,) = [r for r in records if "retry" in r]
    assert (retry["call"], retry["retry"], retry["error"]) == ("get_users", 1, "InvalidResponse")
    assert secret not in stream.getvalue()


def test_rate_limit_waits_reach_the_log(bridged: Callable[[str], tuple[Logger, io.StringIO]]) -> None:
    _, stream = bridged("debug")
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    with KasmClient(
        "https://kasm.example.com",
        "key-1234",
        "the-api-key-secret",
        transport=httpx.MockTransport(lambda request: httpx.Response(200, json={"users": []})),
        rate_limit=1.0,
        sleep=sleep,
        clock=lambda: now[0],
    ) as client:
        client.users.list()
        client.users.list()  # the bucket (burst 1) is empty: this one waits about a second
    (wait,) = [r for r in lines(stream) if "waited_s" in r]
    assert wait["call"] == "get_users" and wait["waited_s"] == pytest.approx(1.0, abs=0.01)
    assert wait["@message"].startswith("kasm get_users: rate limiter waited")
