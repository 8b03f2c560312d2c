"""Shared base of the API-area modules (``client.images``, ``client.users`` …)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from . import errors
from .transport import Transport

if TYPE_CHECKING:
    from .client import KasmClient

T = TypeVar("T")
M = TypeVar("M")

#: A bound on pages, so a server that never stops paging cannot keep a list call going forever.
_MAX_PAGES = 10_000


class Area:
    def __init__(self, client: KasmClient) -> None:
        self._client = client

    @property
    def _t(self) -> Transport:
        return self._client.transport

    def _call(
        self,
        call: str,
        payload: Mapping[str, Any] | None = None,
        *,
        idempotent: bool,
        recover: Callable[[], dict[str, Any] | None] | None = None,
        accept_error: Callable[[int, dict[str, Any]], bool] | None = None,
    ) -> dict[str, Any]:
        return self._t.call(call, payload, idempotent=idempotent, recover=recover, accept_error=accept_error)


    def _all_pages(
        self,
        call: str,
        body: Mapping[str, Any],
        key: str,
        parse: Callable[[Mapping[str, Any]], M],
        ident: Callable[[M], str],
        *,
        page_size: int = 100,
    ) -> list[M]:
        """Every item of a paged list call (``page`` 0-based, ``page_size``), in Kasm's order.

        Stops at Kasm's ``total``, at a short or empty page, or when a page brings nothing new (a
        server that ignores ``page``). Never truncates silently: stopping before ``total`` is
        InvalidResponse.
        """
        if page_size < 1:
            raise ValueError("page_size must be >= 1")
        found: dict[str, M] = {}
        total: int | None = None
        for page in range(_MAX_PAGES):
            data = self._call(call, {**body, "page": page, "page_size": page_size}, idempotent=True)
            batch = [parse(item) for item in members(call, data, key)]
            if isinstance(data.get("total"), int):
                total = data["total"]
            new = [item for item in batch if ident(item) not in found]
            for item in new:
                found[ident(item)] = item
            if (total is not None and len(found) >= total) or len(batch) < page_size or not new:
                break
        if total is not None and len(found) < total:
            raise errors.InvalidResponse(call, 200, f"paging stopped after {len(found)} of {total}")
        return list(found.values())


def member(call: str, data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    """``data[key]`` as an object, or InvalidResponse naming what is missing."""
    value = data.get(key)
    if not isinstance(value, Mapping):
        raise errors.InvalidResponse(call, 200, f"the answer has no {key!r} object")
    return value


def members(call: str, data: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    """``data[key]`` as a list of objects, or InvalidResponse."""
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise errors.InvalidResponse(call, 200, f"the answer has no {key!r} list")
    return value


def ignore_missing(fn: Callable[[], T], missing_ok: bool) -> T | None:
    """Run ``fn``; with ``missing_ok`` a NotFound means "already gone" and returns None."""
    try:
        return fn()
    except errors.NotFound:
        if missing_ok:
            return None
        raise
