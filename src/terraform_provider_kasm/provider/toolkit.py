"""The provider toolkit: the mechanisms resource files are built from, so that each holds only what
is its own (DESIGN.md, "How to add an object type").

* :func:`computed`: a computed attribute (kept from the prior state unless ``stable=False``).
* :func:`keep_spelling` / :func:`keep_id_spelling`: the configured spelling of a value while it
  names what Kasm has (``" John"`` vs ``"John"``, a dashed vs a plain id).
* :func:`json_string` / :func:`keep_json`: a JSON document held as a string attribute (Terraform's
  ``jsonencode()``), where key order and whitespace are never a change (semantic equality).
* :func:`parse_import_id`: one parser for the ``<id>``, ``<a>:<b>`` and ``name:<x>`` import forms;
  :func:`import_id_or_lookup` for ``<id>`` or ``<prefix>:<value>`` found in a listing.
* :func:`rollback_on_failure`: a create's later steps; if one fails the create is undone, and if
  the undo fails too the object is kept in state (tainted) with a diagnostic saying so.
  :func:`partial_state` records what an update already changed when a later step fails.
* :class:`LinkResource`: "A is linked to B" types (``kasm_group_image``, ``kasm_group_membership``),
  identified ``<a_id>:<b_id>``; a subclass gives only its schema texts and its Kasm calls.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from ..client import errors as kerr
from ..tfplugin import schema as s
from ..tfplugin.diagnostics import DiagnosticError
from ..tfplugin.resource import Resource, ResourceContext
from ..tfplugin.types import UNKNOWN, String
from .context import KasmData, kasm
from .helpers import (
    ID_VALIDATOR,
    already_exists,
    api_errors,
    explain,
    gone_if_missing,
    is_kasm_id,
    normalize_id,
    reference_id,
)

# --- schema --------------------------------------------------------------------------------------


def lookup_keys(id_markdown: str, key: str, key_markdown: str) -> dict[str, s.Attribute]:
    """A data source's two ways to find one object: ``id`` (a Kasm id) or ``key`` (a name), give
    one (pair with ``s.ExactlyOneOf("id", key)`` on the schema); both computed, so both are set."""
    return {
        "id": s.Attribute(
            String,
            optional=True,
            computed=True,
            validators=[ID_VALIDATOR],
            markdown_description=f"{id_markdown}; give this or `{key}`.",
        ),
        key: s.Attribute(
            String, optional=True, computed=True, markdown_description=f"{key_markdown}; give this or `id`."
        ),
    }


def computed(
    markdown: str, *, sensitive: bool = False, stable: bool = True, type_: Any = String
) -> s.Attribute:
    """A computed attribute described in markdown (the plain text drops the backticks). ``stable``:
    nothing changes it in place, so a plan keeps the prior value instead of "known after apply"."""
    return s.Attribute(
        type_,
        computed=True,
        sensitive=sensitive,
        plan_modifiers=[s.UseStateForUnknown()] if stable else [],
        description=markdown.replace("`", ""),
        markdown_description=markdown,
    )


# --- spellings -----------------------------------------------------------------------------------


def keep_spelling(prior: Any, remote: Any, key: Callable[[Any], Any]) -> Any:
    """``prior`` (the configured spelling) while ``key`` says it is the same as Kasm's ``remote``,
    else ``remote``: Kasm's normalisation never shows as a perpetual diff."""
    return prior if key(prior) == key(remote) else remote


def _id_key(value: Any) -> str | None:
    return normalize_id(value, "id") if isinstance(value, str) and is_kasm_id(value) else None


def keep_id_spelling(prior: Any, remote: str | None) -> Any:
    """The configured spelling of an id (dashes, upper case) while it names ``remote``."""
    if _id_key(prior) is None:
        return remote
    return keep_spelling(prior, remote, _id_key)


# --- JSON strings --------------------------------------------------------------------------------


def _normal(value: Any) -> Any:
    """A parsed JSON value in a form whose equality is JSON's: objects ignore key order, numbers
    compare by value (1 == 1.0), and true is not 1 (Python's ``True == 1``)."""
    if isinstance(value, bool) or value is None:
        return ("literal", value)
    if isinstance(value, int | float | Decimal):
        return ("number", Decimal(str(value)))
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return tuple(_normal(v) for v in value)
    return value


