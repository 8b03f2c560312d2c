"""Conversions between Kasm's JSON conventions and Python values (reference §1.8).

* ids: Kasm mixes ``50faa543…`` and ``50faa543-9c57-…``; we always expose 32-hex lowercase.
* datetimes: ``str(datetime)`` in naive UTC (``2020-11-12 14:29:25.808258``), sometimes ISO with
  ``Z``, sometimes the string ``"None"``; parsed to aware UTC datetimes.
* image fields ``run_config``/``exec_config``/``volume_mappings``/``launch_config`` are JSON
  *strings* on write and objects on read; ``categories`` is a newline string on write and a list
  on read. Both directions accept either form.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

_HEX32 = re.compile(r"^[0-9a-f]{32}$")


def is_none(value: Any) -> bool:
    """Kasm's spellings of "no value": null, "" and the string "None"."""
    return value is None or value == "" or value == "None"


def kasm_id(value: Any) -> str | None:
    """An id as 32 lowercase hex digits (dashes removed); None for Kasm's empty values."""
    if is_none(value):
        return None
    text = str(value).strip().lower().replace("-", "")
    return text


def require_id(value: str, what: str = "id") -> str:
    """Normalise an id given by a caller; ValueError if it is not a UUID in either form."""
    text = kasm_id(value)
    if text is None or not _HEX32.match(text):
        raise ValueError(f"{what} must be a UUID (32 hex digits, dashes optional), got {value!r}")
    return text


def dashed(value: str) -> str:
    """The dashed UUID form of a 32-hex id."""
    h = require_id(value)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def parse_datetime(value: Any) -> datetime | None:
    """A Kasm timestamp as an aware UTC datetime; None for null/"None"/unparseable values."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if is_none(value) or not isinstance(value, str):
        return None
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def format_datetime(value: datetime | None) -> str | None:
    """A datetime in Kasm's own format (naive UTC, space separator)."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(sep=" ")


def json_object(value: Any) -> dict[str, Any]:
    """A JSON-ish field read from Kasm: an object, a JSON string of one, or empty."""
    if is_none(value):
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return dict(value) if isinstance(value, Mapping) else {}


def json_string(value: Mapping[str, Any] | str | None) -> str:
    """A JSON-ish field for a write: Kasm 1.15 only accepts a JSON-encoded string."""
    if value is None:
        return "{}"
    if isinstance(value, str):
        # Already encoded by the caller: check it is valid JSON rather than double-encoding it.
        json.loads(value or "{}")
        return value or "{}"
    return json.dumps(dict(value), separators=(",", ":"))


def string_list(value: Any) -> tuple[str, ...]:
    """A list field read from Kasm: a JSON list or a newline-separated string."""
    if is_none(value):
        return ()
    if isinstance(value, str):
        items = value.split("\n")
    elif isinstance(value, list | tuple):
        items = [str(v) for v in value]
    else:
        return ()
    seen: dict[str, None] = {}
    for item in items:
        item = item.strip()
        if item:
            seen.setdefault(item, None)
    return tuple(seen)


def newline_string(values: Any) -> str:
    """A list for a write as Kasm's newline-separated string."""
    if values is None:
        return ""
    if isinstance(values, str):
        return values
    return "\n".join(str(v).strip() for v in values if str(v).strip())


def optional_str(value: Any) -> str | None:
    return None if value is None or value == "None" else str(value)


def to_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def optional_bool(value: Any) -> bool | None:
    return None if is_none(value) else to_bool(value)


def to_int(value: Any) -> int:
    if is_none(value):
        return 0
    return int(float(value))


def optional_int(value: Any) -> int | None:
    return None if is_none(value) else int(float(value))


def to_float(value: Any) -> float:
    return 0.0 if is_none(value) else float(value)


def optional_float(value: Any) -> float | None:
    return None if is_none(value) else float(value)


def dict_or_empty(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, Mapping) else {}


def tuple_of_dicts(value: Any) -> tuple[dict[str, Any], ...]:
    if not isinstance(value, list | tuple):
        return ()
    return tuple(dict(v) for v in value if isinstance(v, Mapping))
