"""Helpers shared by the services: Kasm's input conventions and output formatting."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..endpoints import KasmCall
from ..errors import KasmCrash, KasmError
from ..ids import find_row as find_row
from ..ids import parse_id
from ..models.common import kasm_time as kasm_time

R = TypeVar("R")


def is_sanitized(value: Any) -> bool:
    """A value made only of `*` means "unchanged" (a masked secret sent back)."""
    return isinstance(value, str) and value != "" and set(value) == {"*"}


def parse_multiline(value: Any, *, to_lower: bool = False) -> list[str]:
    """Kasm's `parse_multiline_input`: split on newlines, strip, drop empties, de-duplicate in order."""
    if not isinstance(value, str):
        # Kasm calls `.split` on it: anything but a string is an unhandled error.
        raise KasmCrash(f"parse_multiline_input on {type(value).__name__}")
    seen: dict[str, None] = {}
    for line in value.split("\n"):
        item = line.strip()
        if to_lower:
            item = item.lower()
        if item:
            seen.setdefault(item, None)
    return list(seen)


def as_int(value: Any, *, bits: int = 32) -> int:
    """`int(value)` as Kasm does it; what Python cannot convert, or the column cannot hold, is an
    unhandled error there."""
    try:
        result = int(value)
    except (TypeError, ValueError, OverflowError) as exc:
        raise KasmCrash(f"int({value!r})") from exc
    if not -(2 ** (bits - 1)) <= result < 2 ** (bits - 1):
        raise KasmCrash(f"{result} does not fit the column")
    return result


def as_float(value: Any) -> float:
    try:
        result = float(value)
    except (TypeError, ValueError) as exc:
        raise KasmCrash(f"float({value!r})") from exc
    if result != result or result in (float("inf"), float("-inf")):
        raise KasmCrash(f"float({value!r}) is not storable")
    return result


def text(value: Any, length: int | None = None, *, strip: bool = False) -> str | None:
    """A text field as Kasm stores it: None stays None, anything but a string is an unhandled error
    there (it calls `.strip()` or slices it); stripped if asked, then cut to `length`."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise KasmCrash(f"text field given {type(value).__name__}")
    if strip:
        value = value.strip()
    return value if length is None else value[:length]


def truncated(value: Any, length: int) -> str:
    """`value[:length]` of a field Kasm requires (None is an unhandled error too)."""
    result = text(value, length)
    if result is None:
        raise KasmCrash("slicing None")
    return result


# Kasm's two spellings of the same error, each used by its own handlers.
MISSING_COLON = "Invalid Request: Missing required parameters"
MISSING_DOT = "Invalid Request. Missing required parameters"


def target(body: dict[str, Any], key: str) -> dict[str, Any]:
    """`body[key]` when it is a non-empty object; `{}` when missing or empty (Kasm: "Missing ...").

    Any other truthy value makes Kasm call `.get` on a non-dict: an unhandled error.
    """
    value = body.get(key)
    if not value:
        return {}
    if not isinstance(value, dict):
        raise KasmCrash(f"{key} is a {type(value).__name__}")
    return value


def insert_unique(db: Session, row: object, duplicate: KasmError) -> None:
    """Insert `row`; a unique constraint it breaks (a concurrent twin won the race) answers `duplicate`."""
    db.add(row)
    try:
        db.flush()
    except IntegrityError as exc:
        raise duplicate from exc


def require_row(
    call: KasmCall,
    table: type[R],
    where: str,
    missing: str,
    not_found: str,
    *,
    invalid: str | None = None,
    status: int = 200,
) -> R:
    """Kasm's "target → id → row" checks on the id `where` names as Kasm's docs do
    (`target_zone.zone_id`, or a top-level `registry_id`), with Kasm's messages: `missing` when no id
    is given, `invalid` (where Kasm has one) when it is not a uuid, `not_found` when there is no such
    row; `{value}` in a message is the id as sent."""
    section, _, key = where.rpartition(".")
    value = (target(call.body, section) if section else call.body).get(key)
    if not value:
        raise KasmError(missing, status)
    if invalid is not None and parse_id(value) is None:
        raise KasmError(invalid, status)
    row = find_row(call.db, table, value)
    if row is None:
        raise KasmError(not_found.format(value=value), status)
    return row


def reference(db: Session, table: type, value: Any, key: str) -> str:
    """The id of the row `value` names for the config field `key`; Kasm's
    `Invalid Request. Invalid <key> (<value>)` (HTTP 400) when there is no such row."""
    row_id = parse_id(value)
    if row_id is None or db.get(table, row_id) is None:
        raise KasmError(f"Invalid Request. Invalid {key} ({value})", 400)
    return row_id


def assign(row: object, spec: Mapping[str, Any], keys: Iterable[str], convert: Callable[[Any], Any]) -> None:
    """`row.<key> = convert(spec[key])` for each of `keys` sent and not null (Kasm's partial updates)."""
    for key in keys:
        if spec.get(key) is not None:
            setattr(row, key, convert(spec[key]))
