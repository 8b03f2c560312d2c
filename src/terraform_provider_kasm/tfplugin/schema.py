"""The schema model: what a provider, resource or data source accepts and stores.

``Schema`` (top level) and ``Block`` (nested blocks) hold ``attributes`` and ``blocks``; an ``Attribute``
has either a ``type`` or ``nested`` attributes (``NestedAttributes``, protocol 6). Write
``markdown_description``; the plain ``description`` is derived from it (or give both). Value validators
run during Terraform's validate step on wholly known, non-null values; config validators
(``ConflictsWith``, ``ExactlyOneOf``, ``AtLeastOneOf``, ``RequiredWith``) check attributes together;
plan modifiers are objects whose ``plan_modify`` shapes one attribute's plan (see DESIGN.md,
"Default planning").
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .codec import contains_unknown, values_equal
from .diagnostics import AttributePath, Diagnostics, Key, format_path
from .types import UNKNOWN, Bool, List, Map, Number, Object, Set, String, Type

__all__ = [  # the types are re-exported so schema code can say s.String with one import
    "AtLeastOneOf",
    "Attribute",
    "Block",
    "Bool",
    "ConfigValidator",
    "ConflictsWith",
    "ExactlyOneOf",
    "FuncConfigValidator",
    "FuncPlanModifier",
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
    "PlanModifyRequest",
    "PlanModifyResponse",
    "RegexMatches",
    "RequiredWith",
    "RequiresReplace",
    "RequiresReplaceIf",
    "Schema",
    "SemanticEquality",
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

    def __init__(
        self, fn: Callable[[Any], str | None], description: str = "", *, summary: str | None = None
    ) -> None:
        self.fn = fn
        self.description = description
        # A summary of its own makes the message whole (no "<attribute>: " prefix).
        self.summary = summary

    def validate(self, value: Any, path: AttributePath, diags: Diagnostics) -> None:
        message = self.fn(value)
        if message and self.summary:
            diags.error(self.summary, message, path)
        elif message:
            diags.error("Invalid attribute value", f"{_label(path)}: {message}", path)


# ---------------------------------------------------------------------------------------------------
# config validators: rules between attributes of one object


def _as_path(p: str | Sequence[str]) -> tuple[str, ...]:
    return (p,) if isinstance(p, str) else tuple(p)


def _lookup(obj: Mapping[str, Any] | None, path: tuple[str, ...]) -> Any:
    """The value at ``path`` inside ``obj`` (None when a step is missing or null, UNKNOWN if unknown)."""
    value: Any = obj
    for step in path:
        if value is UNKNOWN:
            return UNKNOWN
        if not isinstance(value, Mapping):
            return None
        value = value.get(step)
    return value


def _names(paths: Sequence[tuple[str, ...]]) -> str:
    # The framework's notation for a list of path expressions: [a,b.c]
    return "[" + ",".join(".".join(p) for p in paths) + "]"


class ConfigValidator(Validator):
    """A rule over several attributes of one configuration object (``ConflictsWith``, ``ExactlyOneOf``,
    ``AtLeastOneOf``, ``RequiredWith``), as in terraform-plugin-framework-validators.

    On an attribute (in ``validators=[...]``) the attribute itself takes part, with the other paths
    (names of attributes of the same object, or tuples of names into nested single blocks); on a
    ``Schema`` or ``Block`` (``validators=[...]`` there) only the listed paths do. Null counts as
    absent; an unknown value delays the check (it runs again at plan time, when values are known).
    With ``on_create=True`` the rule holds only for a new object: it is checked when a create is
    planned, not at validate time. ``message`` replaces the generated sentence that says how to fix it.
    """

    summary = "Invalid Attribute Combination"

    def __init__(
        self,
        *paths: str | Sequence[str],
        on_create: bool = False,
        message: str | None = None,
        description: str | None = None,
    ) -> None:
        if not paths:
            raise ValueError(f"{type(self).__name__} needs at least one attribute path")
        self.paths = tuple(_as_path(p) for p in paths)
        self.on_create = on_create
        self.message = message
        # The docs' sentence for the rule, when the generated one would not read well.
        self.custom_description = description

    def validate(self, value: Any, path: AttributePath, diags: Diagnostics) -> None:
        """Config validators see the whole object: see :meth:`validate_config`."""

    def validate_config(
        self, obj: Mapping[str, Any], attribute: str | None, base: AttributePath, diags: Diagnostics
    ) -> None:
        """Checks ``obj`` (the configuration object at ``base``); ``attribute`` is the attribute the
        rule sits on (None for a rule on the schema or block)."""
        own = () if attribute is None else ((attribute,),)
        paths = [*own, *(p for p in self.paths if p not in own)]
        values = {p: _lookup(obj, p) for p in paths}
        if any(v is UNKNOWN or contains_unknown(v) for v in values.values()):
            return
        present = [p for p in paths if values[p] is not None]
        problem = self.check(paths, present, own[0] if own else None)
        if problem is None:
            return
        text, target = problem
        fix = self.message or self.fix(paths, present, own[0] if own else None)
        where = (*base, *target) if target is not None else (base or None)
        diags.error(self.summary, f"{text}. {fix}" if fix else f"{text}.", where)

    def check(
        self, paths: list[tuple[str, ...]], present: list[tuple[str, ...]], own: tuple[str, ...] | None
    ) -> tuple[str, tuple[str, ...] | None] | None:
        """(the problem, the path to point at) or None when the rule holds."""
        raise NotImplementedError

    def fix(
        self, paths: list[tuple[str, ...]], present: list[tuple[str, ...]], own: tuple[str, ...] | None
    ) -> str:
        return ""


def _q(path: tuple[str, ...]) -> str:
    return '"' + ".".join(path) + '"'


class ConflictsWith(ConfigValidator):
    """The attribute (or, on a schema, any two of the paths) may not be set together."""

    @property
    def description(self) -> str:  # type: ignore[override]
        if self.custom_description is not None:
            return self.custom_description
        return "cannot be set together with " + " or ".join(".".join(p) for p in self.paths)

    def check(
        self, paths: list[tuple[str, ...]], present: list[tuple[str, ...]], own: tuple[str, ...] | None
    ) -> Any:
        if own is None:
            if len(present) > 1:
                return f"These attributes cannot be configured together: {_names(present)}", present[-1]
            return None
        if own not in present:
            return None
        others = [p for p in present if p != own]
        if not others:
            return None
        return f"Attribute {_q(others[0])} cannot be specified when {_q(own)} is specified", own

    def fix(
        self, paths: list[tuple[str, ...]], present: list[tuple[str, ...]], own: tuple[str, ...] | None
    ) -> str:
        return "Remove all but one of " + ", ".join(".".join(p) for p in present) + "."


class ExactlyOneOf(ConfigValidator):
    """Exactly one of the attribute and the paths (or, on a schema, of the paths) is set."""

    @property
    def description(self) -> str:  # type: ignore[override]
        if self.custom_description is not None:
            return self.custom_description
        return "exactly one of " + ", ".join(".".join(p) for p in self.paths) + " must be set"

    def check(
        self, paths: list[tuple[str, ...]], present: list[tuple[str, ...]], own: tuple[str, ...] | None
    ) -> Any:
        if len(present) == 1:
            return None
        if own is None:
            return f"Exactly one of these attributes must be configured: {_names(paths)}", (
                present[-1] if present else None
            )
        if not present:
            return f"No attribute specified when one (and only one) of {_names(paths)} is required", own
        return (
            f"{len(present)} attributes specified when one (and only one) of {_names(paths)} is required",
            own,
        )

    def fix(
        self, paths: list[tuple[str, ...]], present: list[tuple[str, ...]], own: tuple[str, ...] | None
    ) -> str:
        if not present:
            return "Set one of " + ", ".join(".".join(p) for p in paths) + "."
        return "Remove all but one of " + ", ".join(".".join(p) for p in present) + "."


class AtLeastOneOf(ConfigValidator):
    """At least one of the attribute and the paths (or, on a schema, of the paths) is set."""

    @property
    def description(self) -> str:  # type: ignore[override]
        if self.custom_description is not None:
            return self.custom_description
        return "at least one of " + ", ".join(".".join(p) for p in self.paths) + " must be set"

    def check(
        self, paths: list[tuple[str, ...]], present: list[tuple[str, ...]], own: tuple[str, ...] | None
    ) -> Any:
        if present:
            return None
        if own is None:
            return f"At least one of these attributes must be configured: {_names(paths)}", None
        return f"At least one attribute out of {_names(paths)} must be specified", own

    def fix(
        self, paths: list[tuple[str, ...]], present: list[tuple[str, ...]], own: tuple[str, ...] | None
    ) -> str:
        return "Set one of " + ", ".join(".".join(p) for p in paths) + "."


class RequiredWith(ConfigValidator):
    """When the attribute is set, every path must be set too (the framework's ``AlsoRequires``,
    SDKv2's ``RequiredWith``); on a schema: the paths are set all together or not at all."""

    @property
    def description(self) -> str:  # type: ignore[override]
        if self.custom_description is not None:
            return self.custom_description
        return "needs " + " and ".join(".".join(p) for p in self.paths)

    def check(
        self, paths: list[tuple[str, ...]], present: list[tuple[str, ...]], own: tuple[str, ...] | None
    ) -> Any:
        if own is None:
            if present and len(present) != len(paths):
                return f"These attributes must be configured together: {_names(paths)}", present[0]
            return None
        if own not in present:
            return None
        missing = [p for p in paths if p not in present]
        if not missing:
            return None
        return f"Attribute {_q(missing[0])} must be specified when {_q(own)} is specified", own

    def fix(
        self, paths: list[tuple[str, ...]], present: list[tuple[str, ...]], own: tuple[str, ...] | None
    ) -> str:
        missing = [".".join(p) for p in paths if p not in present]
        if own is None:
            return "Set " + ", ".join(missing) + " as well, or none of them."
        return "Set " + ", ".join(missing) + f" as well, or remove {'.'.join(own)}."


class FuncConfigValidator(ConfigValidator):
    """A custom rule over the whole object: ``fn(obj)`` returns an error message or None.

    ``paths`` name the attributes it reads (an unknown one delays the check); the diagnostic points
    at the attribute the rule sits on, else at the first path.
    """

    def __init__(
        self,
        fn: Callable[[Mapping[str, Any]], str | None],
        *paths: str | Sequence[str],
        summary: str = "Invalid Attribute Combination",
        description: str = "",
        on_create: bool = False,
    ) -> None:
        super().__init__(*paths, on_create=on_create)
        self.fn = fn
        self.summary = summary
        self.description = description

    def validate_config(
        self, obj: Mapping[str, Any], attribute: str | None, base: AttributePath, diags: Diagnostics
    ) -> None:
        paths = [*(((attribute,),) if attribute else ()), *self.paths]
        if any(contains_unknown(_lookup(obj, p)) for p in paths):
            return
        message = self.fn(obj)
        if message:
            diags.error(self.summary, message, (*base, *paths[0]))

    def check(
        self, paths: list[tuple[str, ...]], present: list[tuple[str, ...]], own: tuple[str, ...] | None
    ) -> Any:
        return None


# ---------------------------------------------------------------------------------------------------
# plan modifiers


@dataclass
class PlanModifyRequest:
    """What a plan modifier sees (the framework's ``planmodifier.StringRequest`` and kin).

    ``config``, ``plan`` and ``state`` are the whole resource's values (``state`` is None on create);
    the ``*_value`` fields are this attribute's values in them.
    """

    path: AttributePath
    config_value: Any
    plan_value: Any
    state_value: Any
    config: Mapping[str, Any]
    plan: Mapping[str, Any]
    state: Mapping[str, Any] | None
    attribute: Attribute
    private: bytes = b""

    @property
    def creating(self) -> bool:
        return self.state is None


@dataclass
class PlanModifyResponse:
    """A plan modifier's answer: the attribute's planned value, whether it forces a replacement."""

    plan_value: Any
    requires_replace: bool = False
    diagnostics: Diagnostics = field(default_factory=Diagnostics)


class PlanModifier:
    """Adjusts one attribute's planned value. Subclass and implement :meth:`plan_modify`.

    Modifiers run in order after the layer's default plan (defaults applied, computed values left
    unknown), attribute by attribute in schema order, each seeing the plan as modified so far; then
    ``Resource.modify_plan`` runs. They do not run when the resource is destroyed.
    """

    description: str = ""

    def plan_modify(self, request: PlanModifyRequest) -> PlanModifyResponse:
        return PlanModifyResponse(request.plan_value)


class RequiresReplace(PlanModifier):
    """A change of this attribute on an existing resource replaces the resource."""

    description = "Changing this value replaces the resource."

    def requires_replace(self, prior: Any, planned: Any) -> bool:
        return True

    def plan_modify(self, request: PlanModifyRequest) -> PlanModifyResponse:
        response = PlanModifyResponse(request.plan_value)
        if request.state is None:
            return response  # a create replaces nothing
        before, after = request.state_value, request.plan_value
        if after is UNKNOWN and request.attribute.computed and request.config_value is None:
            return response  # unknown only because something else changed: not a change of this attribute
        if before is None and after is None:
            return response
        if values_equal(before, after, request.attribute.value_type):
            return response
        response.requires_replace = self.requires_replace(before, after)
        return response


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

    def plan_modify(self, request: PlanModifyRequest) -> PlanModifyResponse:
        response = PlanModifyResponse(request.plan_value)
        if request.state is None or request.state_value is None:
            return response  # nothing to keep on create, or a prior null
        if request.plan_value is not UNKNOWN or request.config_value is UNKNOWN:
            return response  # known already, or unknown because the configuration says so
        response.plan_value = request.state_value
        return response


class SemanticEquality(PlanModifier):
    """Plans the prior value while the configured one means the same, ``key(config) == key(prior)``
    (the framework's semantic equality): JSON differing only in key order or whitespace, say, is no
    change. Terraform accepts a planned value equal to the prior state's in place of a non-null
    configuration ("functionally equivalent"), for any attribute. ``key`` may raise ``ValueError``
    or ``TypeError`` for a value it cannot read (then the values differ). A resource's read and apply
    keep the prior spelling the same way (``provider.toolkit.keep_spelling``)."""

    def __init__(self, key: Callable[[Any], Any], description: str = "") -> None:
        self.key = key
        self.description = description or "A value that means the same as the current one is no change."

    def plan_modify(self, request: PlanModifyRequest) -> PlanModifyResponse:
        response = PlanModifyResponse(request.plan_value)
        prior, planned = request.state_value, request.plan_value
        if request.state is None or prior is None or planned is None or request.config_value is None:
            return response
        if contains_unknown(planned) or planned == prior:
            return response
        try:
            same = self.key(prior) == self.key(planned)
        except (TypeError, ValueError):
            return response
        if same:
            response.plan_value = prior
        return response


class FuncPlanModifier(PlanModifier):
    """A plan rule as a function: ``fn(request)`` returns the planned value (and may set a replace
    with ``PlanModifyResponse``: return one to say more than the value)."""

    def __init__(self, fn: Callable[[PlanModifyRequest], Any], description: str = "") -> None:
        self.fn = fn
        self.description = description

    def plan_modify(self, request: PlanModifyRequest) -> PlanModifyResponse:
        result = self.fn(request)
        return result if isinstance(result, PlanModifyResponse) else PlanModifyResponse(result)


# ---------------------------------------------------------------------------------------------------
# schema elements


def plain_text(markdown: str) -> str:
    """Markdown reduced to plain text: links keep their text; code marks, emphasis and heading marks go."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown.strip())
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text)
    text = re.sub(r"(?<!\w)_(?!\s)(.+?)(?<!\s)_(?!\w)", r"\1", text)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"^#{1,6}\s+", "", text, flags=re.MULTILINE)
    return text


@dataclass(kw_only=True)
class _Described:
    """``markdown_description`` is the one to write; ``description`` (plain text) is derived from it
    when not given."""

    description: str = ""
    markdown_description: str | None = None

    def __post_init__(self) -> None:
        if not self.description and self.markdown_description:
            self.description = plain_text(self.markdown_description)


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
        super().__post_init__()
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

    @property
    def read_only(self) -> bool:
        """Computed and not configurable: a configured value is an error."""
        return self.computed and not self.optional

    @cached_property
    def config_validators(self) -> tuple[ConfigValidator, ...]:
        return tuple(v for v in self.validators if isinstance(v, ConfigValidator))

    @cached_property
    def value_validators(self) -> tuple[Validator, ...]:
        return tuple(v for v in self.validators if not isinstance(v, ConfigValidator))


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

    @property
    def validators(self) -> Sequence[ConfigValidator]:
        return ()

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
    #: Rules over the block's attributes (``ConflictsWith(...)`` and kin).
    validators: Sequence[ConfigValidator] = ()

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
    #: Rules over the top-level attributes (``ConflictsWith(...)`` and kin).
    validators: Sequence[ConfigValidator] = ()

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


def complete_object(
    container: Container, value: Mapping[str, Any], fallback: Mapping[str, Any] | None
) -> dict[str, Any]:
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
