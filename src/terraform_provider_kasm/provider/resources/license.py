"""``kasm_license``: an installed Kasm license (``add_license`` or ``activate`` / ``get_licenses`` /
``delete_license``). License and activation keys are secrets: sensitive, never in messages."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from ...client import convert
from ...client import errors as kerr
from ...client.models import License
from ...tfplugin import schema as s
from ...tfplugin.diagnostics import DiagnosticError, Diagnostics
from ...tfplugin.resource import Resource, ResourceContext
from ...tfplugin.types import Bool, Map, Number, String
from ..context import KasmData, kasm
from ..helpers import api_errors, diagnostic, normalize_id
from ..toolkit import computed, parse_import_id, rollback_on_failure

#: The Go provider's feature attributes (computed from the license's ``features``).
GO_FEATURES = (
    "auto_scaling",
    "branding",
    "session_staging",
    "session_casting",
    "log_forwarding",
    "developer_api",
    "inject_ssh_keys",
    "saml",
    "ldap",
    "session_sharing",
    "login_banner",
    "url_categorization",
    "usage_limit",
)
_ARMOUR = (
    "-----BEGIN LICENSE KEY-----",
    "-----END LICENSE KEY-----",
    "-----BEGIN ACTIVATION KEY-----",
    "-----END ACTIVATION KEY-----",
)


def claims(key: str) -> dict[str, Any] | None:
    """The claims of a Kasm key, unverified (Kasm's fields of a license are these claims: exp, iat,
    issued_to, license_type, limit, sku), read as Kasm's ``process_key`` does (armour and whitespace
    dropped); None when it is no JWT."""
    for marker in _ARMOUR:
        key = key.replace(marker, "")
    parts = "".join(key.split()).split(".")
    if len(parts) != 3:
        return None
    try:
        value = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None


def _when(value: Any) -> datetime | None:
    return datetime.fromtimestamp(value, UTC) if isinstance(value, int | float) else None


def describes(key: str, state: Mapping[str, Any]) -> bool:
    """Whether ``key`` is the key of the license in ``state`` (its fields are the key's claims)."""
    found = claims(key)
    if found is None:
        return False
    return (
        _when(found.get("exp")) == convert.parse_datetime(state.get("expiration"))
        and _when(found.get("iat")) == convert.parse_datetime(state.get("issued_at"))
        and found.get("issued_to") == state.get("issued_to")
        and found.get("sku") == state.get("sku")
        and (found.get("limit") == state.get("limit") or (not found.get("limit") and not state.get("limit")))
    )


def _replace_if_set(prior: Any, planned: Any) -> bool:
    """A key is replaced only when one was recorded; after an import (null) it is recorded in place."""
    return prior is not None


def _key(markdown: str) -> s.Attribute:
    return s.Attribute(
        String,
        optional=True,
        sensitive=True,
        validators=[s.LengthBetween(1, 100_000)],
        plan_modifiers=[s.RequiresReplaceIf(_replace_if_set, "Another key replaces the license.")],
        markdown_description=markdown,
    )


class LicenseResource(Resource):
    type_name = "kasm_license"
    schema = s.Schema(
        markdown_description=(
            "A Kasm license, installed from its license key (`add_license`) or activated online from an "
            "activation key (`activate`, which needs Kasm's license server to be reachable from the Kasm "
            "server; otherwise Kasm's error, e.g. `Missing license_server_url Setting`, is shown and "
            "nothing is installed). Another key replaces the license; destroy removes it.\n\n"
            "Kasm never shows a license's key, so after an import the first apply records the configured key "
            "in place (no Kasm call): a `license_key` whose claims are the imported license's is "
            "recorded, another one replaces the license; an `activation_key` (which Kasm exchanges for "
            "another key) is recorded as given.\n\n"
            "The local test server (`terraform-provider-kasm server`) accepts only unsigned test keys: a "
            'JWT whose header is `{"alg": "none"}`, with an empty signature, and claims `limit`, '
            "`license_type` (`Per Concurrent Kasm` or `Per Named User`), `features` (names or "
            "`{name: true}`), `exp`/`iat` (Unix times), `issued_to` and `sku`, e.g. "
            '`"${base64encode(jsonencode({alg = "none"}))}.${base64encode(jsonencode({limit = 10, '
            'sku = "TEST"}))}."` (padding `=` is allowed); a claim `key_type = "activation"` makes it '
            "an activation key."
        ),
        attributes={
            "id": computed("The license id (Kasm's `license_id`, 32 hex digits)."),
            "license_key": _key(
                "The license key from Kasm (`-----BEGIN LICENSE KEY-----` lines and line breaks may stay). "
                "Exactly one of `license_key` and `activation_key`."
            ),
            "activation_key": _key(
                "An activation key (the Go provider's only way): Kasm exchanges it with its license "
                "server for a license key. Exactly one of `license_key` and `activation_key`."
            ),
            "seats": s.Attribute(
                Number,
                optional=True,
                validators=[s.IntBetween(1, 1_000_000), s.RequiredWith("activation_key")],
                plan_modifiers=[s.RequiresReplaceIf(_replace_if_set, "Other seats replace the license.")],
                markdown_description="Seats to activate (with `activation_key`); the key's default when "
                "left out.",
            ),
            "issued_to": s.Attribute(
                String,
                optional=True,
                computed=True,
                validators=[s.RequiredWith("activation_key")],
                plan_modifiers=[
                    s.UseStateForUnknown(),
                    s.RequiresReplaceIf(lambda prior, planned: True, "Another holder replaces the license."),
                ],
                markdown_description="Who the license is issued to. Set only with `activation_key` (sent to "
                "Kasm's license server); a license key carries its own.",
            ),
            "expiration": computed("When the license expires (UTC, Kasm's form); null: never."),
            "issued_at": computed("When the license was issued (UTC, Kasm's form)."),
            "license_type": computed("`Per Concurrent Kasm` or `Per Named User`."),
            "limit": computed("Concurrent sessions or named users it allows.", type_=Number),
            "sku": computed("Kasm's product code of the license."),
            "is_verified": computed("Whether Kasm verified the key's signature.", type_=Bool),
            "features": computed("The features the license enables, name → enabled.", type_=Map(Bool)),
            **{
                name: computed(f"Whether the license enables `{name}` (from `features`).", type_=Bool)
                for name in GO_FEATURES
            },
        },
        validators=[s.ExactlyOneOf("license_key", "activation_key")],
    )

    @staticmethod
    def _state(lic: License) -> dict[str, Any]:
        features = {str(k): bool(v) for k, v in lic.features.items()}
        return {
            "id": lic.license_id,
            "issued_to": lic.issued_to,
            "expiration": convert.format_datetime(lic.expiration),
            "issued_at": convert.format_datetime(lic.issued_at),
            "license_type": lic.license_type,
            "limit": lic.limit,
            "sku": lic.sku,
            "is_verified": lic.is_verified,
            "features": features,
            **{name: features.get(name, False) for name in GO_FEATURES},
        }

    @staticmethod
    def _licenses(data: KasmData) -> tuple[License, ...]:
        return data.reads.get(("get_licenses",), lambda: tuple(data.client.licenses.list()))

    def create(self, ctx: ResourceContext, plan: dict[str, Any]) -> dict[str, Any]:
        data = kasm(ctx)
        # Errors name the key attribute in their summary but are not attached to it: Terraform would
        # print its source line, which holds the key when it is written literally.
        attribute = "license_key" if plan["license_key"] is not None else "activation_key"
        summary = f"Could not install the license from {attribute}"
        with api_errors("Could not read the installed licenses"):
            before = {lic.license_id for lic in self._licenses(data)}
        try:
            with data.writing():
                if plan["license_key"] is not None:
                    lic = data.client.licenses.add(plan["license_key"])
                else:
                    seats = plan["seats"]
                    lic = data.client.licenses.activate(
                        plan["activation_key"],
                        seats=int(seats) if seats is not None else None,
                        issued_to=plan["issued_to"] if isinstance(plan["issued_to"], str) else None,
                    )
        except (kerr.TransportError, kerr.ServerError, kerr.InvalidResponse) as e:
            # add_license and activate are not retried; a license this call made is removed again.
            self._remove_new(data, before)
            raise diagnostic(e, summary) from e
        except kerr.KasmError as e:
            raise diagnostic(e, summary) from e
        state = {**plan, **self._state(lic)}
        with rollback_on_failure(
            lambda: self._delete(data, lic.license_id),
            what=f"The license {lic.license_id}",
            state=state,
            summary="Kasm installed another license",
        ):
            wanted = plan["issued_to"]
            if isinstance(wanted, str) and wanted != lic.issued_to:
                raise DiagnosticError(
                    "Kasm installed another license",
                    f"issued_to was sent as {wanted!r} but the license is issued to {lic.issued_to!r}.",
                    ("issued_to",),
                )
        return state

    def _remove_new(self, data: KasmData, before: set[str]) -> None:
        """After an ambiguous failure: remove a license that was not there before (best effort)."""
        try:
            new = [lic for lic in data.client.licenses.list() if lic.license_id not in before]
            for lic in new:
                self._delete(data, lic.license_id)
        except kerr.KasmError:
            pass

    def read(self, ctx: ResourceContext, state: dict[str, Any]) -> dict[str, Any] | None:
        data = kasm(ctx)
        license_id = normalize_id(state["id"], "id")
        with api_errors("Could not read the installed licenses"):
            lic = next((x for x in self._licenses(data) if x.license_id == license_id), None)
        return None if lic is None else {**state, **self._state(lic)}

    def update(self, ctx: ResourceContext, prior: dict[str, Any], plan: dict[str, Any]) -> dict[str, Any]:
        # Reached only to record a key after an import (modify_plan checked it): nothing to send.
        return {**prior, **{n: plan[n] for n in ("license_key", "activation_key", "seats")}}

    def delete(self, ctx: ResourceContext, state: dict[str, Any]) -> None:
        with api_errors("Could not remove the license"):
            self._delete(kasm(ctx), state["id"])

    @staticmethod
    def _delete(data: KasmData, license_id: str) -> None:
        data.remove(lambda: data.client.licenses.delete(license_id))

    def import_state(self, ctx: ResourceContext, import_id: str) -> dict[str, Any]:
        return parse_import_id(import_id, [("id",)]).ids

    def modify_plan(
        self,
        ctx: ResourceContext,
        prior: dict[str, Any] | None,
        plan: dict[str, Any],
        config: dict[str, Any],
        diags: Diagnostics,
    ) -> dict[str, Any]:
        if prior is None or plan is None:
            return plan
        key = plan.get("license_key")
        # After an import (no key in state): the same license's key is recorded in place, another
        # key replaces the license.
        if prior.get("license_key") is None and isinstance(key, str) and not describes(key, prior):
            ctx.requires_replace.append(("license_key",))
        return plan
