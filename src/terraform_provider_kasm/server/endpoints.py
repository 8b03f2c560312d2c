"""The endpoint registry: every Kasm call, its required permissions, and how a call is run.

Adding an API area: create ``services/<area>.py`` with ``endpoints = EndpointGroup("<area>")``, decorate
each Kasm call's handler (named as the call), and list the module in ``routes.py`` ``AREAS``::

    @endpoints.read_only([Permission.ZONES_VIEW], GetZonesRequest, GetZonesResponse)
    def get_zones(call: KasmCall) -> dict[str, Any]:
        ...  # the docstring's first line is the OpenAPI summary

`read_only` / `read_write`: Kasm's read-only flag (whether a read-only API key may call it, quirks
included). Then the endpoint's `requested_actions` (holding any one passes the gate) and the request and
response models (OpenAPI). `writes`: whether the handler writes (on SQLite it then takes the write lock
at BEGIN); a `read_write` call always does. `endpoint(name, ...)` is the general form.
Handlers raise `KasmError` for Kasm's handled errors and return the JSON body of a success.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from pydantic import BaseModel
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session, make_transient_to_detached
from starlette.responses import Response

from .errors import KasmError

# `hash_secret` re-exported: the test fixtures add API keys with it.
from .hashing import hash_secret as hash_secret
from .hashing import secret_matches
from .ids import find_row
from .permissions import Permission, any_authorized, is_authorized
from .settings import ServerSettings
from .storage.db import CacheView
from .storage.tables import ApiConfig, GroupPermission, Kasm, User, utcnow

log = logging.getLogger(__name__)


@dataclass
class KasmCall:
    """One authenticated call, handed to the endpoint's handler."""

    name: str
    body: dict[str, Any]
    db: Session
    api: ApiConfig
    permissions: frozenset[int]
    settings: ServerSettings
    # The request's Host header (Kasm builds login URLs and session hostnames from it).
    host: str
    # Answers valid until this process's next write (`get_images`, the key's row and permissions).
    cache: CacheView
    # Set when the body has a top-level `user_id` (impersonation, needs Users Auth Session).
    user: User | None = None
    kasm: Kasm | None = None
    extras: dict[str, Any] = field(default_factory=dict)

    def can(self, *actions: Permission) -> bool:
        """Whether the key holds any of `actions` (Global Admin covers every action but User)."""
        return any(is_authorized(self.permissions, a) for a in actions)

    @property
    def caller_name(self) -> str:
        return self.user.username if self.user is not None else self.api.name


# A JSON body, or (rarely) a ready response such as get_kasm_screenshot's JPEG.
Handler = Callable[[KasmCall], Mapping[str, Any] | Response]
H = TypeVar("H", bound=Handler)


@dataclass(frozen=True)
class Endpoint:
    name: str
    area: str
    actions: tuple[Permission, ...]
    read_only: bool
    writes: bool
    handler: Handler
    request_model: type[BaseModel] | None = None
    response_model: type[BaseModel] | None = None
    summary: str | None = None


class EndpointGroup:
    """The endpoints of one API area (one routes module)."""

    def __init__(self, area: str) -> None:
        self.area = area
        self.endpoints: list[Endpoint] = []

    def endpoint(
        self,
        name: str | None = None,
        *,
        actions: Sequence[Permission],
        read_only: bool,
        writes: bool | None = None,
        request: type[BaseModel] | None = None,
        response: type[BaseModel] | None = None,
    ) -> Callable[[H], H]:
        def register(handler: H) -> H:
            doc = (handler.__doc__ or "").strip()
            self.endpoints.append(
                Endpoint(
                    name=name or handler.__name__,
                    area=self.area,
                    actions=tuple(actions),
                    read_only=read_only,
                    writes=(not read_only) if writes is None else writes,
                    handler=handler,
                    request_model=request,
                    response_model=response,
                    summary=doc.splitlines()[0] if doc else None,
                )
            )
            return handler

        return register

    def read_only(
        self,
        actions: Sequence[Permission],
        request: type[BaseModel] | None,
        response: type[BaseModel] | None,
        *,
        writes: bool = False,
    ) -> Callable[[H], H]:
        """A call Kasm marks read-only (read-only keys may call it), named as its handler."""
        return self.endpoint(
            actions=actions, read_only=True, writes=writes, request=request, response=response
        )

    def read_write(
        self, actions: Sequence[Permission], request: type[BaseModel], response: type[BaseModel]
    ) -> Callable[[H], H]:
        """A call read-only keys may not make, named as its handler."""
        return self.endpoint(actions=actions, read_only=False, request=request, response=response)


