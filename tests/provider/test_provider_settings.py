"""Provider settings (block and environment), configure's credential check, and the read cache."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from terraform_provider_kasm.provider.context import ReadCache
from terraform_provider_kasm.provider.helpers import (
    api_errors,
    gone_if_missing,
    id_changed,
    keep_null,
    normalize_id,
    parse_import_id,
)
from terraform_provider_kasm.provider.provider import Settings, resolve_settings
from terraform_provider_kasm.tfplugin.diagnostics import DiagnosticError
from terraform_provider_kasm.tfplugin.types import UNKNOWN
from tests.fixtures.kasm_server import KasmServer
from tests.fixtures.terraform import Terraform

DATA = 'data "kasm_images" "all" {}\noutput "count" { value = length(data.kasm_images.all.images) }\n'


def _env_without(kasm_env: dict[str, str], *names: str) -> dict[str, str]:
    # The harness copies os.environ; "" counts as unset for the provider.
    return {**kasm_env, **{n: "" for n in names}}


# --- with Terraform -------------------------------------------------------------------------------


@pytest.mark.terraform
def test_block_wins_over_environment_and_env_tuning_values_parse(
    terraform: Callable[..., Terraform], kasm_server: KasmServer
) -> None:
    hcl = (
        f'provider "kasm" {{\n  base_url = "{kasm_server.base_url}/"\n  api_key = "{kasm_server.api_key}"\n'
        f'  api_secret = "{kasm_server.api_secret}"\n  timeout = 20\n}}\n' + DATA
    )
    env = {
        "KASM_BASE_URL": "http://127.0.0.1:9",  # nothing listens there: the block must win
        "KASM_API_KEY": "wrongkey0000",
        "KASM_API_SECRET": "wrong-secret-from-env",
        "KASM_MAX_RETRIES": "0",
        "KASM_REQUESTS_PER_SECOND": "50",
        "KASM_INSECURE": "false",
    }
    tf = terraform(hcl, env=env)
    tf.init()
    tf.apply()
    assert tf.output_json()["count"]["value"] > 0


@pytest.mark.terraform
def test_configuration_errors_name_the_attribute(
    kasm_tf: Callable[..., Terraform], kasm_env: dict[str, str], kasm_server: KasmServer
) -> None:
    tf = kasm_tf(DATA)

    tf.env = _env_without(kasm_env, "KASM_API_SECRET")
    out = tf.plan(expect=(1,)).output
    assert "Missing Kasm api_secret" in out and "KASM_API_SECRET" in out

    tf.env = _env_without(kasm_env, "KASM_BASE_URL", "KASM_API_KEY")
    out = tf.plan(expect=(1,)).output
    assert "Missing Kasm base_url" in out and "KASM_BASE_URL" in out

    tf.env = {**kasm_env, "KASM_TIMEOUT": "soon"}
    out = tf.plan(expect=(1,)).output
    assert "Invalid KASM_TIMEOUT" in out and "timeout" in out

    # A base_url without a scheme, in the block: the error points at that line.
    hostport = kasm_server.base_url.removeprefix("http://")
    tf.write(f'provider "kasm" {{\n  base_url = "{hostport}"\n}}\n' + DATA)
    tf.env = dict(kasm_env)
    out = tf.plan(expect=(1,)).output
    assert "Invalid base_url" in out and "http:// or https://" in out
    assert f'base_url = "{hostport}"' in out, out

    # Schema validators on the tuning values.
    tf.write('provider "kasm" {\n  max_retries = 50\n  timeout = 0\n}\n' + DATA)
    out = tf.plan(expect=(1,)).output
    assert "max_retries = 50" in out and "timeout = 0" in out


@pytest.mark.terraform
def test_refused_credentials(
    kasm_tf: Callable[..., Terraform], kasm_env: dict[str, str], kasm_server: KasmServer
) -> None:
    tf = kasm_tf(DATA)
    wrong = "0123456789abcdef0123456789abcdef"
    tf.env = {**kasm_env, "KASM_API_SECRET": wrong, "TF_LOG": "DEBUG"}
    result = tf.plan(expect=(1,))
    assert "Kasm refused the API credentials" in result.output
    assert "api_secret" in result.output and "KASM_API_SECRET" in result.output
    assert wrong not in result.output, "the secret must not be shown or logged"

    # A valid key without Images View: the error names the permission to grant.
    key, secret = kasm_server.create_api_key([300])  # Users View only
    tf.env = {**kasm_env, "KASM_API_KEY": key, "KASM_API_SECRET": secret, "TF_LOG": "DEBUG"}
    result = tf.plan(expect=(1,))
    assert "The API key lacks a permission" in result.output and "Images View" in result.output
    assert secret not in result.output

    # The right credentials are not logged either (TF_LOG=DEBUG shows the provider's own logs).
    tf.env = {**kasm_env, "TF_LOG": "DEBUG"}
    result = tf.plan()
    assert kasm_env["KASM_API_SECRET"] not in result.output


@pytest.mark.terraform
def test_unknown_provider_setting_is_reported(
    terraform: Callable[..., Terraform], kasm_env: dict[str, str], tmp_path: Path
) -> None:
    # base_url comes from a resource of the test-only provider that does not exist yet.
    hcl = """
