"""The OpenAPI document: every Kasm call with its request and response models."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx


def test_openapi_documents_every_call(kasm_app: Any) -> None:
    async def fetch() -> dict[str, Any]:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=kasm_app), base_url="http://kasm"
        ) as client:
            document: dict[str, Any] = (await client.get("/openapi.json")).json()
            return document

    document = asyncio.run(fetch())
    endpoints = kasm_app.state.kasm.endpoints
    paths = document["paths"]
    assert set(paths) == {f"/api/public/{name}" for name in endpoints}
    schemas = document["components"]["schemas"]
    for name, endpoint in endpoints.items():
        operation = paths[f"/api/public/{name}"]["post"]
        assert operation["operationId"] == name
        if endpoint.request_model is not None:
            ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            assert ref.rsplit("/", 1)[1] in schemas
        if endpoint.response_model is not None:
            ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
            assert ref.rsplit("/", 1)[1] in schemas
        assert operation["responses"]["403"]["content"]["application/json"]["schema"]["$ref"].endswith(
            "/ErrorMessage"
        )
    image = schemas["ImageOut"]["properties"]
    assert "imageAttributes" in image and image["memory"]["type"] == "integer"
    assert schemas["TargetImage"]["additionalProperties"] is False
    # Every $ref resolves.
    for ref in _refs(document):
        assert ref.rsplit("/", 1)[1] in schemas, ref


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for value in node.values() for r in _refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in _refs(value)]
    return []
