"""``kasm_registry``: an installed workspace registry (``create_registry`` / ``get_registries`` /
``registry_auto_updates`` / ``delete_registry``).

Kasm has no call that moves an installed registry to another URL, channel or schema, so changing
one of those replaces the registry (uninstall, install: the workspaces installed from it stay);
``do_auto_update`` is changed in place (``registry_auto_updates``).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

from ...client import errors as kerr
from ...client.models import Registry
from ...tfplugin import schema as s
from ...tfplugin.diagnostics import DiagnosticError, Diagnostics
from ...tfplugin.resource import Resource, ResourceContext
from ...tfplugin.types import UNKNOWN, Bool, String
from ..context import KasmData, kasm
from ..helpers import already_exists, api_errors, diagnostic
from ..toolkit import computed, import_id_or_lookup, keep_spelling, partial_state, rollback_on_failure

CHANNEL_NAMES = ("stable", "beta", "develop")
VERSION = re.compile(r"^\d+\.\d+\.\d+$")
CHANNEL_MESSAGE = (
    "Channel must be a valid Kasm version (x.y.z) or a valid channel name (stable, beta, develop)"
)


def url_problem(value: str) -> str | None:
    """Why ``value`` is not a registry URL Kasm can fetch (http, https, or file on Kasm's host)."""
    parsed = urlparse(value.strip())
    if parsed.scheme not in ("http", "https", "file"):
        return f"URL must start with http:// or https:// (or file:// for a registry on the Kasm host), got {value!r}."
    if parsed.scheme != "file" and not parsed.hostname:
        return f"URL has no host name: {value!r}."
    if parsed.scheme == "file" and not parsed.path.strip("/"):
        return f"URL has no path: {value!r}."
    return None


def channel_problem(value: str) -> str | None:
    return None if VERSION.match(value) or value in CHANNEL_NAMES else f"{CHANNEL_MESSAGE}, got {value!r}."


def _url_key(value: Any) -> Any:
    return value.strip().rstrip("/") if isinstance(value, str) else value


def _channel(prior: Any, remote: str | None) -> Any:
    """Kasm's channel; the prior one when Kasm does not report any (1.15), or when the prior is a
    channel name that Kasm resolved to the version it serves (``stable`` → ``1.16.0``)."""
    if remote is None:
        return prior
    if prior in CHANNEL_NAMES and VERSION.match(remote):
        return prior
    return remote


def _replace_on_change(prior: Any, planned: Any) -> bool:
    return planned is not None and prior != planned


def state_of(registry: Registry, prior: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": registry.registry_id,
        "url": keep_spelling(prior.get("url"), registry.registry_url, _url_key),
        "channel": _channel(prior.get("channel"), registry.channel),
        "override_schema": registry.override_schema
        if registry.override_schema is not None
        else prior.get("override_schema"),
        "do_auto_update": registry.do_auto_update,
        "name": registry.config.get("name") if isinstance(registry.config.get("name"), str) else None,
        "schema_version": registry.schema_version,
        "is_verified": registry.is_verified,
    }


class RegistryResource(Resource):
    type_name = "kasm_registry"
    schema = s.Schema(
        markdown_description=(
            "An installed Kasm workspace registry: the list of workspaces that Kasm offers to install "
            "(*Workspaces > Registry*). Its workspaces are listed by the `kasm_registry_images` data "
            "source; install one with `kasm_image`.\n\n"
            "Kasm cannot move an installed registry to another URL, channel or schema: changing `url`, "
            "`channel` or `override_schema` replaces it (uninstalled and installed again; workspaces "
            "installed from it stay). `do_auto_update` changes in place."
        ),
        attributes={
            "id": computed("The registry id (Kasm's `registry_id`, 32 hex digits)."),
            "url": s.Attribute(
                String,
                required=True,
                validators=[s.FuncValidator(url_problem, "an http://, https:// or file:// URL")],
                plan_modifiers=[
                    s.SemanticEquality(_url_key, "Only a trailing `/` more or less is no change."),
                    s.RequiresReplaceIf(
                        lambda prior, planned: _url_key(prior) != _url_key(planned),
                        "Another URL (not just a trailing `/`) replaces the registry.",
                    ),
                ],
                markdown_description=(
                    "The registry's address, e.g. `https://registry.kasmweb.com/` (Kasm fetches "
                    "`<url>versions.txt` and `<url>1.0/list.json` from it). A trailing `/` makes no "
                    "difference."
                ),
            ),
            "channel": s.Attribute(
                String,
                optional=True,
                computed=True,
                validators=[s.FuncValidator(channel_problem, "x.y.z, stable, beta or develop")],
                plan_modifiers=[
                    s.UseStateForUnknown(),
                    s.RequiresReplaceIf(_replace_on_change, "Another channel replaces the registry."),
                ],
                markdown_description=(
                    "The channel whose workspaces Kasm offers: a Kasm version (`1.16.0`) or `stable`, "
                    "`beta`, `develop`. Sent when the registry is installed (Kasm 1.15 ignores it). "
                    "Read back when Kasm reports it; a channel name that Kasm reports as the version it "
                    "resolved to is kept as configured."
                ),
            ),
            "override_schema": s.Attribute(
                String,
                optional=True,
                computed=True,
                validators=[s.LengthBetween(1, 255)],
                plan_modifiers=[
                    s.UseStateForUnknown(),
                    s.RequiresReplaceIf(_replace_on_change, "Another schema replaces the registry."),
                ],
                markdown_description=(
                    "A registry schema version to use instead of the newest one the registry and Kasm "
                    "share. Sent when the registry is installed (Kasm 1.15 ignores it); read back when "
                    "Kasm reports it."
                ),
            ),
            "do_auto_update": s.Attribute(
                Bool,
                optional=True,
                computed=True,
                plan_modifiers=[s.UseStateForUnknown()],
                markdown_description=(
                    "Whether Kasm refreshes the registry's list by itself. Left out, Kasm's value is "
                    "kept (and shown). Changed in place."
                ),
            ),
            "name": computed("The registry's name, from its list (`config.name`)."),
            "schema_version": computed("The registry schema version Kasm reads."),
            "is_verified": computed("Whether Kasm verified the registry.", type_=Bool),
        },
    )

    def create(self, ctx: ResourceContext, plan: dict[str, Any]) -> dict[str, Any]:
        data = kasm(ctx)
        # Computed attributes left out of the configuration are unknown here: not sent, read back.
        plan = {name: None if value is UNKNOWN else value for name, value in plan.items()}
        url = plan["url"].strip()
        with api_errors("Could not read the registries"):
            existing = next((r for r in data.registries() if _url_key(r.registry_url) == _url_key(url)), None)
        if existing is not None:
            raise self._exists(url, "This Registry has already been installed.")
        try:
            with data.writing():
                registry = data.client.registries.create(
                    url, channel=plan["channel"], override_schema=plan["override_schema"]
                )
        except kerr.Conflict as e:
            raise self._exists(url, e.message) from e
        except kerr.KasmError as e:
            raise diagnostic(e, "Could not install the registry", ("url",)) from e
        state = state_of(registry, plan)
        wanted = plan["do_auto_update"]
        if isinstance(wanted, bool) and wanted != registry.do_auto_update:
            with rollback_on_failure(
                lambda: self._delete(data, registry.registry_id),
                what=f"The registry {url} ({registry.registry_id})",
                state=state,
                summary="Could not set the registry's automatic updates",
            ):
                self._set_auto_updates(data, registry.registry_id, wanted)
            state["do_auto_update"] = wanted
        return state

    def _exists(self, url: str, kasm_said: str) -> DiagnosticError:
        return DiagnosticError(
            "Registry already installed",
            f"Kasm already has the registry {url}: "
            + already_exists("The registry", self.type_name, f"url:{url}", kasm_said),
            ("url",),
        )

    @staticmethod
    def _set_auto_updates(data: KasmData, registry_id: str, enabled: bool) -> None:
        summary = "Could not set the registry's automatic updates"
        with api_errors(summary, ("do_auto_update",)), data.writing():
            data.client.registries.set_auto_updates(registry_id, enabled)

    def read(self, ctx: ResourceContext, state: dict[str, Any]) -> dict[str, Any] | None:
        data = kasm(ctx)
        with api_errors("Could not read the registry"):
            registry = data.registry(state["id"])
        return state_of(registry, state) if registry is not None else None

    def update(self, ctx: ResourceContext, prior: dict[str, Any], plan: dict[str, Any]) -> dict[str, Any]:
        data = kasm(ctx)
        state = {**prior, "url": plan["url"]}
        wanted = plan["do_auto_update"]
        if isinstance(wanted, bool) and wanted != prior["do_auto_update"]:
            try:
                self._set_auto_updates(data, prior["id"], wanted)
            except DiagnosticError as e:
                if isinstance(e.__cause__, kerr.NotFound):
                    raise DiagnosticError(
                        "Registry not found",
                        f"The registry {prior['id']} was removed outside Terraform; plan again to install it.",
                    ) from e
                raise
            state["do_auto_update"] = wanted
        with partial_state(state), api_errors("Could not read the registry"):
            registry = data.registry(prior["id"])
        return state_of(registry, state) if registry is not None else state

    def delete(self, ctx: ResourceContext, state: dict[str, Any]) -> None:
        data = kasm(ctx)
        with api_errors("Could not uninstall the registry"):
            self._delete(data, state["id"])

    @staticmethod
    def _delete(data: KasmData, registry_id: str) -> None:
        data.remove(lambda: data.client.registries.delete(registry_id))

    def modify_plan(
        self,
        ctx: ResourceContext,
        prior: dict[str, Any] | None,
        plan: dict[str, Any],
        config: dict[str, Any],
        diags: Diagnostics,
    ) -> dict[str, Any]:
        # Nothing an in-place update does changes these unless configured, not even when Kasm
        # reports none (null): the prior value is the planned one, not "known after apply".
        if prior is not None:
            for name in (
                "channel",
                "override_schema",
                "do_auto_update",
                "name",
                "schema_version",
                "is_verified",
            ):
                if plan.get(name) is UNKNOWN and config.get(name) is None:
                    plan[name] = prior.get(name)
        return plan

    def import_state(self, ctx: ResourceContext, import_id: str) -> dict[str, Any]:
        def find(url: str) -> str | None:
            registries = kasm(ctx).registries()
            return next(
                (r.registry_id for r in registries if _url_key(r.registry_url) == _url_key(url)), None
            )

        return import_id_or_lookup(
            import_id,
            "url",
            "registry installed from",
            find,
            summary="Could not read the registries",
            not_found="Registry not found",
        )
