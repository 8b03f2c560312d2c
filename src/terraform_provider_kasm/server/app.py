"""The ASGI app: `create_app(settings)`.

Layers: `services/<area>.py` (one module per API area: Kasm's rules, each handler registered with its
endpoint metadata; `routes.py` lists the areas) → `storage/` (SQLAlchemy tables, migrations).
`endpoints.py` runs every call the same way: parse the JSON body as CherryPy would, authenticate and
authorise (Kasm's outcome matrix), run the handler in one transaction, answer JSON. `faults.py` wraps the
whole app (fault injection, latency, call counting).
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response

from .. import __version__
from .endpoints import Endpoint, authenticate, authenticate_admin
from .errors import KasmCrash, KasmError, KasmHttpError, error_page, unhandled_page
from .faults import CallCounter, FaultMiddleware, Faults, Receive, Scope, Send
from .models.common import ErrorMessage
from .routes import AREAS
from .seed import SeedResult, seed
from .settings import ServerSettings
from .storage.db import Database

log = logging.getLogger(__name__)

PUBLIC_PREFIX = "/api/public"
ADMIN_PREFIX = "/api/admin"


@dataclass
class ServerState:
    """What the app keeps at `app.state.kasm` (the fixtures and the CLI read it too)."""

    settings: ServerSettings
    db: Database
    faults: Faults
    calls: CallCounter
    seeded: SeedResult
    endpoints: dict[str, Endpoint] = field(default_factory=dict)


async def _read_body(request: Request, limit: int) -> bytes:
    """The body, refused with 413 past `limit` bytes (declared or streamed) before it is all read."""
    too_large = KasmError("Request Entity Too Large", 413)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


async def kasm_body(request: Request) -> dict[str, Any]:
    """The JSON body as Kasm (CherryPy `json_in`) reads it."""
    state: ServerState = request.app.state.kasm
    raw = await _read_body(request, state.settings.max_body_bytes)
    if not raw.strip():
        # No entity: `cherrypy.request.json` is missing and the handler fails.
        raise KasmCrash("request has no JSON body")
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in ("application/json", "text/javascript"):
        raise KasmHttpError(415)
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        # Nested deeper than Python's recursion limit: as unparsable as bad JSON.
        raise KasmHttpError(400) from exc
    if not isinstance(data, dict):
        # Kasm calls `.get` on the body.
        raise KasmCrash("JSON body is not an object")
    return data


def run_endpoint(state: ServerState, endpoint: Endpoint, request: Request, body: dict[str, Any]) -> Response:
    try:
        with state.db.transaction(write=endpoint.writes) as (db, cache):
            call = authenticate(endpoint, db, cache, body, request.headers, state.settings)
            result = endpoint.handler(call)
            db.commit()
        # A few calls answer with something other than JSON (get_kasm_screenshot: JPEG bytes).
        return result if isinstance(result, Response) else JSONResponse(dict(result))
    except (KasmError, KasmCrash, KasmHttpError) as exc:
        if isinstance(exc, KasmCrash):
            log.warning("%s: emulating Kasm's unhandled error: %s", endpoint.name, exc)
        return exc.response()
    except Exception:
        log.exception("%s: unhandled error", endpoint.name)
        return unhandled_page(emulated=False)


def _route(state: ServerState, endpoint: Endpoint) -> Callable[..., Response]:
    def route(request: Request, body: Annotated[dict[str, Any], Depends(kasm_body)]) -> Response:
        return run_endpoint(state, endpoint, request, body)

    route.__name__ = endpoint.name
    route.__doc__ = endpoint.handler.__doc__
    return route


def create_app(settings: ServerSettings) -> FastAPI:
    db = Database(settings.database_url, echo=settings.echo_sql)
    db.migrate()
    seeded = seed(db, settings) if settings.seed else SeedResult()
    state = ServerState(
        settings=settings, db=db, faults=Faults.parse_all(settings.faults), calls=CallCounter(), seeded=seeded
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        db.dispose()

    app = KasmApp(
        title="Kasm Workspaces Developer API (local compatible server)",
        version=__version__,
        description=(
            "Every call is `POST /api/public/<name>` (alias `/api/admin/<name>`) with a JSON body carrying "
            "`api_key` and `api_key_secret` (or the `api-key`/`api-key-secret` headers). Failures are "
            '`{"error_message": ...}`, often with HTTP 200, as in Kasm 1.15.'
        ),
        lifespan=lifespan,
    )
    # CherryPy ignores a trailing slash (`KasmApp.__call__` strips it); anything else unknown is a 404,
    # never a redirect.
    app.router.redirect_slashes = False
    app.state.kasm = state
    # Tests add faults at run time: `app.state.faults.add("get_images=503,times=2")`.
    app.state.faults = state.faults

    for area in AREAS:
        for endpoint in area.endpoints:
            if endpoint.name in state.endpoints:
                raise ValueError(f"endpoint {endpoint.name} is registered twice")
            state.endpoints[endpoint.name] = endpoint
            # One route per call; `/api/admin/<name>` is mapped onto it in `KasmApp.__call__`, and the
            # OpenAPI responses are added in `_openapi` (FastAPI's per-route response models are slow to build).
            app.add_api_route(
                f"{PUBLIC_PREFIX}/{endpoint.name}",
                _route(state, endpoint),
                methods=["POST"],
                name=endpoint.name,
                operation_id=endpoint.name,
                summary=endpoint.summary,
                tags=[endpoint.area],
                response_class=JSONResponse,
            )

    # Not Kasm endpoints (for benchmarks and tests): unless `open_local_calls`, they need a Global Admin
    # key in the `api-key`/`api-key-secret` headers.
    def local_control(request: Request) -> None:
        if not settings.open_local_calls:
            with db.transaction(write=False) as (session, cache):
                authenticate_admin(session, cache, request.headers)

    @app.get("/_local/calls", include_in_schema=False, dependencies=[Depends(local_control)])
    def local_calls() -> dict[str, dict[str, int]]:
        """Calls received per Kasm endpoint."""
        return {"calls": state.calls.snapshot()}

    @app.post("/_local/calls/reset", include_in_schema=False, dependencies=[Depends(local_control)])
    def local_calls_reset() -> dict[str, Any]:
        state.calls.reset()
        return {}

    for exc_type in (KasmError, KasmCrash, KasmHttpError):
        app.add_exception_handler(exc_type, _kasm_exception_handler)
    app.add_exception_handler(StarletteHTTPException, _http_exception_handler)
    app.openapi = lambda: _openapi(app, state)  # type: ignore[method-assign]
    app.kasm_middleware = FaultMiddleware(
        partial(FastAPI.__call__, app), faults=state.faults, calls=state.calls, latency_ms=settings.latency_ms
    )
    return app


class KasmApp(FastAPI):
    """FastAPI with the fault/latency/counting layer in front of everything (even Starlette's error
    middleware), where uvicorn's `send` still reaches the connection a `reset` fault must drop."""

    kasm_middleware: FaultMiddleware | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and path.startswith(f"{ADMIN_PREFIX}/"):
            # Kasm serves every call under both trees with the same handler.
            public = PUBLIC_PREFIX + path[len(ADMIN_PREFIX) :]
            scope = {**scope, "path": public, "raw_path": public.encode()}
            path = public
        if scope["type"] == "http" and path.startswith(f"{PUBLIC_PREFIX}/") and path.endswith("/"):
            # `/api/public/<call>/` is served as `/api/public/<call>` (CherryPy's dispatcher drops it).
            path = path.rstrip("/")
            scope = {**scope, "path": path, "raw_path": path.encode()}
        if self.kasm_middleware is None:
            await super().__call__(scope, receive, send)
        else:
            await self.kasm_middleware(scope, receive, send)


