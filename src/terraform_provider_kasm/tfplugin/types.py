"""Terraform's type system (cty types) as Python objects, the UNKNOWN value, and the type JSON encoding.

Values are plain Python: ``None`` is null, :data:`UNKNOWN` is an unknown value, ``str``, ``bool``,
``int`` (any size), ``float``/``decimal.Decimal`` for non-integers, ``list`` for lists, sets and tuples,
``dict`` for maps and objects. A value of a ``Dynamic`` attribute whose runtime type cannot be told
from the Python value alone (a list, set or map, or a typed null or unknown) is a :class:`Typed`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final


class _Unknown:
    """The unknown value: a placeholder for a value known only after apply."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __copy__(self) -> _Unknown:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> _Unknown:
        return self

    def __reduce__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Final = _Unknown()


def is_unknown(value: object) -> bool:
    return value is UNKNOWN


class Type:
    """A Terraform type. Instances are immutable and compare by structure."""

    def to_json(self) -> Any:
        """The type in Terraform's type-constraint JSON form (as a Python structure)."""
        raise NotImplementedError

    def json_bytes(self) -> bytes:
        """The compact type JSON Terraform expects in ``Schema.Attribute.type``."""
        return json.dumps(self.to_json(), separators=(",", ":")).encode()

    def __repr__(self) -> str:
        return json.dumps(self.to_json())


@dataclass(frozen=True, repr=False)
class Primitive(Type):
    name: str

    def to_json(self) -> Any:
        return self.name


String: Final = Primitive("string")
Number: Final = Primitive("number")
Bool: Final = Primitive("bool")
#: cty's DynamicPseudoType: any type, decided at run time.
Dynamic: Final = Primitive("dynamic")


@dataclass(frozen=True, repr=False)
class List(Type):
    element: Type

    def to_json(self) -> Any:
        return ["list", self.element.to_json()]


@dataclass(frozen=True, repr=False)
class Set(Type):
    element: Type

    def to_json(self) -> Any:
        return ["set", self.element.to_json()]


@dataclass(frozen=True, repr=False)
class Map(Type):
    element: Type

    def to_json(self) -> Any:
        return ["map", self.element.to_json()]


@dataclass(frozen=True, repr=False)
class Object(Type):
    attributes: dict[str, Type]
    #: Attributes that may be omitted in a type conversion (type constraints only, never in values).
    optional: frozenset[str] = field(default_factory=frozenset)

    def __hash__(self) -> int:
        return hash((tuple(sorted(self.attributes.items(), key=lambda kv: kv[0])), self.optional))

    def to_json(self) -> Any:
        attrs = {name: t.to_json() for name, t in self.attributes.items()}
        if self.optional:
            return ["object", attrs, sorted(self.optional)]
        return ["object", attrs]


@dataclass(frozen=True, repr=False)
class Tuple(Type):
    elements: tuple[Type, ...]

    def __init__(self, elements: tuple[Type, ...] | list[Type]) -> None:
        object.__setattr__(self, "elements", tuple(elements))

    def to_json(self) -> Any:
        return ["tuple", [t.to_json() for t in self.elements]]


@dataclass(frozen=True)
class Typed:
    """A value of a ``Dynamic`` attribute together with its runtime type.

    Decoding yields a ``Typed`` only where the plain Python value would not tell the type again
    (lists, sets, maps, typed nulls and unknowns); encoding accepts ``Typed`` anywhere a ``Dynamic``
    value goes and infers the type of a plain value (``list`` → tuple, ``dict`` → object).
    """

    type: Type
    value: Any


class TypeJSONError(ValueError):
    pass


def type_from_json(data: Any) -> Type:
    """Parses Terraform's type-constraint JSON (already loaded with ``json.loads``)."""
    if isinstance(data, str):
        if data in ("string", "number", "bool", "dynamic"):
            return Primitive(data)
        raise TypeJSONError(f"unknown primitive type {data!r}")
    if isinstance(data, list) and len(data) >= 2 and isinstance(data[0], str):
        kind = data[0]
        if kind == "list":
            return List(type_from_json(data[1]))
        if kind == "set":
            return Set(type_from_json(data[1]))
        if kind == "map":
            return Map(type_from_json(data[1]))
        if kind == "object" and isinstance(data[1], dict):
            optional = frozenset(data[2]) if len(data) > 2 and isinstance(data[2], list) else frozenset()
            return Object({k: type_from_json(v) for k, v in data[1].items()}, optional)
        if kind == "tuple" and isinstance(data[1], list):
            return Tuple([type_from_json(v) for v in data[1]])
    raise TypeJSONError(f"not a type: {data!r}")


def type_from_json_bytes(raw: bytes | str) -> Type:
    return type_from_json(json.loads(raw))


def infer_type(value: Any) -> Type:
    """The type a plain Python value gets where the schema says ``Dynamic``."""
    if isinstance(value, Typed):
        return value.type
    if value is None or value is UNKNOWN:
        return Dynamic
    if isinstance(value, bool):
        return Bool
    if isinstance(value, int | float | Decimal):
        return Number
    if isinstance(value, str):
        return String
    if isinstance(value, list | tuple):
        return Tuple([infer_type(v) for v in value])
    if isinstance(value, dict):
        return Object({str(k): infer_type(v) for k, v in value.items()})
    raise TypeError(f"cannot infer a Terraform type for a {type(value).__name__}")