def json_key(text: str) -> Any:
    """The meaning of a JSON text (ValueError if it is none): equal keys, equal documents."""
    return _normal(json.loads(text, parse_float=Decimal))


def json_text(value: Any) -> str:
    """A parsed JSON value as compact text with sorted keys, as Terraform's ``jsonencode()`` writes it."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _check_json_object(text: Any) -> str | None:
    try:
        value = json.loads(text)
    except ValueError as e:
        return (
            f"is not valid JSON: {getattr(e, 'msg', e)} (line {getattr(e, 'lineno', '?')}, column "
            f"{getattr(e, 'colno', '?')}). Write it with jsonencode({{ ... }})."
        )
    if not isinstance(value, dict):
        return f"must be a JSON object ({{ ... }}), got {json_text(value)[:40]}."
    return None


def json_string(markdown: str, *, sensitive: bool = False) -> s.Attribute:
    """An optional attribute holding a JSON object as a string (``jsonencode({...})``): validated
    (bad JSON is an error naming the attribute), and a text that means the same as the state's
    (other key order or whitespace) plans no change. Reads keep the configured text the same way:
    use :func:`keep_json`."""
    return s.Attribute(
        String,
        optional=True,
        sensitive=sensitive,
        validators=[s.FuncValidator(_check_json_object, "a JSON object")],
        plan_modifiers=[s.SemanticEquality(json_key, "Key order and whitespace are no change.")],
        description=s.plain_text(markdown),
        markdown_description=markdown,
    )


def keep_json(prior: Any, remote: Any) -> str | None:
    """The state of a :func:`json_string` attribute from Kasm's parsed value ``remote``: ``prior``
    (the configured text) while it means the same; null while ``prior`` is null and ``remote`` is
    empty (Kasm's "not set", ``{}``); else Kasm's value as :func:`json_text`."""
    if isinstance(prior, str):
        try:
            if json_key(prior) == _normal(remote):
                return prior
        except ValueError:
            pass
    if prior is None and remote in (None, {}, [], ""):
        return None
    return json_text(remote)


# --- import ids ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportId:
    """A parsed import id: ``ids`` (part name → 32-hex id) for the id forms, or ``prefix`` and
    ``value`` for a ``<prefix>:<value>`` form (``name:Developers``, ``username:jdoe``)."""

    ids: dict[str, str] = field(default_factory=dict)
    prefix: str | None = None
    value: str | None = None


def parse_import_id(
    import_id: str, forms: Sequence[Sequence[str]], prefixes: Mapping[str, str] | None = None
) -> ImportId:
    """Parse ``import_id`` in one of ``forms`` (tuples of part names: ``[("id",)]``,
    ``[("group_id", "image_id")]``, ``[("kasm_id",), ("user_id", "kasm_id")]``) or, with
    ``prefixes`` (prefix → what follows it, e.g. ``{"name": "group name"}``), ``<prefix>:<value>``.

    Anything else is one "Invalid import ID" error that lists every accepted form.
    """
    text = import_id.strip()
    for prefix in prefixes or {}:
        value = text[len(prefix) + 1 :]
        if text.startswith(prefix + ":") and value.strip():
            return ImportId(prefix=prefix, value=value)
    pieces = text.split(":")
    for parts in forms:
        if len(pieces) == len(parts) and all(is_kasm_id(p) for p in pieces):
            return ImportId(ids={n: normalize_id(p, n) for n, p in zip(parts, pieces, strict=True)})
    accepted = [":".join(f"<{p}>" for p in parts) for parts in forms]
    accepted += [f"{prefix}:<{what}>" for prefix, what in (prefixes or {}).items()]
    raise DiagnosticError(
        "Invalid import ID",
        f"Expected {' or '.join(accepted)} (Kasm ids are 32 hex digits, dashes allowed), got {import_id!r}.",
    )


def import_id_or_lookup(
    import_id: str,
    prefix: str,
    what: str,
    find: Callable[[str], str | None],
    *,
    summary: str,
    not_found: str,
) -> dict[str, str]:
    """The state an ``<id>`` or ``<prefix>:<value>`` import starts from (``{"id": ...}``): the id
    itself, or ``find(value)``, the id of the object with that value (None: a "<not_found>" error
    whose detail says what was looked for). Kasm errors while finding are reported as ``summary``."""
    parsed = parse_import_id(import_id, [("id",)], {prefix: what})
    if parsed.value is None:
        return parsed.ids
    with api_errors(summary):
        found = find(parsed.value)
    if found is None:
        raise DiagnosticError(not_found, f"Kasm has no {what} {parsed.value!r} (exact, case-sensitive).")
    return {"id": found}


# --- failures after a create or an update ----------------------------------------------------------


@contextmanager
def rollback_on_failure(
    undo: Callable[[], object], *, what: str, state: Mapping[str, Any], summary: str
) -> Iterator[None]:
    """The steps after a create. If one fails, ``undo()`` removes what the create made and the
    failure is raised as it was. If the undo fails too, the failure is raised with ``state`` (the
    object as far as known, its computed values null) so Terraform keeps it, tainted, and
    replaces it next time: nothing is left on the server that no state knows about.

    ``what`` names the object in the diagnostic ("The user jdoe (<id>)"); ``summary`` is used
    when the failure is not a DiagnosticError.
    """
    try:
        yield
    except BaseException as failure:
        try:
            undo()
        except kerr.KasmError as e:
            diagnostic = failure if isinstance(failure, DiagnosticError) else None
            raise DiagnosticError(
                diagnostic.summary if diagnostic else summary,
                f"{diagnostic.detail if diagnostic else failure}\n\n{what} was created but could not be "
                f"removed again ({explain(e)}); it is kept in state, tainted, so Terraform replaces it.",
                diagnostic.attribute if diagnostic else None,
                state=dict(state),
            ) from failure
        raise


@contextmanager
def partial_state(state: Mapping[str, Any]) -> Iterator[None]:
    """Steps after a change Kasm has already made: a DiagnosticError raised inside carries
    ``state`` (what is true now), so Terraform records the change instead of the prior state."""
    try:
        yield
    except DiagnosticError as e:
        raise DiagnosticError(e.summary, e.detail, e.attribute, state=dict(state)) from e


# --- link resources ------------------------------------------------------------------------------


class AlreadyLinked(DiagnosticError):
    """The link a create was to make exists already (see :meth:`LinkResource.already_linked`)."""


class LinkResource(Resource):
    """One link between two Kasm objects, identified ``<a_id>:<b_id>`` (the two ``parts``), replaced
    when either id changes (another spelling of the same id is no change).

    A subclass sets ``type_name``, ``parts``, ``schema`` (from :meth:`link_schema`) and implements
    :meth:`link`, :meth:`unlink` and :meth:`find`; optionally :meth:`check` (before the link is
    made) and :meth:`keep_on_delete`.
    """

    #: The two id attributes, in the order of the resource id: ("group_id", "image_id").
    parts: ClassVar[tuple[str, str]]
    #: Read the link back after making it (the computed values come from the read).
    read_after_create: ClassVar[bool] = True

    # --- what a subclass implements ----------------------------------------------------------------

    def check(self, data: KasmData, ids: dict[str, str]) -> None:
        """Raise a DiagnosticError before anything is written (unknown objects, an existing link)."""

    def link(self, data: KasmData, ids: dict[str, str]) -> None:
        """Make the link in Kasm (inside ``data.writing()``); DiagnosticError on failure."""
        raise NotImplementedError

    def unlink(self, data: KasmData, ids: dict[str, str]) -> None:
        """Remove the link in Kasm; NotFound (already gone) is handled by the caller."""
        raise NotImplementedError

    def find(self, data: KasmData, ids: dict[str, str]) -> dict[str, Any] | None:
        """The link's computed values (``{}`` when it has none), or None when it does not exist."""
        raise NotImplementedError

    def keep_on_delete(self, ids: dict[str, str]) -> bool:
        """True for links Kasm itself made and that destroy leaves alone."""
        return False

    # --- the resource ------------------------------------------------------------------------------

    @classmethod
    def link_schema(
        cls,
        type_name: str,
        parts: tuple[str, str],
        markdown: str,
        references: Mapping[str, tuple[str, str]],
        extra: Mapping[str, s.Attribute] | None = None,
    ) -> s.Schema:
        """The schema: ``id`` (``<a>:<b>``), the two reference ids (``references``: part → (markdown,
        what a change means)) and ``extra`` computed attributes."""
        key = ":".join(f"<{p}>" for p in parts)
        first = markdown.split("\n\n", 1)[0]
        return s.Schema(
            description=first.replace("`", "").replace("*", ""),
            markdown_description=markdown,
            attributes={
                "id": computed(f"`{key}`, both as 32 hex digits."),
                **{p: reference_id(*references[p]) for p in parts},
                **(extra or {}),
            },
        )

    def key(self, ids: Mapping[str, str]) -> str:
        return ":".join(ids[p] for p in self.parts)

    def _ids(self, values: Mapping[str, Any]) -> dict[str, str]:
        return {p: normalize_id(values[p], p) for p in self.parts}

    def already_linked(
        self, ids: Mapping[str, str], summary: str, detail: str, attribute: str
    ) -> DiagnosticError:
        """The error for a link that exists already (raise it from :meth:`check` or :meth:`link`):
        it is adopted only with the provider's ``adopt_existing``, else the error gives the import
        command."""
        return AlreadyLinked(
            summary,
            f"{detail} " + already_exists("It", self.type_name, self.key(ids), "(an existing link)"),
            (attribute,),
        )

    def create(self, ctx: ResourceContext, plan: dict[str, Any]) -> dict[str, Any]:
        data = kasm(ctx)
        ids = self._ids(plan)
        try:
            self.check(data, ids)
            with data.writing():
                self.link(data, ids)
        except AlreadyLinked:
            # A link has no fields but its two ids, so an existing one is identical to the planned
            # one: with adopt_existing it is taken over (after an interrupted apply), never deleted.
            if not data.adopt_existing:
                raise
            with api_errors(f"Could not read the existing {self.type_name}"):
                values = self.find(data, ids)
            if values is None:
                raise
            return {**plan, **values, "id": self.key(ids)}
        state = {**plan, "id": self.key(ids)}
        if not self.read_after_create:
            return state
        # Kept in state if the link cannot be removed again: what is not known yet is null.
        partial = {name: None if value is UNKNOWN else value for name, value in state.items()}
        with rollback_on_failure(
            lambda: self._unlink(data, ids),
            what=f"The link {self.key(ids)}",
            state=partial,
            summary=f"Could not read the new {self.type_name}",
        ):
            with api_errors(f"Could not read the new {self.type_name}"):
                values = self.find(data, ids)
            if values is None:
                # Kasm answered success; not finding the link now is a Kasm fault, not a delay.
                raise DiagnosticError(
                    "Link not listed", f"Kasm accepted the link {self.key(ids)} but does not list it."
                )
        return {**state, **values}

    def read(self, ctx: ResourceContext, state: dict[str, Any]) -> dict[str, Any] | None:
        data = kasm(ctx)
        ids = self._ids(state)
        with api_errors(f"Could not read the {self.type_name}"):
            values = self.find(data, ids)
        return None if values is None else {**state, **values, "id": self.key(ids)}

    def update(self, ctx: ResourceContext, prior: dict[str, Any], plan: dict[str, Any]) -> dict[str, Any]:
        # Reached only when an id is respelled (dashes added or removed): the link is unchanged.
        return {**prior, **{p: plan[p] for p in self.parts}}

    def _unlink(self, data: KasmData, ids: dict[str, str]) -> None:
        with data.writing():
            gone_if_missing(lambda: self.unlink(data, ids))

    def delete(self, ctx: ResourceContext, state: dict[str, Any]) -> None:
        data = kasm(ctx)
        ids = self._ids(state)
        if self.keep_on_delete(ids):
            return
        with api_errors(f"Could not remove the {self.type_name}"):
            self._unlink(data, ids)

    def import_state(self, ctx: ResourceContext, import_id: str) -> dict[str, Any]:
        ids = parse_import_id(import_id, [self.parts]).ids
        return {"id": self.key(ids), **ids}


__all__ = [
    "AlreadyLinked",
    "ImportId",
    "LinkResource",
    "computed",
    "json_key",
    "json_string",
    "json_text",
    "keep_id_spelling",
    "keep_json",
    "keep_spelling",
    "parse_import_id",
    "partial_state",
    "rollback_on_failure",
]