async def _kasm_exception_handler(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, KasmError | KasmCrash | KasmHttpError)
    return exc.response()


async def _http_exception_handler(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 405:
        # CherryPy runs the handler for any method; without a JSON body it fails.
        return unhandled_page(emulated=True)
    return error_page(exc.status_code)


def _openapi(app: FastAPI, state: ServerState) -> dict[str, Any]:
    """FastAPI's document plus the request bodies (parsed by hand, so FastAPI does not see them)."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    # All models at once, so pydantic qualifies any names that clash between modules.
    wanted: list[tuple[type[BaseModel], JsonSchemaMode]] = [(ErrorMessage, "serialization")]
    for endpoint in state.endpoints.values():
        if endpoint.request_model is not None:
            wanted.append((endpoint.request_model, "validation"))
        if endpoint.response_model is not None:
            wanted.append((endpoint.response_model, "serialization"))
    refs, definitions = models_json_schema(
        list(dict.fromkeys(wanted)), ref_template="#/components/schemas/{model}"
    )
    schema.setdefault("components", {}).setdefault("schemas", {}).update(definitions.get("$defs", {}))

    def ref(model: type[BaseModel], mode: JsonSchemaMode = "serialization") -> dict[str, Any]:
        return dict(refs[(model, mode)])

    def json_response(description: str, model: type[BaseModel]) -> dict[str, Any]:
        return {"description": description, "content": {"application/json": {"schema": ref(model)}}}

    for endpoint in state.endpoints.values():
        operation = schema["paths"][f"{PUBLIC_PREFIX}/{endpoint.name}"]["post"]
        if endpoint.request_model is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": ref(endpoint.request_model, "validation")}},
            }
        responses: dict[str, Any] = {
            "200": (
                json_response(
                    'Success, or `{"error_message": ...}` for a handled error', endpoint.response_model
                )
                if endpoint.response_model is not None
                else {"description": "Success"}
            ),
            "400": json_response("Invalid request (the documented calls)", ErrorMessage),
            "401": json_response("Unauthorized", ErrorMessage),
            "403": json_response("Access Denied", ErrorMessage),
            "500": {"description": "Unhandled error (an HTML page, as Kasm's)", "content": {"text/html": {}}},
        }
        operation["responses"] = responses
    app.openapi_schema = schema
    return schema
