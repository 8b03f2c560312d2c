"""Issue 11 items 5 and 7 with real Terraform: a silent server fails within the deadline as a read
timeout, and a wrong api_secret written in the provider block is never printed."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest

from terraform_provider_kasm.provider.provider import DEFAULT_DEADLINE, resolve_settings
from tests.client.test_deadline import silent_server  # noqa: F401  (fixture)
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


@pytest.fixture
def silent_env(silent_server: str) -> Iterator[dict[str, str]]:  # noqa: F811
    yield {"KASM_BASE_URL": silent_server, "KASM_API_KEY": "tstkey123456", "KASM_API_SECRET": "not-used-here"}


def test_plan_against_a_silent_server_fails_within_the_deadline_as_a_read_timeout(
    terraform: Callable[..., Terraform], silent_env: dict[str, str]
) -> None:
    tf = terraform(DATA, env={**silent_env, "KASM_DEADLINE": "4"})
    tf.init()
    started = time.monotonic()
    result = tf.plan(expect=(1,))
    elapsed = time.monotonic() - started
    out = " ".join(result.output.split())
    # Terraform and the plugin start in a few seconds on a busy machine; the call itself takes 4.
    assert elapsed < 4 + 10, elapsed
    assert "read timeout" in out, out
    assert "Could not connect" not in out and "could not connect" not in out, out


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