# --- authentication (Kasm 1.15 `Authenticated`, checks in Kasm's order) ----------------------------


def api_permissions(db: Session, cache: CacheView, api_id: str) -> frozenset[int]:
    """The key's permission ids; cached until the next write (read before the handler runs, so never
    after a write of the same transaction)."""
    key = f"api_permissions:{api_id}"
    permissions = cache.get(key)
    if permissions is None:
        rows = db.scalars(select(GroupPermission.permission_id).where(GroupPermission.api_id == api_id))
        permissions = frozenset(rows)
        cache.put(key, permissions)
    return cast(frozenset[int], permissions)


def api_config(db: Session, cache: CacheView, key: str) -> ApiConfig | None:
    """The key's row, attached to `db`. A detached copy of its columns stays cached until the next
    write; a hit is merged in without a query (`merge(load=False)`)."""
    cached = cache.get(f"api_config:{key}")
    if cached is not None:
        return db.merge(cached, load=False)
    api = db.scalar(select(ApiConfig).where(ApiConfig.api_key == key))
    if api is not None:
        copy = ApiConfig(**{attr.key: getattr(api, attr.key) for attr in inspect(ApiConfig).column_attrs})
        make_transient_to_detached(copy)
        cache.put(f"api_config:{key}", copy)
    return api


def verify_key(db: Session, cache: CacheView, key: Any, secret: Any) -> ApiConfig:
    """The enabled, unexpired key these credentials name (Kasm's checks and answers, in its order)."""
    if not key or not secret:
        raise KasmError("Invalid Request", 400)
    api = api_config(db, cache, key) if isinstance(key, str) else None
    if (
        api is None
        or not isinstance(secret, str)
        or not secret_matches(secret, api.salt, api.api_key_secret_hash)
        or not api.enabled
    ):
        raise KasmError("Access Denied", 403)
    if api.expires is not None and api.expires < utcnow():
        raise KasmError("Access has expired", 401)
    return api


def authenticate_admin(db: Session, cache: CacheView, headers: Mapping[str, str]) -> None:
    """The `api-key`/`api-key-secret` headers name a Global Admin key (the `/_local/` controls)."""
    api = verify_key(db, cache, headers.get("api-key"), headers.get("api-key-secret"))
    if not is_authorized(api_permissions(db, cache, api.api_id), Permission.GLOBAL_ADMIN):
        raise KasmError("Unauthorized", 401)


def authenticate(
    endpoint: Endpoint,
    db: Session,
    cache: CacheView,
    body: dict[str, Any],
    headers: Mapping[str, str],
    settings: ServerSettings,
) -> KasmCall:
    api = verify_key(
        db,
        cache,
        headers.get("api-key") or body.get("api_key"),
        headers.get("api-key-secret") or body.get("api_key_secret"),
    )
    if api.read_only and not endpoint.read_only:
        raise KasmError("Unauthorized", 401)
    permissions = api_permissions(db, cache, api.api_id)
    call = KasmCall(
        name=endpoint.name,
        body=body,
        db=db,
        api=api,
        permissions=permissions,
        settings=settings,
        host=headers.get("host", "localhost"),
        cache=cache,
    )
    if "user_id" in body:
        if not is_authorized(permissions, Permission.USERS_AUTH_SESSION):
            raise KasmError(f"API Key ({api.name}) is not authorized to impersonate a user.", 401)
        call.user = find_row(db, User, body["user_id"])
        if call.user is None:
            raise KasmError(f"Invalid user_id ({body['user_id']})", 400)
    if "kasm_id" in body:
        call.kasm = find_row(db, Kasm, body["kasm_id"])
        if call.kasm is None:
            raise KasmError(f"Invalid kasm_id ({body['kasm_id']})", 400)
    if not any_authorized(permissions, endpoint.actions):
        raise KasmError("Unauthorized", 401)
    return call
