"""The DynamicValue codec: cty's msgpack and JSON forms to and from plain Python values, driven by a type.

msgpack (what Terraform sends and what we answer with): null is nil; an unknown is any extension
(code 0 plain, code 12 refined; refinements are dropped); numbers are ints, floats or decimal strings
(for values an int64/float64 cannot hold exactly); a ``dynamic`` value is ``[type JSON (bin), value]``.
JSON (stored state, ``UpgradeResourceState``): the same shapes, a ``dynamic`` value is
``{"value": …, "type": …}``, and there are no unknowns.

Numbers decode to ``int`` when integral, ``float`` when the float is the exact value, else
``decimal.Decimal``; they encode back to the exact same value.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import msgpack

from .types import (
    UNKNOWN,
    Bool,
    Dynamic,
    List,
    Map,
    Number,
    Object,
    Set,
    String,
    Tuple,
    Type,
    Typed,
    infer_type,
    type_from_json,
    type_from_json_bytes,
)


class CodecError(ValueError):
    """A value that does not fit its type; the message names the path, never the value."""


Path = tuple[str | int, ...]
_INT64_MIN = -(2**63)
_UINT64_MAX = 2**64 - 1
_UNKNOWN_EXT = msgpack.ExtType(0, b"\x00")


def _where(path: tuple[str | int, ...]) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out or "(root)"


# ---------------------------------------------------------------------------------------------------
# numbers


def normalize_number(value: int | float | Decimal | str) -> int | float | Decimal:
    """The canonical Python form of a Terraform number (see the module docstring)."""
    if isinstance(value, bool):
        raise TypeError("a bool is not a number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            raise ValueError("NaN is not a Terraform number")
        if math.isfinite(value) and value.is_integer():
            return int(value)
        return value
    d = Decimal(value) if isinstance(value, str) else value
    if not d.is_finite():
        if d.is_nan():
            raise ValueError("NaN is not a Terraform number")
        return float(d)
    if d == d.to_integral_value():
        return int(d)
    f = float(d)
    if math.isfinite(f) and Decimal(f) == d:
        return f
    return d


def _number_to_wire(value: Any, path: tuple[str | int, ...]) -> int | float | str:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise CodecError(f"{_where(path)}: expected a number, got {type(value).__name__}")
    if isinstance(value, float):
        if math.isnan(value):
            raise CodecError(f"{_where(path)}: NaN is not a Terraform number")
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            if value.is_nan():
                raise CodecError(f"{_where(path)}: NaN is not a Terraform number")
            return float(value)
        if value != value.to_integral_value():
            f = float(value)
            return f if Decimal(f) == value else format(value, "f")
        value = int(value)
    return value if _INT64_MIN <= value <= _UINT64_MAX else str(value)


def _number_from_wire(raw: Any, path: tuple[str | int, ...]) -> int | float | Decimal:
    if isinstance(raw, bool):
        raise CodecError(f"{_where(path)}: expected a number, got a bool")
    if isinstance(raw, int | float | str):
        try:
            return normalize_number(raw)
        except (ValueError, InvalidOperation):
            raise CodecError(f"{_where(path)}: not a number") from None
    if isinstance(raw, Decimal):
        return normalize_number(raw)
    raise CodecError(f"{_where(path)}: expected a number, got {type(raw).__name__}")


def _number_to_json_text(value: Any, path: tuple[str | int, ...]) -> str:
    wire = _number_to_wire(value, path)
    if isinstance(wire, float):
        if not math.isfinite(wire):
            raise CodecError(f"{_where(path)}: an infinite number has no JSON form")
        # The exact decimal expansion, so that decoding gives back the very same float.
        return format(Decimal(wire), "f")
    return str(wire)


# ---------------------------------------------------------------------------------------------------
# msgpack


def wrap_dynamic(value: Any, actual: Type) -> Any:
    """How a value of runtime type ``actual`` in a ``Dynamic`` attribute decodes: plain when the plain
    value infers back to ``actual``, else ``Typed(actual, value)``."""
    if value is None or value is UNKNOWN:
        return Typed(actual, value) if actual != Dynamic else value
    try:
        if infer_type(value) == actual:
            return value
    except TypeError:
        pass
    return Typed(actual, value)


def _unknown(path: Path, refined: Mapping[Path, msgpack.ExtType] | None) -> msgpack.ExtType:
    if refined:
        return refined.get(path, _UNKNOWN_EXT)
    return _UNKNOWN_EXT


def _from_wire(raw: Any, t: Type, path: Path, refined: dict[Path, msgpack.ExtType] | None) -> Any:
    if raw is None:
        return None
    if isinstance(raw, msgpack.ExtType):
        if refined is not None and raw.code != 0:
            refined[path] = raw
        return UNKNOWN
    if t == Dynamic:
        if not isinstance(raw, list) or len(raw) != 2:
            raise CodecError(f"{_where(path)}: a dynamic value must be [type, value]")
        type_json, inner = raw
        try:
            actual = type_from_json_bytes(type_json)
        except ValueError:
            raise CodecError(f"{_where(path)}: invalid dynamic type") from None
        return wrap_dynamic(_from_wire(inner, actual, path, refined), actual)
    if t == String:
        if not isinstance(raw, str):
            raise CodecError(f"{_where(path)}: expected a string, got {type(raw).__name__}")
        return raw
    if t == Number:
        return _number_from_wire(raw, path)
    if t == Bool:
        if not isinstance(raw, bool):
            raise CodecError(f"{_where(path)}: expected a bool, got {type(raw).__name__}")
        return raw
    if isinstance(t, List | Set):
        if not isinstance(raw, list):
            raise CodecError(f"{_where(path)}: expected a list, got {type(raw).__name__}")
        inner_refined = refined if isinstance(t, List) else None  # set elements have no stable position
        return [_from_wire(v, t.element, (*path, i), inner_refined) for i, v in enumerate(raw)]
    if isinstance(t, Map):
        if not isinstance(raw, dict):
            raise CodecError(f"{_where(path)}: expected a map, got {type(raw).__name__}")
        return {k: _from_wire(v, t.element, (*path, k), refined) for k, v in raw.items()}
    if isinstance(t, Object):
        if not isinstance(raw, dict):
            raise CodecError(f"{_where(path)}: expected an object, got {type(raw).__name__}")
        return {
            name: _from_wire(raw.get(name), at, (*path, name), refined) for name, at in t.attributes.items()
        }
    if isinstance(t, Tuple):
        if not isinstance(raw, list) or len(raw) != len(t.elements):
            raise CodecError(f"{_where(path)}: expected a tuple of {len(t.elements)} elements")
        return [
            _from_wire(v, et, (*path, i), refined)
            for i, (v, et) in enumerate(zip(raw, t.elements, strict=True))
        ]
    raise CodecError(f"{_where(path)}: unsupported type {t!r}")


def _to_wire(value: Any, t: Type, path: Path, refined: Mapping[Path, msgpack.ExtType] | None) -> Any:
    if t == Dynamic:
        if value is None or value is UNKNOWN:
            return None if value is None else _unknown(path, refined)
        if isinstance(value, Typed):
            actual, inner = value.type, value.value
        else:
            actual, inner = infer_type(value), value
        if actual == Dynamic:
            return _to_wire(inner, actual, path, refined)
        return [actual.json_bytes(), _to_wire(inner, actual, path, refined)]
    if isinstance(value, Typed):
        value = value.value
    if value is None:
        return None
    if value is UNKNOWN:
        return _unknown(path, refined)
    if t == String:
        if not isinstance(value, str):
            raise CodecError(f"{_where(path)}: expected a string, got {type(value).__name__}")
        return value
    if t == Number:
        return _number_to_wire(value, path)
    if t == Bool:
        if not isinstance(value, bool):
            raise CodecError(f"{_where(path)}: expected a bool, got {type(value).__name__}")
        return value
    if isinstance(t, List | Set):
        if not isinstance(value, list | tuple | set | frozenset):
            raise CodecError(f"{_where(path)}: expected a list, got {type(value).__name__}")
        inner_refined = refined if isinstance(t, List) else None
        return [_to_wire(v, t.element, (*path, i), inner_refined) for i, v in enumerate(value)]
    if isinstance(t, Map):
        if not isinstance(value, dict):
            raise CodecError(f"{_where(path)}: expected a map, got {type(value).__name__}")
        return {str(k): _to_wire(value[k], t.element, (*path, str(k)), refined) for k in sorted(value)}
    if isinstance(t, Object):
        if not isinstance(value, dict):
            raise CodecError(f"{_where(path)}: expected an object, got {type(value).__name__}")
        return {
            name: _to_wire(value.get(name), at, (*path, name), refined) for name, at in t.attributes.items()
        }
    if isinstance(t, Tuple):
        if not isinstance(value, list | tuple) or len(value) != len(t.elements):
            raise CodecError(f"{_where(path)}: expected a tuple of {len(t.elements)} elements")
        return [
            _to_wire(v, et, (*path, i), refined)
            for i, (v, et) in enumerate(zip(value, t.elements, strict=True))
        ]
    raise CodecError(f"{_where(path)}: unsupported type {t!r}")


def _ext_hook(code: int, data: bytes) -> msgpack.ExtType:
    return msgpack.ExtType(code, data)


def decode_msgpack(data: bytes, t: Type, refined: dict[Path, msgpack.ExtType] | None = None) -> Any:
    """Decodes a DynamicValue's msgpack bytes as a value of type ``t``.

    Refined unknowns decode as plain ``UNKNOWN``; pass a dict as ``refined`` to collect them by path
    (outside sets), so that :func:`encode_msgpack` can send the very same refinements back.
    """
    try:
        raw = msgpack.unpackb(data, raw=False, ext_hook=_ext_hook, strict_map_key=False)
    except Exception as e:  # msgpack raises several unrelated exception types for bad input
        raise CodecError(f"invalid msgpack: {type(e).__name__}") from None
    return _from_wire(raw, t, (), refined)


def encode_msgpack(value: Any, t: Type, refined: Mapping[Path, msgpack.ExtType] | None = None) -> bytes:
    """Encodes a value of type ``t`` in cty's msgpack form; an unknown at a path in ``refined`` is sent
    with that path's refinements (Terraform requires a planned value to keep the configuration's)."""
    return msgpack.packb(_to_wire(value, t, (), refined), use_bin_type=True)


# ---------------------------------------------------------------------------------------------------
# JSON


def _from_json(raw: Any, t: Type, path: tuple[str | int, ...]) -> Any:
    if raw is None:
        return None
    if t == Dynamic:
        if not isinstance(raw, dict) or "type" not in raw:
            raise CodecError(f'{_where(path)}: a dynamic value must be {{"value": …, "type": …}}')
        try:
            actual = type_from_json(raw["type"])
        except ValueError:
            raise CodecError(f"{_where(path)}: invalid dynamic type") from None
        return wrap_dynamic(_from_json(raw.get("value"), actual, path), actual)
    if t == String:
        if isinstance(raw, bool):  # cty's JSON decoder converts primitives to strings
            return "true" if raw else "false"
        if isinstance(raw, int | Decimal):
            return str(raw)
        if not isinstance(raw, str):
            raise CodecError(f"{_where(path)}: expected a string, got {type(raw).__name__}")
        return raw
    if t == Number:
        return _number_from_wire(raw, path)
    if t == Bool:
        if isinstance(raw, str) and raw in ("true", "false"):
            return raw == "true"
        if not isinstance(raw, bool):
            raise CodecError(f"{_where(path)}: expected a bool, got {type(raw).__name__}")
        return raw
    if isinstance(t, List | Set):
        if not isinstance(raw, list):
            raise CodecError(f"{_where(path)}: expected a list, got {type(raw).__name__}")
        return [_from_json(v, t.element, (*path, i)) for i, v in enumerate(raw)]
    if isinstance(t, Map):
        if not isinstance(raw, dict):
            raise CodecError(f"{_where(path)}: expected a map, got {type(raw).__name__}")
        return {k: _from_json(v, t.element, (*path, k)) for k, v in raw.items()}
    if isinstance(t, Object):
        if not isinstance(raw, dict):
            raise CodecError(f"{_where(path)}: expected an object, got {type(raw).__name__}")
        return {name: _from_json(raw.get(name), at, (*path, name)) for name, at in t.attributes.items()}
    if isinstance(t, Tuple):
        if not isinstance(raw, list) or len(raw) != len(t.elements):
            raise CodecError(f"{_where(path)}: expected a tuple of {len(t.elements)} elements")
        return [_from_json(v, et, (*path, i)) for i, (v, et) in enumerate(zip(raw, t.elements, strict=True))]
    raise CodecError(f"{_where(path)}: unsupported type {t!r}")


def _to_json_text(value: Any, t: Type, path: tuple[str | int, ...], out: list[str]) -> None:
    if value is UNKNOWN or (isinstance(value, Typed) and value.value is UNKNOWN):
        raise CodecError(f"{_where(path)}: an unknown value has no JSON form")
    if t == Dynamic:
        if value is None:
            out.append("null")
            return
        actual, inner = (value.type, value.value) if isinstance(value, Typed) else (infer_type(value), value)
        out.append('{"value":')
        _to_json_text(inner, actual, path, out)
        out.append(',"type":')
        out.append(json.dumps(actual.to_json(), separators=(",", ":")))
        out.append("}")
        return
    if isinstance(value, Typed):
        value = value.value
    if value is None:
        out.append("null")
    elif t == String:
        if not isinstance(value, str):
            raise CodecError(f"{_where(path)}: expected a string, got {type(value).__name__}")
        out.append(json.dumps(value, ensure_ascii=False))
    elif t == Number:
        out.append(_number_to_json_text(value, path))
    elif t == Bool:
        if not isinstance(value, bool):
            raise CodecError(f"{_where(path)}: expected a bool, got {type(value).__name__}")
        out.append("true" if value else "false")
    elif isinstance(t, List | Set | Tuple):
        if not isinstance(value, list | tuple | set | frozenset):
            raise CodecError(f"{_where(path)}: expected a list, got {type(value).__name__}")
        types = t.elements if isinstance(t, Tuple) else [t.element] * len(value)
        if len(types) != len(value):
            raise CodecError(f"{_where(path)}: expected a tuple of {len(types)} elements")
        out.append("[")
        for i, (v, et) in enumerate(zip(value, types, strict=True)):
            if i:
                out.append(",")
            _to_json_text(v, et, (*path, i), out)
        out.append("]")
    elif isinstance(t, Map | Object):
        if not isinstance(value, dict):
            raise CodecError(f"{_where(path)}: expected an object, got {type(value).__name__}")
        items = [(k, t.element) for k in sorted(value)] if isinstance(t, Map) else list(t.attributes.items())
        out.append("{")
        for i, (k, et) in enumerate(items):
            if i:
                out.append(",")
            out.append(json.dumps(k, ensure_ascii=False))
            out.append(":")
            _to_json_text(value.get(k), et, (*path, k), out)
        out.append("}")
    else:
        raise CodecError(f"{_where(path)}: unsupported type {t!r}")


def loads_json(data: bytes | str) -> Any:
    """``json.loads`` keeping every number exact (non-integers as Decimal)."""
    try:
        return json.loads(data, parse_float=Decimal)
    except json.JSONDecodeError as e:
        raise CodecError(f"invalid JSON: {e.msg} at position {e.pos}") from None
    except UnicodeDecodeError:
        raise CodecError("invalid JSON: not UTF-8") from None


def decode_json(data: bytes | str, t: Type) -> Any:
    """Decodes cty's JSON form (e.g. stored state) as a value of type ``t``."""
    return _from_json(loads_json(data), t, ())


