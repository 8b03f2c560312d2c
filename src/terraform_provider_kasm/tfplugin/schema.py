"""The schema model: what a provider, resource or data source accepts and stores.

``Schema`` (top level) and ``Block`` (nested blocks) hold ``attributes`` and ``blocks``; an ``Attribute``
has either a ``type`` or ``nested`` attributes (``NestedAttributes``, protocol 6). Descriptions are kept
on every element (``description`` plain text, ``markdown_description`` optional) for docs generation.
Validators run during Terraform's validate step on wholly known, non-null values; plan modifiers shape
the plan (see DESIGN.md, "Default planning").
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .diagnostics import AttributePath, Diagnostics, Key, format_path
from .types import UNKNOWN, Bool, List, Map, Number, Object, Set, String, Type

__all__ = [  # the types are re-exported so schema code can say s.String with one import
    "Attribute",
    "Block",
    "Bool",
    "FuncValidator",
    "IntBetween",
    "LengthBetween",
    "List",
    "Map",
    "NestedAttributes",
    "NestingMode",
    "Number",
    "Object",
    "OneOf",
    "PlanModifier",
    "RegexMatches",
    "RequiresReplace",
    "RequiresReplaceIf",
    "Schema",
    "Set",
    "String",
    "UseStateForUnknown",
    "Validator",
]


class NestingMode(enum.IntEnum):
    # Values are tfplugin6's Schema.NestedBlock.NestingMode numbers (Object.NestingMode shares 1-4).
    SINGLE = 1
    LIST = 2
    SET = 3
    MAP = 4
    GROUP = 5


# ---------------------------------------------------------------------------------------------------
# validators


class Validator:
    """Checks a wholly known, non-null value; adds error diagnostics at ``path``.

    Subclass and implement :meth:`validate`, or wrap a function with :class:`FuncValidator`.
    """

    description: str = ""

    def validate(self, value: Any, path: AttributePath, diags: Diagnostics) -> None:
        raise NotImplementedError


def _label(path: AttributePath) -> str:
    return f"Attribute {format_path(path)}" if path else "Value"


@dataclass(frozen=True)
class LengthBetween(Validator):
    """A string's length in characters, or a list's, set's or map's number of elements."""

    min: int = 0
    max: int | None = None

    @property
    def description(self) -> str:  # type: ignore[override]
        if self.max is None:
            return f"length must be at least {self.min}"
        return f"length must be between {self.min} and {self.max}"

    def validate(self, value: Any, path: AttributePath, diags: Diagnostics) -> None:
        if not isinstance(value, str | list | dict):
            return
        n = len(value)
        if n < self.min or (self.max is not None and n > self.max):
            unit = "characters" if isinstance(value, str) else "elements"
            bound = f"at least {self.min}" if self.max is None else f"between {self.min} and {self.max}"
            diags.error(
                "Invalid attribute value length",
                f"{_label(path)} must be {bound} {unit} long, got {n}.",
                path,
            )


@dataclass(frozen=True)
class IntBetween(Validator):
    """A whole number within [min, max] (either bound may be None)."""

    min: int | None = None
    max: int | None = None

    @property
    def description(self) -> str:  # type: ignore[override]
        return f"a whole number between {self.min} and {self.max}"

    def validate(self, value: Any, path: AttributePath, diags: Diagnostics) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            diags.error("Invalid attribute value", f"{_label(path)} must be a whole number.", path)
            return
        if (self.min is not None and value < self.min) or (self.max is not None and value > self.max):
            diags.error(
                "Invalid attribute value",
                f"{_label(path)} must be between {self.min} and {self.max}, got {value}.",
                path,
            )


class OneOf(Validator):
    """The value is one of the given values."""

    def __init__(self, *values: Any) -> None:
        self.values = tuple(values)

    @property
    def description(self) -> str:  # type: ignore[override]
        return "one of " + ", ".join(repr(v) for v in self.values)

    def validate(self, value: Any, path: AttributePath, diags: Diagnostics) -> None:
        if value not in self.values:
            allowed = ", ".join(f'"{v}"' if isinstance(v, str) else str(v) for v in self.values)
            diags.error("Invalid attribute value", f"{_label(path)} must be one of: {allowed}.", path)


class RegexMatches(Validator):
    """A string matching a regular expression (``re.search``: anchor it if needed)."""

    def __init__(self, pattern: str | re.Pattern[str], message: str | None = None) -> None:
        self.pattern = re.compile(pattern) if isinstance(pattern, str) else pattern
        self.message = message

    @property
    def description(self) -> str:  # type: ignore[override]
        return self.message or f"must match {self.pattern.pattern}"

    def validate(self, value: Any, path: AttributePath, diags: Diagnostics) -> None:
        if isinstance(value, str) and not self.pattern.search(value):
            what = self.message or f"must match the regular expression {self.pattern.pattern!r}"
            diags.error("Invalid attribute value", f"{_label(path)} {what}.", path)


class FuncValidator(Validator):
    """A custom check: ``fn(value)`` returns an error message (or None when the value is fine)."""

    def __init__(self, fn: Callable[[Any], str | None], description: str = "") -> None:
        self.fn = fn
        self.description = description

    def validate(self, value: Any, path: AttributePath, diags: Diagnostics) -> None:
        message = self.fn(value)
        if message:
            diags.error("Invalid attribute value", f"{_label(path)}: {message}", path)


# ---------------------------------------------------------------------------------------------------
# plan modifiers


class PlanModifier:
    description: str = ""


class RequiresReplace(PlanModifier):
    """A change of this attribute on an existing resource replaces the resource."""

    description = "Changing this value replaces the resource."

    def requires_replace(self, prior: Any, planned: Any) -> bool:
        return True


class RequiresReplaceIf(RequiresReplace):
    """Replace only when ``fn(prior_value, planned_value)`` says so."""

    def __init__(self, fn: Callable[[Any, Any], bool], description: str = "") -> None:
        self.fn = fn
        self.description = description or "Some changes of this value replace the resource."

    def requires_replace(self, prior: Any, planned: Any) -> bool:
        return bool(self.fn(prior, planned))


class UseStateForUnknown(PlanModifier):
    """A computed value that keeps its prior value in update plans instead of becoming unknown."""

    description = "Keeps its value across updates."


# ---------------------------------------------------------------------------------------------------
# schema elements


@dataclass(kw_only=True)
class _Described:
    description: str = ""
    markdown_description: str | None = None


@dataclass
class Attribute(_Described):
    type: Type | None = None
    nested: NestedAttributes | None = None
    required: bool = False
    optional: bool = False
    computed: bool = False
    sensitive: bool = False
    write_only: bool = False
    #: Deprecation message; a configured deprecated attribute gets a warning with it.
    deprecated: str | None = None
    #: Planned when the configuration leaves the attribute null (needs optional and computed).
    default: Any = None
    plan_modifiers: Sequence[PlanModifier] = ()
    validators: Sequence[Validator] = ()

    def __post_init__(self) -> None:
        if (self.type is None) == (self.nested is None):
            raise ValueError("an Attribute needs exactly one of type and nested")
        if self.required and (self.optional or self.computed):
            raise ValueError("a required attribute cannot also be optional or computed")
        if not (self.required or self.optional or self.computed):
            raise ValueError("an attribute must be required, optional or computed")
        if self.default is not None and not (self.optional and self.computed):
            raise ValueError("an attribute with a default must be optional and computed")
        if self.write_only and self.computed:
            raise ValueError("a write-only attribute cannot be computed")

    @cached_property
    def value_type(self) -> Type:
        if self.nested is not None:
            return self.nested.value_type
        assert self.type is not None
        return self.type

    @cached_property
    def requires_replace(self) -> tuple[RequiresReplace, ...]:
        return tuple(m for m in self.plan_modifiers if isinstance(m, RequiresReplace))

    @cached_property
    def use_state_for_unknown(self) -> bool:
        return any(isinstance(m, UseStateForUnknown) for m in self.plan_modifiers)


def _object_type(attributes: Mapping[str, Attribute], blocks: Mapping[str, Block]) -> Object:
    types: dict[str, Type] = {name: a.value_type for name, a in attributes.items()}
    types.update({name: b.value_type for name, b in blocks.items()})
    return Object(types)


def _wrap(nesting: NestingMode, obj: Object) -> Type:
    if nesting in (NestingMode.SINGLE, NestingMode.GROUP):
        return obj
    if nesting is NestingMode.LIST:
        return List(obj)
    if nesting is NestingMode.SET:
        return Set(obj)
    return Map(obj)


@dataclass
class NestedAttributes:
    """Attributes nested in an attribute (``= { … }`` or ``= [{ … }]`` in configuration)."""

    nesting: NestingMode
    attributes: dict[str, Attribute]

    def __post_init__(self) -> None:
        if self.nesting is NestingMode.GROUP:
            raise ValueError("nested attributes cannot use NestingMode.GROUP")

    @property
    def blocks(self) -> dict[str, Block]:
        return {}

    @cached_property
    def object_type(self) -> Object:
        return _object_type(self.attributes, {})

    @cached_property
    def value_type(self) -> Type:
        return _wrap(self.nesting, self.object_type)


@dataclass
class Block(_Described):
    """A nested block (``name { … }`` in configuration)."""

    nesting: NestingMode
    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: dict[str, Block] = field(default_factory=dict)
    min_items: int = 0
    max_items: int = 0
    deprecated: str | None = None

    @cached_property
    def object_type(self) -> Object:
        return _object_type(self.attributes, self.blocks)

    @cached_property
    def value_type(self) -> Type:
        return _wrap(self.nesting, self.object_type)


@dataclass
class Schema(_Described):
    """The top-level schema of a provider, resource or data source."""

    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: dict[str, Block] = field(default_factory=dict)
    version: int = 0
    deprecated: str | None = None

    @cached_property
    def value_type(self) -> Object:
        """The object type of a whole configuration, plan or state (cty's implied type)."""
        return _object_type(self.attributes, self.blocks)

    def empty_value(self) -> dict[str, Any]:
        """An object with every attribute null and every block absent."""
        return empty_object(self)


Container = Schema | Block | NestedAttributes


def empty_object(container: Container) -> dict[str, Any]:
    value: dict[str, Any] = dict.fromkeys(container.attributes)
    for name, block in container.blocks.items():
        if block.nesting in (NestingMode.LIST, NestingMode.SET):
            value[name] = []
        elif block.nesting is NestingMode.MAP:
            value[name] = {}
        elif block.nesting is NestingMode.GROUP:
            value[name] = empty_object(block)
        else:
            value[name] = None
    return value


def complete_object(container: Container, value: Mapping[str, Any], fallback: Mapping[str, Any] | None) -> dict[str, Any]:
    """``value`` with every key of ``container``: missing keys come from ``fallback``, else are empty."""
    empty = empty_object(container)
    out: dict[str, Any] = {}
    for name in empty:
        if name in value:
            out[name] = value[name]
        elif fallback is not None and name in fallback:
            out[name] = fallback[name]
        else:
            out[name] = empty[name]
    return out


def elements(
    nesting: NestingMode, value: Any, other: Any
) -> Iterator[tuple[tuple[Key | int, ...], dict[str, Any], Any]]:
    """The objects inside a nested value, each with its path steps and the matching ``other`` object.

    ``other`` (a prior state or configuration of the same shape) is aligned by index for lists and sets
    and by key for maps; set elements get no path step (Terraform cannot point into a set by index).
    """
    if value is None or value is UNKNOWN:
        return
    if nesting in (NestingMode.SINGLE, NestingMode.GROUP):
        if isinstance(value, dict):
            yield (), value, other if isinstance(other, dict) else None
    elif nesting in (NestingMode.LIST, NestingMode.SET):
        others = other if isinstance(other, list) and len(other) == len(value) else None
        for i, element in enumerate(value):
            if isinstance(element, dict):
                step: tuple[Key | int, ...] = (i,) if nesting is NestingMode.LIST else ()
                yield step, element, others[i] if others is not None else None
    elif isinstance(value, dict):
        for k, element in value.items():
            if isinstance(element, dict):
                yield (Key(k),), element, other.get(k) if isinstance(other, dict) else None


def children(container: Container) -> Iterator[tuple[str, NestingMode, Container]]:
    """The nested containers of a container: nested attributes and blocks, with their nesting."""
    for name, attr in container.attributes.items():
        if attr.nested is not None:
            yield name, attr.nested.nesting, attr.nested
    for name, block in container.blocks.items():
        yield name, block.nesting, block