terraform {
  required_providers {
    kasm     = { source = "hashicorp/kasm" }
    kasmtest = { source = "kasmtest/kasm" }
  }
}
resource "kasm_test_thing" "t" {
  provider = kasmtest
  name     = "x"
}
provider "kasm" {
  base_url = "http://${kasm_test_thing.t.id}"
}
data "kasm_images" "all" {}
"""
    tf = terraform(hcl, env={**kasm_env, "KASM_TEST_THING_STORE": str(tmp_path / "things.json")})
    tf.init()
    out = tf.plan(expect=(1,)).output
    assert "Provider not configured" in out and "base_url is not known yet" in out


# --- without Terraform ----------------------------------------------------------------------------

ENV = {"KASM_BASE_URL": "https://kasm.example.com/api/public/", "KASM_API_KEY": "k", "KASM_API_SECRET": "s"}


def _config(**values: object) -> dict[str, object]:
    keys = (
        "base_url",
        "api_key",
        "api_secret",
        "insecure",
        "ca_file",
        "timeout",
        "max_retries",
        "requests_per_second",
    )
    return {k: values.get(k) for k in keys}


def test_resolve_settings_from_environment() -> None:
    settings = resolve_settings(
        _config(), {**ENV, "KASM_INSECURE": "yes", "KASM_TIMEOUT": "2.5", "KASM_MAX_RETRIES": "1"}
    )
    assert isinstance(settings, Settings)
    assert settings.base_url == "https://kasm.example.com"
    assert settings.insecure is True and settings.timeout == 2.5 and settings.max_retries == 1


@pytest.mark.parametrize(
    ("env", "config", "attribute", "words"),
    [
        ({"KASM_INSECURE": "maybe"}, {}, "insecure", "KASM_INSECURE"),
        ({"KASM_MAX_RETRIES": "1.5"}, {}, "max_retries", "KASM_MAX_RETRIES"),
        ({"KASM_TIMEOUT": "-1"}, {}, "timeout", "greater than 0"),
        ({"KASM_REQUESTS_PER_SECOND": "0"}, {}, "requests_per_second", "greater than 0"),
        ({"KASM_CA_FILE": "/nonexistent/ca.pem"}, {}, "ca_file", "/nonexistent/ca.pem"),
        ({}, {"base_url": "ftp://kasm.example.com"}, "base_url", "http:// or https://"),
        ({"KASM_API_KEY": ""}, {}, "api_key", "KASM_API_KEY"),
    ],
)
def test_resolve_settings_errors(
    env: dict[str, str], config: dict[str, object], attribute: str, words: str
) -> None:
    with pytest.raises(DiagnosticError) as caught:
        resolve_settings(_config(**config), {**ENV, **env})
    assert caught.value.attribute == (attribute,)
    assert words in caught.value.detail


def test_unknown_setting_defers() -> None:
    result = resolve_settings(_config(api_key=UNKNOWN), ENV)
    assert getattr(result, "attribute", None) == "api_key"


def test_read_cache_single_flight() -> None:
    cache = ReadCache()
    calls = 0
    started = threading.Event()
    release = threading.Event()

    def loader() -> tuple[int, ...]:
        nonlocal calls
        calls += 1
        started.set()
        release.wait(5)
        return (calls,)

    results: list[tuple[int, ...]] = []
    threads = [threading.Thread(target=lambda: results.append(cache.get("k", loader))) for _ in range(10)]
    for t in threads:
        t.start()
    started.wait(5)
    time.sleep(0.05)  # let the other nine reach the in-flight wait
    release.set()
    for t in threads:
        t.join(5)
    assert calls == 1 and results == [(1,)] * 10
    assert cache.get("k", loader) == (1,)  # cached
    cache.invalidate()
    assert cache.get("k", loader) == (2,)


def test_read_cache_errors_are_not_cached_and_reach_waiters() -> None:
    cache = ReadCache()
    attempts = 0

    def failing() -> int:
        nonlocal attempts
        attempts += 1
        raise RuntimeError("boom")

    for _ in range(2):
        with pytest.raises(RuntimeError):
            cache.get("k", failing)
    assert attempts == 2
    assert cache.get("k", lambda: 7) == 7


def test_read_cache_drops_a_load_that_raced_a_write() -> None:
    cache = ReadCache()
    release = threading.Event()
    started = threading.Event()

    def slow() -> str:
        started.set()
        release.wait(5)
        return "before the write"

    t = threading.Thread(target=lambda: cache.get("k", slow))
    t.start()
    started.wait(5)
    cache.invalidate()  # a write finished while the read was in flight
    release.set()
    t.join(5)
    assert cache.get("k", lambda: "after the write") == "after the write"


# --- the shared resource helpers ------------------------------------------------------------------

HEX = "0123456789abcdef0123456789abcdef"
DASHED = "01234567-89AB-cdef-0123-456789abcdef"


def test_import_ids_are_normalised_and_checked() -> None:
    assert parse_import_id(f"{DASHED}:{HEX}", ("group_id", "user_id")) == {"group_id": HEX, "user_id": HEX}
    for bad in (HEX, f"{HEX}:{HEX}:{HEX}", f"{HEX}:nope", ""):
        with pytest.raises(DiagnosticError) as caught:
            parse_import_id(bad, ("group_id", "user_id"))
        assert "<group_id>:<user_id>" in caught.value.detail


def test_id_spelling_is_no_change_but_unknown_is() -> None:
    assert not id_changed(HEX, DASHED)
    assert id_changed(HEX, "f" * 32)
    assert id_changed(HEX, UNKNOWN)
    with pytest.raises(DiagnosticError) as caught:
        normalize_id("nope", "image_id")
    assert caught.value.attribute == ("image_id",)


def test_keep_null() -> None:
    assert keep_null("", None) is None  # Kasm's "" for a description never set
    assert keep_null(None, "") == ""  # configured "" stays ""
    assert keep_null("", "") == ""
    assert keep_null(None, "old") is None  # cleared outside Terraform: a diff to correct
    assert keep_null("new", None) == "new"  # set outside Terraform: a diff to correct


def test_client_errors_become_diagnostics_without_secrets() -> None:
    from terraform_provider_kasm.client import errors as kerr

    with pytest.raises(DiagnosticError) as caught, api_errors("Could not read the group", ("name",)):
        raise kerr.classify("get_groups", 401, "Unauthorized")
    assert caught.value.attribute == ("name",) and "Groups View" in caught.value.detail
    with pytest.raises(DiagnosticError) as caught, api_errors("Could not read the group"):
        raise kerr.classify("get_groups", 403, "Access Denied")
    assert "api_secret" in caught.value.detail and "KASM_API_SECRET" in caught.value.detail

    def delete_gone_group() -> str:
        raise kerr.classify("delete_group", 200, f"Group {HEX} does not exist")

    assert gone_if_missing(delete_gone_group) is None
    assert gone_if_missing(lambda: "kept") == "kept"
