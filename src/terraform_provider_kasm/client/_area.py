"""Shared base of the API-area modules (``client.images``, ``client.users`` …)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from . import errors
from .transport import Transport

if TYPE_CHECKING:
    from .client import KasmClient

T = TypeVar("T")


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
