"""The Kasm provider: its settings, configure, and the resource and data source types it serves.

Every setting is optional in the ``provider "kasm"`` block and falls back to an environment variable,
so a configuration without a provider block works with ``KASM_BASE_URL``, ``KASM_API_KEY`` and
``KASM_API_SECRET`` set. Configure checks the credentials with one ``get_images`` call, whose answer
also primes the images read cache (see ``context.py``).
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from ..client import KasmClient, TransportOptions, normalize_base_url
from ..client import errors as kerr
from ..tfplugin import schema as s
from ..tfplugin.diagnostics import DiagnosticError
from ..tfplugin.provider import Provider, ProviderContext
from ..tfplugin.resource import DataSource, Resource
from ..tfplugin.types import UNKNOWN, Bool, Number, String
from .context import KasmData, Unconfigured
from .data_sources.groups import GroupDataSource, GroupsDataSource
from .data_sources.image import ImageDataSource
from .data_sources.images import ImagesDataSource
from .data_sources.registries import RegistriesDataSource, RegistryImagesDataSource
from .data_sources.sessions import SessionDataSource, SessionsDataSource
from .data_sources.users import UserDataSource, UsersDataSource
from .data_sources.zones import ZonesDataSource
from .resources.cast_config import CastConfigResource
from .resources.group import GroupResource
from .resources.group_image import GroupImageResource
from .resources.group_membership import GroupMembershipResource
from .resources.group_setting import GroupSettingResource
from .resources.image import ImageResource
from .resources.license import LicenseResource
from .resources.registry import RegistryResource
from .resources.session import SessionResource
from .resources.session_permission import SessionPermissionResource
from .resources.staging_config import StagingConfigResource
from .resources.user import UserResource
from .resources.zone import ZoneResource

#: attribute → environment variable it falls back to.
ENV_VARS: dict[str, str] = {
    "base_url": "KASM_BASE_URL",
    "api_key": "KASM_API_KEY",
    "api_secret": "KASM_API_SECRET",
    "insecure": "KASM_INSECURE",
    "ca_file": "KASM_CA_FILE",
    "timeout": "KASM_TIMEOUT",
    "deadline": "KASM_DEADLINE",
    "max_retries": "KASM_MAX_RETRIES",
    "requests_per_second": "KASM_REQUESTS_PER_SECOND",
    "adopt_existing": "KASM_ADOPT_EXISTING",
}
REQUIRED = ("base_url", "api_key", "api_secret")
DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_RETRIES = 3
DEFAULT_DEADLINE = 30.0
# Connecting should never take long; a slow Kasm call may (timeout covers the whole answer).
MAX_CONNECT_TIMEOUT = 10.0


def _positive(value: Any) -> str | None:
    return None if value > 0 else f"must be greater than 0, got {value}."


def _described(text: str, attribute: str) -> str:
    return f"{text} When not set here, read from the `{ENV_VARS[attribute]}` environment variable."


SCHEMA = s.Schema(
    description="Manages Kasm Workspaces through its Developer API (`/api/public`).",
    markdown_description=(
        "Manages [Kasm Workspaces](https://kasmweb.com) through its Developer API (`/api/public`).\n\n"
        "Every setting may come from the environment instead of the `provider` block, so a "
        'configuration with no `provider "kasm"` block works when `KASM_BASE_URL`, `KASM_API_KEY` '
        "and `KASM_API_SECRET` are set. The API key needs the permissions of the resources it "
        "manages, and at least *Images View*: the provider checks the credentials with one "
        "`get_images` call when it starts."
    ),
    attributes={
        "base_url": s.Attribute(
            String,
            optional=True,
            description=_described(
                "Kasm's address, http:// or https://, e.g. https://kasm.example.com.", "base_url"
            ),
            markdown_description=_described(
                "Kasm's address, `http://` or `https://`, e.g. `https://kasm.example.com` "
                "(a trailing `/` or `/api/public` is ignored).",
                "base_url",
            ),
        ),
        "api_key": s.Attribute(
            String,
            optional=True,
            description=_described("The Developer API key (Admin > Settings > Developer API).", "api_key"),
            markdown_description=_described(
                "The Developer API key (*Admin → Settings → Developer API*).", "api_key"
            ),
        ),
        "api_secret": s.Attribute(
            String,
            optional=True,
            sensitive=True,
            description=_described("The secret of the API key (Kasm's api_key_secret).", "api_secret"),
            markdown_description=_described(
                "The secret of the API key (Kasm's `api_key_secret`).", "api_secret"
            ),
        ),
        "insecure": s.Attribute(
            Bool,
            optional=True,
            description=_described(
                "Skip verifying Kasm's TLS certificate (tests only). Default false.", "insecure"
            ),
            markdown_description=_described(
                "Skip verifying Kasm's TLS certificate; for test installations only. Default `false`.",
                "insecure",
            ),
        ),
        "ca_file": s.Attribute(
            String,
            optional=True,
            description=_described(
                "A PEM file of CA certificates to verify Kasm's certificate with.", "ca_file"
            ),
            markdown_description=_described(
                "A PEM file of CA certificates to verify Kasm's certificate with (a private CA).", "ca_file"
            ),
        ),
        "timeout": s.Attribute(
            Number,
            optional=True,
            validators=[s.FuncValidator(_positive, "greater than 0")],
            description=_described(
                f"Seconds to wait for each Kasm answer. Default {DEFAULT_TIMEOUT:g}.", "timeout"
            ),
            markdown_description=_described(
                f"Seconds to wait for each Kasm answer. Default `{DEFAULT_TIMEOUT:g}`.", "timeout"
            ),
        ),
        "deadline": s.Attribute(
            Number,
            optional=True,
            validators=[s.FuncValidator(_positive, "greater than 0")],
            description=_described(
                f"Seconds one Kasm call may take in total, every retry and wait included; the wait for an "
                f"answer is cut to what is left. Default {DEFAULT_DEADLINE:g}.",
                "deadline",
            ),
            markdown_description=_described(
                "Seconds one Kasm call may take in total, every retry and the waits between them included "
                "(`timeout` is the wait for one answer, and is cut to what is left of the deadline). A server "
                f"that accepts connections and never answers fails within it. Default `{DEFAULT_DEADLINE:g}`.",
                "deadline",
            ),
        ),
        "max_retries": s.Attribute(
            Number,
            optional=True,
            validators=[s.IntBetween(0, 20)],
            description=_described(
                f"Retries of a call that failed in a way that is safe to retry (connection errors, "
                f"429, 502-504), with backoff. Default {DEFAULT_MAX_RETRIES}.",
                "max_retries",
            ),
            markdown_description=_described(
                "Retries of a call that failed in a way that is safe to retry (connection errors, "
                f"HTTP 429, 502-504), with exponential backoff. Default `{DEFAULT_MAX_RETRIES}`.",
                "max_retries",
            ),
        ),
        "requests_per_second": s.Attribute(
            Number,
            optional=True,
            validators=[s.FuncValidator(_positive, "greater than 0")],
            description=_described(
                "At most this many Kasm API calls per second. Default unlimited.", "requests_per_second"
            ),
            markdown_description=_described(
                "At most this many Kasm API calls per second, across all resources. Default: no limit.",
                "requests_per_second",
            ),
        ),
        "adopt_existing": s.Attribute(
            Bool,
            optional=True,
            description=_described(
                "Let a create take over a user, group, membership or group image that already exists in "
                "Kasm (made by an interrupted apply) when every configured field matches, instead of "
                'failing with "already exists". A user\'s password cannot be compared: an adopted user gets '
                "the configured password. Default false.",
                "adopt_existing",
            ),
            markdown_description=_described(
                "Let a create take over an object that already exists in Kasm (a user, group, "
                "`kasm_group_membership` or `kasm_group_image` left by an interrupted apply, e.g. a killed "
                "`terraform`) when every configured field matches (a link: its two ids), instead of "
                'failing with "already exists". An object with any differing field is never adopted (the '
                "error names the fields). A user's password cannot be read back, so an adopted user is "
                "given the configured password. Turn it on to recover, then off again. Default `false`.",
                "adopt_existing",
            ),
        ),
    },
)


@dataclass(frozen=True)
class Settings:
    base_url: str
    api_key: str
    api_secret: str
    insecure: bool = False
    ca_file: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    deadline: float = DEFAULT_DEADLINE
    max_retries: int = DEFAULT_MAX_RETRIES
    requests_per_second: float | None = None
    adopt_existing: bool = False


def _env_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError("expected true or false")


def _env_number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("expected a number")
    return value


def _env_int(text: str) -> int:
    return int(text.strip())


_PARSERS: dict[str, Callable[[str], Any]] = {
    "insecure": _env_bool,
    "adopt_existing": _env_bool,
    "timeout": _env_number,
    "deadline": _env_number,
    "max_retries": _env_int,
    "requests_per_second": _env_number,
}


def resolve_settings(
    config: dict[str, Any], environ: dict[str, str] | None = None
) -> Settings | Unconfigured:
    """The settings from the provider block, falling back to the environment.

    Unknown values (from resources not yet created) give :class:`Unconfigured`; a missing or
    invalid value raises a DiagnosticError naming the attribute and its environment variable.
    """
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for name, var in ENV_VARS.items():
        value = config.get(name)
        if value is UNKNOWN:
            return Unconfigured(
                f"The provider's {name} is not known yet (it depends on a resource that is not created "
                "until apply), so Kasm cannot be called during this plan. Apply the resources it "
                "depends on first (terraform apply -target=...), or give a known value.",
                name,
            )
        if value is None:
            text = env.get(var, "")
            if text == "":
                continue
            try:
                value = _PARSERS[name](text) if name in _PARSERS else text
            except ValueError as e:
                raise DiagnosticError(
                    f"Invalid {var}", f"The environment variable {var} (for {name}) is invalid: {e}.", (name,)
                ) from e
        values[name] = value
    for name in REQUIRED:
        if not values.get(name):
            raise DiagnosticError(
                f"Missing Kasm {name}",
                f'Set {name} in the provider "kasm" block or the environment variable {ENV_VARS[name]}.',
                (name,),
            )
    try:
        values["base_url"] = normalize_base_url(values["base_url"])
    except ValueError as e:
        raise DiagnosticError("Invalid base_url", f"{e}.", ("base_url",)) from e
    # Environment values bypass the schema validators, so the ranges are checked here too.
    for name in ("timeout", "deadline"):
        if name in values and not values[name] > 0:
            raise DiagnosticError(
                f"Invalid {name}", f"{name} must be greater than 0, got {values[name]}.", (name,)
            )
    if "requests_per_second" in values and not values["requests_per_second"] > 0:
        raise DiagnosticError(
            "Invalid requests_per_second",
            f"requests_per_second must be greater than 0, got {values['requests_per_second']}.",
            ("requests_per_second",),
        )
    if "max_retries" in values:
        retries = values["max_retries"]
        if retries != int(retries) or not 0 <= retries <= 20:
            raise DiagnosticError(
                "Invalid max_retries",
                f"max_retries must be a whole number from 0 to 20, got {retries}.",
                ("max_retries",),
            )
        values["max_retries"] = int(retries)
    if values.get("ca_file") and not os.path.isfile(values["ca_file"]):
        raise DiagnosticError("Invalid ca_file", f"There is no file {values['ca_file']!r}.", ("ca_file",))
    for name in ("timeout", "deadline", "requests_per_second"):
        if name in values:
            values[name] = float(values[name])
    return Settings(**values)


def _check_credentials(data: KasmData, settings: Settings) -> None:
    """One call to prove Kasm is there and takes the key; its answer primes the images cache."""
    try:
        data.images()
    except kerr.AuthenticationError as e:
        # On api_key, never on api_secret: Terraform prints the source line an attribute's diagnostic
        # points at, and a literal secret there would be echoed (issue 11). Kasm does not say whether
        # the key or the secret was wrong.
        raise DiagnosticError(
            "Kasm refused the API credentials",
            f"Kasm at {settings.base_url} answered {e.message!r} for the API key {settings.api_key!r}: "
            "the key does not exist, api_secret (KASM_API_SECRET) is not its secret, the key has "
            "expired, or the license lacks the Developer API. Check api_key (KASM_API_KEY) and api_secret.",
            ("api_key",),
        ) from e
    except kerr.PermissionDenied as e:
        raise DiagnosticError(
            "The API key lacks a permission",
            f"Kasm refused get_images for the API key {settings.api_key!r} ({e.message}): {e.hint}. "
            "Grant the key *Images View* in Kasm (Admin > Settings > Developer API > Permissions); "
            "the provider uses it to check the credentials and to read images.",
            ("api_key",),
        ) from e
    except kerr.Stopped as e:
        raise DiagnosticError("Stopped", f"{e}.") from e
    except kerr.TransportError as e:
        # The client's text says which: could not connect, TLS failure, connect or read timeout.
        summary = {
            "tls": "TLS failure talking to Kasm",
            "read_timeout": "Kasm did not answer (read timeout)",
            "write_timeout": "Kasm did not answer (write timeout)",
            "connect_timeout": "Cannot reach Kasm (connect timeout)",
        }.get(e.kind, "Cannot reach Kasm")
        raise DiagnosticError(
            summary,
            f"{e}. Check base_url (KASM_BASE_URL) and that Kasm is up; the provider's deadline "
            f"(KASM_DEADLINE, {settings.deadline:g}s) bounds each call.",
            ("base_url",),
        ) from e
    except kerr.KasmError as e:
        raise DiagnosticError(
            "Kasm did not answer as expected",
            f"Checking the credentials with get_images at {settings.base_url} failed: {e}. "
            "Is base_url (KASM_BASE_URL) the address of the Kasm server?",
            ("base_url",),
        ) from e


def make_client(settings: Settings, stop: threading.Event | None = None) -> KasmClient:
    """The client for these settings (the provider's, and ``terraform-provider-kasm export``'s)."""
    options = TransportOptions(
        ca_file=settings.ca_file,
        insecure=settings.insecure,
        connect_timeout=min(settings.timeout, MAX_CONNECT_TIMEOUT),
        read_timeout=settings.timeout,
        max_retries=settings.max_retries,
        deadline=settings.deadline,
        rate_limit=settings.requests_per_second,
        stop=stop,
    )
    return KasmClient(settings.base_url, settings.api_key, settings.api_secret, options)


class KasmProvider(Provider):
    type_name = "kasm"
    schema = SCHEMA
    # One line per type; the order does not matter.
    resources: ClassVar[tuple[type[Resource], ...]] = (
        CastConfigResource,
        GroupResource,
        GroupImageResource,
        GroupMembershipResource,
        GroupSettingResource,
        ImageResource,
        LicenseResource,
        RegistryResource,
        SessionResource,
        SessionPermissionResource,
        StagingConfigResource,
        UserResource,
        ZoneResource,
    )
    data_sources: ClassVar[tuple[type[DataSource], ...]] = (
        GroupDataSource,
        GroupsDataSource,
        ImageDataSource,
        ImagesDataSource,
        UserDataSource,
        UsersDataSource,
        RegistriesDataSource,
        RegistryImagesDataSource,
        SessionDataSource,
        SessionsDataSource,
        ZonesDataSource,
    )

    def configure(self, ctx: ProviderContext, config: dict[str, Any]) -> KasmData | Unconfigured:
        settings = resolve_settings(config)
        if isinstance(settings, Unconfigured):
            ctx.log.debug("provider configure deferred", unknown=settings.attribute)
            return settings
        # A second line of defence: whatever logs them by mistake, these never reach Terraform's log.
        ctx.log.mask(settings.api_secret, settings.api_key)
        # StopProvider (and Ctrl-C) abandon calls in flight instead of waiting for their timeout.
        client = make_client(settings, ctx.stop_event)
        data = KasmData(client, adopt_existing=settings.adopt_existing)
        try:
            _check_credentials(data, settings)
        except DiagnosticError:
            client.close()
            raise
        # Never the key or the secret in logs.
        ctx.log.debug("provider configured", base_url=settings.base_url)
        return data


def provider_factory() -> Provider:
    """The provider the plugin serves (called after the handshake)."""
    return KasmProvider()
