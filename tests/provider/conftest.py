"""Fixtures for the provider tests: a real Terraform against the local Kasm-compatible server.

* ``kasm_env``: the environment (``KASM_BASE_URL``/``KASM_API_KEY``/``KASM_API_SECRET``) that points
  the provider at ``kasm_server``; configurations need no provider block.
* ``kasm_tf``: ``kasm_tf(hcl)`` → an initialised :class:`Terraform` working directory using it.
* ``kasm_client``: a :class:`KasmClient` on the same server, to change things behind Terraform's back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from terraform_provider_kasm.client import KasmClient
from tests.fixtures.kasm_server import KasmServer
from tests.fixtures.terraform import Terraform


@pytest.fixture
def kasm_env(kasm_server: KasmServer) -> dict[str, str]:
    return {
        "KASM_BASE_URL": kasm_server.base_url,
        "KASM_API_KEY": kasm_server.api_key,
        "KASM_API_SECRET": kasm_server.api_secret,
    }


@pytest.fixture
def kasm_tf(terraform: Callable[..., Terraform], kasm_env: dict[str, str]) -> Callable[..., Terraform]:
    """``kasm_tf(hcl, env=None)``: a working directory on the local server, already ``init``-ed."""

    def make(hcl: str, env: dict[str, str] | None = None) -> Terraform:
        tf = terraform(hcl, env={**kasm_env, **(env or {})})
        tf.init()
        return tf

    return make


@pytest.fixture
def kasm_client(kasm_server: KasmServer) -> Iterator[KasmClient]:
    with KasmClient(
        kasm_server.base_url, kasm_server.api_key, kasm_server.api_secret, max_retries=0
    ) as client:
        yield client
