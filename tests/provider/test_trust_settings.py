"""Issue 11 items 5 and 7: a wrong api_secret written in the provider block is never printed (real
Terraform); configure tells a connect failure, a TLS failure (not retried) and a read timeout apart
(no Terraform). A plan against a silent server is tests/provider/test_interrupt.py's."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from terraform_provider_kasm.client import errors as kerr
from terraform_provider_kasm.provider.provider import DEFAULT_DEADLINE, KasmProvider, resolve_settings
from terraform_provider_kasm.tfplugin.diagnostics import DiagnosticError
from terraform_provider_kasm.tfplugin.provider import ProviderContext
from tests.client.test_deadline import silent_server  # noqa: F401  (fixture)
from tests.client.test_tls import https_server  # noqa: F401  (fixture)
from tests.fixtures.kasm_server import KasmServer
from tests.fixtures.terraform import Terraform

DATA = 'data "kasm_images" "all" {}\n'


def test_the_default_deadline_is_well_under_a_minute() -> None:
    settings = resolve_settings(
        {}, {"KASM_BASE_URL": "https://kasm.example.com", "KASM_API_KEY": "k", "KASM_API_SECRET": "s"}
    )
    assert not isinstance(settings, type(None))
    assert getattr(settings, "deadline") == DEFAULT_DEADLINE == 30.0  # noqa: B009
    env = {
        "KASM_BASE_URL": "https://k.example.com",
        "KASM_API_KEY": "k",
        "KASM_API_SECRET": "s",
        "KASM_DEADLINE": "4.5",
    }
    assert getattr(resolve_settings({}, env), "deadline") == 4.5  # noqa: B009


def test_a_wrong_literal_api_secret_is_never_printed(
    terraform: Callable[..., Terraform], kasm_server: KasmServer
) -> None:
    wrong = "WrongSecret-0123456789-literal"
    tf = terraform(
        'provider "kasm" {\n'
        f'  base_url   = "{kasm_server.base_url}"\n'
        f'  api_key    = "{kasm_server.api_key}"\n'
        f'  api_secret = "{wrong}"\n'
        "}\n" + DATA
    )
    tf.init()
    for result in (tf.plan(expect=(1,)), tf.apply(expect=(1,))):
        assert "Kasm refused the API credentials" in result.output
        assert wrong not in result.output, result.output


# --- configure says which transport failure it was (no Terraform) --------------------------------


def _configure_error(**values: object) -> tuple[DiagnosticError, float]:
    config: dict[str, object] = dict.fromkeys(KasmProvider.schema.attributes)
    config.update(api_key="tstkey123456", api_secret="not-used-here", **values)
    started = time.monotonic()
    with pytest.raises(DiagnosticError) as info:
        KasmProvider().configure(ProviderContext(), config)
    return info.value, time.monotonic() - started


def _transport_cause(error: DiagnosticError) -> kerr.TransportError:
    cause = error.__cause__
    assert isinstance(cause, kerr.TransportError), repr(cause)
    return cause


def test_configure_names_a_connect_failure() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}"
    error, _ = _configure_error(base_url=closed, max_retries=1, deadline=5)
    assert error.summary == "Cannot reach Kasm", error.summary
    assert "could not connect" in error.detail and "timeout" not in error.detail, error.detail
    assert _transport_cause(error).kind == "connect"
    assert error.attribute == ("base_url",)


def test_configure_names_a_tls_failure_and_does_not_retry_it(
    https_server: tuple[str, Path],  # noqa: F811
) -> None:
    url, _ = https_server
    error, took = _configure_error(base_url=url, max_retries=5, deadline=20)
    assert error.summary == "TLS failure talking to Kasm", error.summary
    assert "not retried" in error.detail and "CERTIFICATE_VERIFY_FAILED" in error.detail, error.detail
    cause = _transport_cause(error)
    assert cause.kind == "tls" and cause.attempts == 1, (cause.kind, cause.attempts)
    assert took < 5, took  # no backoff: five retries would have taken longer


def test_configure_names_a_read_timeout(silent_server: str) -> None:  # noqa: F811
    error, took = _configure_error(base_url=silent_server, deadline=2)
    assert error.summary == "Kasm did not answer (read timeout)", error.summary
    assert "read timeout" in error.detail and "could not connect" not in error.detail, error.detail
    assert _transport_cause(error).kind == "read_timeout"
    assert took < 4, took