def from_json_value(raw: Any, t: Type) -> Any:
    """Converts an already-loaded JSON structure (see :func:`loads_json`) to a value of type ``t``."""
    return _from_json(raw, t, ())


def encode_json(value: Any, t: Type) -> bytes:
    """Encodes a wholly known value of type ``t`` in cty's JSON form."""
    out: list[str] = []
    _to_json_text(value, t, (), out)
    return "".join(out).encode()


# ---------------------------------------------------------------------------------------------------
# comparison


def _canonical(value: Any, t: Type) -> bytes:
    return msgpack.packb(_to_wire(value, t, (), None), use_bin_type=True)


def values_equal(a: Any, b: Any, t: Type) -> bool:
    """Whether two values of type ``t`` are the same Terraform value (sets compare unordered).

    An unknown equals nothing, not even another unknown, as in Terraform.
    """
    if a is UNKNOWN or b is UNKNOWN:
        return False
    if isinstance(a, Typed) or isinstance(b, Typed) or t == Dynamic:
        return _contains_no_unknown(a) and _contains_no_unknown(b) and _canonical(a, t) == _canonical(b, t)
    if a is None or b is None:
        return a is None and b is None
    if isinstance(t, Set):
        if len(a) != len(b) or not (_contains_no_unknown(a) and _contains_no_unknown(b)):
            return False
        return sorted(_canonical(v, t.element) for v in a) == sorted(_canonical(v, t.element) for v in b)
    if isinstance(t, List | Tuple):
        types = t.elements if isinstance(t, Tuple) else [t.element] * len(a)
        return len(a) == len(b) == len(types) and all(
            values_equal(x, y, et) for x, y, et in zip(a, b, types, strict=True)
        )
    if isinstance(t, Map):
        return a.keys() == b.keys() and all(values_equal(a[k], b[k], t.element) for k in a)
    if isinstance(t, Object):
        return all(values_equal(a.get(k), b.get(k), at) for k, at in t.attributes.items())
    if t == Number:
        return bool(_number_to_wire(a, ()) == _number_to_wire(b, ()))
    return bool(a == b)


def _contains_no_unknown(value: Any) -> bool:
    return not contains_unknown(value)


def contains_unknown(value: Any) -> bool:
    """Whether a value is or holds an unknown anywhere."""
    if value is UNKNOWN:
        return True
    if isinstance(value, Typed):
        return contains_unknown(value.value)
    if isinstance(value, dict):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(contains_unknown(v) for v in value)
    return False
