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

    def _create(
        self,
        call: str,
        payload: Mapping[str, Any],
        *,
        what: str,
        lookup: Callable[[], dict[str, Any] | None],
        mine: Callable[[dict[str, Any]], bool] | None = None,
    ) -> dict[str, Any]:
        """A create whose recovery after an ambiguous failure (reset, read timeout, 502/504) adopts
        only what this call made.

        ``lookup`` finds the object the call creates (its answer shape, e.g. ``{"user": {...}}``) or
        None. It runs once *before* sending (only when retries are enabled: without them there is
        no recovery): an object found then is foreign, and if the create then fails ambiguously the
        error is :class:`errors.AlreadyExisted`, never an adoption, nor a blind repeat. After the
        failure, ``lookup`` again: nothing found → the call is retried; found → adopted if ``mine``
        (every requested field matches) says so, else AlreadyExisted (someone else made it meanwhile).
        A lookup that fails before sending (e.g. the key may create but not view) does not stop the
        create, but leaves the outcome of a failure unknown: the transport error is then raised,
        nothing adopted.
        """
        before: dict[str, Any] | errors.KasmError | None = None
        if self._t.max_retries > 0:
            try:
                before = lookup()
            except errors.KasmError as e:
                before = e

        def recover() -> dict[str, Any] | None:
            if isinstance(before, errors.KasmError):
                raise before
            if before is not None:
                raise errors.AlreadyExisted(call, what)
            found = lookup()
            if found is not None and mine is not None and not mine(found):
                raise errors.AlreadyExisted(call, what, before=False)
            return found

        return self._call(call, payload, idempotent=False, recover=recover)

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
