"""Diagnostics: the errors and warnings Terraform shows, optionally pointing at an attribute.

An attribute path is a tuple of steps: a ``str`` is an attribute (or nested block) name, an ``int`` a
list index, and :class:`Key` a map key, e.g. ``("settings", 0, "name")`` or ``("labels", Key("env"))``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeAlias


@dataclass(frozen=True)
class Key:
    """A map key (or map-nested block label) in an attribute path."""

    key: str


Step: TypeAlias = str | int | Key
AttributePath: TypeAlias = tuple[Step, ...]


class Severity(enum.IntEnum):
    # Values are tfplugin6's Diagnostic.Severity numbers.
    ERROR = 1
    WARNING = 2


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    summary: str
    detail: str = ""
    attribute: AttributePath | None = None


class Diagnostics:
    """A thread-confined collection of diagnostics (one per RPC)."""

    def __init__(self, items: Iterable[Diagnostic] = ()) -> None:
        self._items: list[Diagnostic] = list(items)

    def error(self, summary: str, detail: str = "", attribute: AttributePath | None = None) -> None:
        self._items.append(Diagnostic(Severity.ERROR, summary, detail, attribute))

    def warning(self, summary: str, detail: str = "", attribute: AttributePath | None = None) -> None:
        self._items.append(Diagnostic(Severity.WARNING, summary, detail, attribute))

    def add(self, diagnostic: Diagnostic) -> None:
        self._items.append(diagnostic)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self._items.extend(diagnostics)

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self._items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self._items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self._items if d.severity is Severity.WARNING]

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __bool__(self) -> bool:
        return bool(self._items)

    def __repr__(self) -> str:
        return f"Diagnostics({self._items!r})"


class DiagnosticError(Exception):
    """An error the user can act on, raised from resource code and shown as an error diagnostic.

    ``state`` (ApplyResourceChange only) is the partial state to record when the remote object exists
    although the operation failed (Terraform then marks it tainted after a failed create).
    """

    def __init__(
        self,
        summary: str,
        detail: str = "",
        attribute: AttributePath | None = None,
        *,
        state: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(summary if not detail else f"{summary}: {detail}")
        self.summary = summary
        self.detail = detail
        self.attribute = attribute
        self.state = state

    @property
    def diagnostic(self) -> Diagnostic:
        return Diagnostic(Severity.ERROR, self.summary, self.detail, self.attribute)


def format_path(path: AttributePath) -> str:
    """An attribute path in Terraform's own notation, e.g. ``settings[0].name``."""
    out = ""
    for step in path:
        if isinstance(step, Key):
            out += f'["{step.key}"]'
        elif isinstance(step, int):
            out += f"[{step}]"
        else:
            out += f".{step}" if out else step
    return out
