"""Bad input over the whole OpenAPI document (schemathesis strategies, positive and negative): the server
never fails with an unhandled error, except where real Kasm 1.15 does (those 500s carry
`EMULATED_CRASH_HEADER`; DESIGN.md lists them)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from terraform_provider_kasm.server.app import create_app
from terraform_provider_kasm.server.errors import EMULATED_CRASH_HEADER
from terraform_provider_kasm.server.routes import AREAS
from terraform_provider_kasm.server.settings import ServerSettings

from ..fixtures.kasm_server import make_settings

# More examples for a deeper run: KASM_FUZZ_EXAMPLES=100 pytest tests/server/test_fuzz.py
EXAMPLES = int(os.environ.get("KASM_FUZZ_EXAMPLES", "5"))
CALLS = sorted(endpoint.name for area in AREAS for endpoint in area.endpoints)


@pytest.fixture(scope="module")
def fuzz_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerSettings]:
    directory: Path = tmp_path_factory.mktemp("kasm-fuzz")
    yield from make_settings(directory)


@pytest.fixture(scope="module")
def fuzz_app(fuzz_settings: ServerSettings) -> Iterator[Any]:
    app = create_app(fuzz_settings)
    yield app
    app.state.kasm.db.dispose()


@pytest.fixture(scope="module")
def api_schema(fuzz_app: Any) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)


@pytest.mark.parametrize("mode", [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE])
@pytest.mark.parametrize("call", CALLS)
def test_no_unexpected_server_errors(
    call: str, mode: schemathesis.GenerationMode, api_schema: Any, fuzz_settings: ServerSettings
) -> None:
    operation = api_schema[f"/api/public/{call}"]["POST"]
    # Valid credentials in the headers (they win over the body), so the input reaches the handlers.
    headers = {"api-key": fuzz_settings.api_key or "", "api-key-secret": fuzz_settings.api_secret or ""}

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        response = case.call(headers=headers)
        if response.status_code >= 500:
            emulated = response.headers.get(EMULATED_CRASH_HEADER) or []
            assert "1" in emulated, (
                f"{call}: unexpected {response.status_code} for body {case.body!r}: {response.text[:300]}"
            )

    check()
