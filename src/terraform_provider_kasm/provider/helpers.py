"""Patterns every Kasm resource shares, so resource files hold only their own behaviour.

* ids: :data:`ID_VALIDATOR` (schema validator accepting 32-hex or dashed UUIDs),
  :func:`normalize_id` (to Kasm's 32-hex form, error on the attribute otherwise).
* errors: ``with api_errors("Could not create group", ("name",)):`` turns any client exception into
  a :class:`DiagnosticError` with Kasm's message, the permission to grant, or the unreachable URL;
  :func:`diagnostic` does the same for an exception already caught.
* gone: :func:`gone_if_missing` turns a client ``NotFound`` into ``None`` (read → "removed from
  state", delete → "already gone").
* import: :func:`parse_import_id` splits ``a:b`` ids into normalised parts.
* "already exists": :func:`already_exists` gives the import command and ``import {}`` block.
* nulls: :func:`keep_null` keeps a null configuration null when Kasm stores "" instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from ..client import errors as kerr
from ..tfplugin import schema as s
from ..tfplugin.diagnostics import AttributePath, DiagnosticError
from ..tfplugin.types import String

T = TypeVar("T")

_UUID = re.compile(
    r"^(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$"
)


def is_kasm_id(value: str) -> bool:
    """A UUID as Kasm writes it (32 hex digits) or with dashes."""
    return bool(_UUID.match(value.strip()))


def _check_id(value: object) -> str | None:
    if isinstance(value, str) and is_kasm_id(value):
        return None
    return f"must be a Kasm id: a UUID of 32 hex digits, dashes allowed (got {value!r})."


#: Schema validator for id attributes (``group_id``, ``user_id`` …).
ID_VALIDATOR = s.FuncValidator(_check_id, "a UUID (32 hex digits, dashes allowed)")


def normalize_id(value: str, attribute: str) -> str:
    """``value`` as 32 lowercase hex digits; DiagnosticError on ``attribute`` if it is no UUID."""
    if not is_kasm_id(value):
        raise DiagnosticError("Invalid id", f"{attribute} {_check_id(value)}", (attribute,))
    return value.strip().lower().replace("-", "")


def id_changed(prior: object, planned: object) -> bool:
    """For ``RequiresReplaceIf``: a dashed and a plain spelling of the same id are no change
    (an unknown planned id, from a replaced object, is one)."""
    if not isinstance(prior, str) or not isinstance(planned, str):
        return True
    return prior.lower().replace("-", "") != planned.lower().replace("-", "")


def reference_id(description: str, replaces: str) -> s.Attribute:
    """A required id of another Kasm object (``group_id``, ``image_id``, ``user_id``) that this object is
    bound to: validated as a UUID, and a different id (not merely another spelling) replaces the object.
    ``replaces`` says what the replacement means, e.g. "a different group replaces the link"."""
    return s.Attribute(
        String,
        required=True,
        validators=[ID_VALIDATOR],
        plan_modifiers=[s.RequiresReplaceIf(id_changed, replaces)],
        description=description.replace("`", ""),
        markdown_description=description,
    )


def parse_import_id(import_id: str, parts: Sequence[str]) -> dict[str, str]:
    """Split ``"<a>:<b>"`` into ``{parts[0]: a, parts[1]: b}`` with every part normalised to 32 hex.

    A wrong shape or a part that is no UUID gives a "Invalid import ID" error showing the format.
    """
    pieces = import_id.strip().split(":")
    expected = ":".join(f"<{p}>" for p in parts)
    if len(pieces) != len(parts) or not all(is_kasm_id(p) for p in pieces):
        raise DiagnosticError(
            "Invalid import ID",
            f"Expected {expected} (Kasm ids, 32 hex digits, dashes allowed), got {import_id!r}.",
        )
    return {name: normalize_id(piece, name) for name, piece in zip(parts, pieces, strict=True)}


def gone_if_missing(fn: Callable[[], T]) -> T | None:
    """Run ``fn``; a Kasm ``NotFound`` (the object was deleted) gives None instead of an error."""
    try:
        return fn()
    except kerr.NotFound:
        return None


def deleted_outside(what: str, object_id: str) -> DiagnosticError:
    """The error of an update whose object Kasm no longer has (``what``: "cast config", "zone" …):
    the next plan, whose refresh removes it from state, creates it again."""
    return DiagnosticError(
        f"{what[:1].upper()}{what[1:]} not found",
        f"The {what} {object_id} was deleted outside Terraform; plan again to re-create it.",
    )


def explain(error: kerr.KasmError) -> str:
    """A user-facing explanation of a client error (never contains the API secret)."""
    if isinstance(error, kerr.AuthenticationError):
        return (
            f"Kasm refused the API credentials ({error.message}). Check the provider's api_key "
            "(KASM_API_KEY) and api_secret (KASM_API_SECRET), and that the key has not expired."
        )
    if isinstance(error, kerr.PermissionDenied):
        return f"Kasm refused {error.call}: {error.message}; {error.hint}."
    if isinstance(error, kerr.TransportError):
        # The client's text says which: could not connect, TLS failure, read timeout, stopped.
        return f"Kasm (the provider's base_url) did not answer: {error}"
    return str(error)


def diagnostic(
    error: kerr.KasmError, summary: str, attribute: AttributePath | None = None
) -> DiagnosticError:
    """The DiagnosticError to raise for a client error (``raise diagnostic(e, "…") from e``)."""
    return DiagnosticError(summary, explain(error), attribute)


@contextmanager
def api_errors(summary: str, attribute: AttributePath | None = None) -> Iterator[None]:
    """Turn client exceptions raised inside the block into a DiagnosticError(summary, …, attribute).

    Use for every client call whose failure the user must see; catch ``NotFound`` first (or use
    :func:`gone_if_missing`) where "not found" is a normal outcome. ValueError from the client
    (an argument it rejects before calling Kasm) is reported the same way.
    """
    try:
        yield
    except kerr.KasmError as e:
        raise diagnostic(e, summary, attribute) from e
    except ValueError as e:
        raise DiagnosticError(summary, str(e), attribute) from e


def already_exists(
    what: str, resource_type: str, import_id: str, kasm_said: str, *, not_adopted: str | None = None
) -> str:
    """The detail of an "already exists" error: the exact ``terraform import`` command and
    ``import {}`` block that bring the object under this resource, and the opt-in alternative.
    ``not_adopted``: why ``adopt_existing`` (on) did not take it over (the fields that differ).

    Terraform does not tell a provider the resource's address, so it is written
    ``<resource_type>.<NAME>``; Terraform prints the address after "with" under the error."""
    if not_adopted is None:
        adoption = (
            "After an interrupted apply (the object was made but never recorded), the provider setting "
            "adopt_existing = true (or KASM_ADOPT_EXISTING=true) makes the create take it over instead "
            "when every configured field matches."
        )
    else:
        adoption = f"adopt_existing is on, but it was not adopted: {not_adopted}."
    return (
        f"{what} already exists in Kasm and was not created by this Terraform resource. To manage it "
        "with Terraform, import it:\n\n"
        f"  terraform import {resource_type}.<NAME> {import_id}\n\n"
        "or, with Terraform 1.5 or later, add to the configuration:\n\n"
        f'  import {{\n    to = {resource_type}.<NAME>\n    id = "{import_id}"\n  }}\n\n'
        f'where {resource_type}.<NAME> is this resource\'s address (shown after "with" below). '
        f"{adoption} Kasm said: {kasm_said}"
    )


def differences(pairs: Iterable[tuple[str, Any, Any]]) -> str | None:
    """``"first_name is "A" in Kasm, "B" configured; …"`` for the (name, kasm, configured) triples
    whose values differ; None when all match. For "already exists" errors (never secrets)."""
    text = [
        f"{name} is {json.dumps(kasm_value)} in Kasm, {json.dumps(configured)} configured"
        for name, kasm_value, configured in pairs
        if kasm_value != configured
    ]
    return "; ".join(text) or None


def keep_null(server_value: str | None, prior: str | None) -> str | None:
    """Kasm's value for an optional string, except that "" stays null when the configuration had
    null (Kasm stores "" for "no description"; reporting it would be a perpetual diff)."""
    if not server_value and prior is None:
        return None
    return server_value if server_value is not None else ("" if prior == "" else None)
