"""Writing HCL that ``terraform fmt -check`` accepts as is: quoted strings, one-line lists and
objects, and the ``=`` of consecutive attribute lines aligned, as ``terraform fmt`` aligns them.

Values are plain Python (as the provider's states): ``str``, ``bool``, ``int``/``float``/``Decimal``,
``list``/``tuple`` (lists and sets), ``dict`` (maps and objects); :class:`Expr` is an expression
written as is (a reference such as ``kasm_group.ops.id``).
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
# Terraform's keywords that cannot be a bare object key.
_RESERVED = frozenset({"true", "false", "null", "for", "in", "if", "else", "endif", "endfor"})


@dataclass(frozen=True)
class Expr:
    """An HCL expression written verbatim."""

    text: str


def quote(text: str) -> str:
    """A quoted HCL string whose value is exactly ``text`` (no interpolation or directive)."""
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ch == "\x7f":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    # ${ and %{ start templates; doubling the sigil makes them literal.
    return '"' + "".join(out).replace("${", "$${").replace("%{", "%%{") + '"'


def key(name: str) -> str:
    """An object key: bare when it is an identifier, else quoted."""
    return name if _IDENTIFIER.match(name) and name not in _RESERVED else quote(name)


def value(v: Any) -> str:
    """One value as a one-line HCL expression."""
    if isinstance(v, Expr):
        return v.text
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, decimal.Decimal):
        return format(v.normalize(), "f") if v == v.to_integral_value() else str(v)
    if isinstance(v, str):
        return quote(v)
    if isinstance(v, Mapping):
        if not v:
            return "{}"
        return "{ " + ", ".join(f"{key(str(k))} = {value(x)}" for k, x in v.items()) + " }"
    if isinstance(v, (list, tuple, set, frozenset)):
        items = sorted(v, key=repr) if isinstance(v, (set, frozenset)) else v
        return "[" + ", ".join(value(x) for x in items) + "]"
    raise TypeError(f"cannot write {type(v).__name__} as HCL")


@dataclass
class Block:
    """``type "label" ... { body }``: attributes (in order) then nested blocks, each after a blank line."""

    type: str
    labels: Sequence[str] = ()
    attributes: Mapping[str, Any] | None = None
    blocks: Sequence[Block] = ()
    #: A comment line written above the block.
    comment: str | None = None

    def render(self, indent: int = 0) -> str:
        pad = "  " * indent
        head = " ".join([self.type, *(quote(label) for label in self.labels)])
        lines = [f"{pad}# {self.comment}"] if self.comment else []
        lines.append(f"{pad}{head} {{")
        attributes = dict(self.attributes or {})
        if attributes:
            width = max(len(key(name)) for name in attributes)
            for name, v in attributes.items():
                lines.append(f"{pad}  {key(name).ljust(width)} = {value(v)}")
        for i, block in enumerate(self.blocks):
            if attributes or i:
                lines.append("")
            lines.append(block.render(indent + 1).rstrip("\n"))
        lines.append(f"{pad}}}")
        return "\n".join(lines) + "\n"


def document(blocks: Iterable[Block], header: str | None = None) -> str:
    """Blocks separated by one blank line, with an optional comment header."""
    parts = [f"# {line}".rstrip() + "\n" for line in header.splitlines()] if header else []
    text = "".join(parts)
    rendered = [b.render() for b in blocks]
    if text and rendered:
        text += "\n"
    return text + "\n".join(rendered)


def identifier(text: str, fallback: str = "unnamed") -> str:
    """A Terraform name (resource, variable) derived from a Kasm name: lower case, runs of other
    characters as one ``_``, never starting with a digit or a dash."""
    name = re.sub(r"[^a-z0-9_]+", "_", text.lower()).strip("_")
    name = re.sub(r"_+", "_", name)
    if not name:
        name = fallback
    if not (name[0].isalpha() or name[0] == "_"):
        name = f"{fallback[0]}_{name}" if fallback else f"_{name}"
    return name


class Names:
    """Unique names in one namespace (a resource type): the first taker of a name keeps it, later
    ones get ``_2``, ``_3``, … (callers offer objects in a stable order, so runs agree)."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def take(self, wanted: str) -> str:
        name, n = wanted, 1
        while name in self._taken:
            n += 1
            name = f"{wanted}_{n}"
        self._taken.add(name)
        return name
