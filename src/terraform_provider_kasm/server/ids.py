"""Kasm ids: stored as 32-char hex, accepted in either form (hex or dashed)."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from sqlalchemy.orm import Session

R = TypeVar("R")


def parse_id(value: Any) -> str | None:
    """A Kasm id in either form (hex or dashed) as 32-hex, or None if it is not a uuid."""
    if not isinstance(value, str):
        return None
    try:
        return uuid.UUID(value.strip()).hex
    except ValueError:
        return None


def dashed(hex_id: str) -> str:
    return str(uuid.UUID(hex_id))


def find_row(db: Session, table: type[R], value: Any) -> R | None:
    """The row whose id `value` is (either form); None when it is not a uuid or there is no such row."""
    row_id = parse_id(value)
    return db.get(table, row_id) if row_id else None
