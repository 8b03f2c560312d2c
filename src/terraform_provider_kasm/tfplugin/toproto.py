"""Python → tfplugin6 protobuf: schemas, diagnostics, attribute paths and values for the responses.

The counterpart of ``fromproto``; neither holds any RPC logic (that is ``servicer``). Modelled on the
plugin framework's ``toproto6`` split: one function per kind of thing that goes on the wire.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from . import codec
from ._generated import tfplugin6_pb2 as pb
from .diagnostics import AttributePath, Diagnostic, Key, Severity

if TYPE_CHECKING:
    from .schema import Attribute, Block, NestedAttributes, Schema
    from .types import Type


def attribute_path(path: AttributePath) -> pb.AttributePath:
    steps = []
    for step in path:
        if isinstance(step, Key):
            steps.append(pb.AttributePath.Step(element_key_string=step.key))
        elif isinstance(step, int):
            steps.append(pb.AttributePath.Step(element_key_int=step))
        else:
            steps.append(pb.AttributePath.Step(attribute_name=step))
    return pb.AttributePath(steps=steps)


def diagnostic(d: Diagnostic) -> pb.Diagnostic:
    out = pb.Diagnostic(
        severity=cast("pb.Diagnostic.Severity", int(d.severity)), summary=d.summary, detail=d.detail
    )
    if d.attribute:
        out.attribute.CopyFrom(attribute_path(d.attribute))
    return out


def diagnostics(diags: Iterable[Diagnostic]) -> list[pb.Diagnostic]:
    return [diagnostic(d) for d in diags]


def add_diagnostics(response: Any, diags: Iterable[Diagnostic]) -> None:
    """Puts ``diags`` on a response in whatever form its type has: a ``diagnostics`` list, a
    function ``error`` (CallFunction) or an ``Error`` string (StopProvider; errors only)."""
    items = list(diags)
    if not items:
        return
    fields = response.DESCRIPTOR.fields_by_name
    if "diagnostics" in fields:
        response.diagnostics.extend(diagnostics(items))
        return
    errors = [
        f"{d.summary}: {d.detail}" if d.detail else d.summary for d in items if d.severity is Severity.ERROR
    ]
    if not errors:
        return
    if "error" in fields:
        response.error.CopyFrom(pb.FunctionError(text="; ".join(errors)))
    elif "Error" in fields:
        response.Error = "; ".join(errors)


def dynamic_value(value: Any, t: Type, refined: dict[Any, Any] | None = None) -> pb.DynamicValue:
    """A plain value as a msgpack DynamicValue (raises ``codec.CodecError``, TypeError or ValueError
    when it does not fit ``t``)."""
    return pb.DynamicValue(msgpack=codec.encode_msgpack(value, t, refined))


# ---------------------------------------------------------------------------------------------------
# schemas


def _description(element: Any, target: Any) -> None:
    if element.markdown_description:
        target.description = element.markdown_description
        target.description_kind = pb.MARKDOWN
    elif element.description:
        target.description = element.description
        target.description_kind = pb.PLAIN


def attribute(name: str, attr: Attribute) -> pb.Schema.Attribute:
    out = pb.Schema.Attribute(
        name=name,
        required=attr.required,
        optional=attr.optional,
        computed=attr.computed,
        sensitive=attr.sensitive,
        deprecated=bool(attr.deprecated),
        write_only=attr.write_only,
    )
    _description(attr, out)
    if attr.nested is not None:
        out.nested_type.CopyFrom(nested(attr.nested))
    else:
        assert attr.type is not None
        out.type = attr.type.json_bytes()
    return out


def nested(attrs: NestedAttributes) -> pb.Schema.Object:
    return pb.Schema.Object(
        attributes=[attribute(n, a) for n, a in sorted(attrs.attributes.items())],
        nesting=cast("pb.Schema.Object.NestingMode", int(attrs.nesting)),
    )


def block(container: Schema | Block, version: int = 0) -> pb.Schema.Block:
    out = pb.Schema.Block(
        version=version,
        attributes=[attribute(n, a) for n, a in sorted(container.attributes.items())],
        block_types=[
            pb.Schema.NestedBlock(
                type_name=n,
                block=block(b),
                nesting=cast("pb.Schema.NestedBlock.NestingMode", int(b.nesting)),
                min_items=b.min_items,
                max_items=b.max_items,
            )
            for n, b in sorted(container.blocks.items())
        ],
        deprecated=bool(container.deprecated),
    )
    _description(container, out)
    return out


def schema(s: Schema) -> pb.Schema:
    return pb.Schema(version=s.version, block=block(s, s.version))
