"""``kasm_image``: a Kasm workspace ("image") with every field Kasm stores for it
(``create_image`` / ``get_images`` / ``update_image`` / ``delete_image``).

Rules (see DESIGN.md, "Provider"):

* ``update_image`` replaces the object, so an update sends the image as Kasm has it with the
  configured fields changed (fields this resource does not manage, e.g. ``x_res``, stay as they are).
* Kasm assigns some fields only when they are truthy, so it cannot clear them ("sticky":
  ``friendly_name``, ``description``, ``image_src``, ``notes``, ``link_url``, ``zone_id``,
  ``server_pool_id``). They are optional + computed: left out, Kasm's value is kept and shown.
  Every other optional field left out is Kasm's "not set" (null in state, never ``""``), and the
  numbers, flags and enums have Kasm's defaults.
* JSON documents (``run_config`` …) are strings with semantic equality (``toolkit.json_string``).
* ``docker_password`` / ``docker_password_wo`` (Kasm's ``docker_token``) are never read back; Kasm
  masks the token, and only its absence is seen (then the state forgets the password, so the next
  plan sends it again). The token is sent on create and when the password (or the write-only
  version) changes; otherwise the masked value goes back and Kasm keeps it.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ...client import errors as kerr
from ...client.models import Image, ImageSpec
from ...tfplugin import schema as s
from ...tfplugin.diagnostics import DiagnosticError, Diagnostics
from ...tfplugin.resource import Resource, ResourceContext
from ...tfplugin.types import UNKNOWN, Bool, List, Number, String
from ..context import KasmData, kasm
from ..helpers import ID_VALIDATOR, api_errors, explain, is_kasm_id, normalize_id
from ..toolkit import (
    computed,
    json_string,
    keep_id_spelling,
    keep_json,
    keep_spelling,
    parse_import_id,
    rollback_on_failure,
)

IMAGE_TYPES = ("Container", "Server", "Server Pool", "Link")
CPU_ALLOCATION_METHODS = ("Inherit", "Quotas", "Shares")
#: What Kasm shows for a docker token that is set.
MASKED = "**********"
JSON_FIELDS = ("run_config", "exec_config", "volume_mappings", "launch_config")
#: Fields Kasm assigns only when truthy (so it cannot clear them): optional + computed.
STICKY_TEXTS = ("friendly_name", "description", "image_src", "notes", "link_url")
STICKY_IDS = ("zone_id", "server_pool_id")
#: Optional texts Kasm assigns whatever is sent (null clears them).
CLEARABLE_TEXTS = ("docker_registry", "docker_user", "persistent_profile_path")
#: Plain values copied between the plan and ImageSpec (same names).
PLAIN = (
    "name",
    "enabled",
    "hidden",
    "image_type",
    "cpu_allocation_method",
    "require_gpu",
    "restrict_to_network",
    "restrict_to_server",
    "restrict_to_zone",
    "allow_network_selection",
)
INTEGERS = ("memory", "gpu_count", "uncompressed_size_mb", "session_time_limit")

# Kasm's messages that name a field: the attribute the error is shown on.
_KASM_FIELDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"json format for (\w+)"), ""),
    (re.compile(r"Invalid volume_mappings"), "volume_mappings"),
    (re.compile(r"Invalid launch_config"), "launch_config"),
    (re.compile(r"Persistent Profile Path", re.I), "persistent_profile_path"),
    (re.compile(r"Docker Network Names"), "restrict_network_names"),
    (re.compile(r"server_id|No Server exists"), "server_id"),
    (re.compile(r"zone_id|No Zone exists"), "zone_id"),
    (re.compile(r"Filter Policy|filter_policy_id", re.I), "filter_policy_id"),
)


def _attribute_of(error: kerr.KasmError) -> tuple[str, ...] | None:
    message = getattr(error, "message", "")
    for pattern, attribute in _KASM_FIELDS:
        match = pattern.search(message)
        if match:
            return (attribute or match.group(1),)
    return None


# --- validators --------------------------------------------------------------------------------------


def _positive(value: Any) -> str | None:
    return None if value > 0 else f"must be greater than 0, got {value}."


def _not_negative(value: Any) -> str | None:
    return None if value >= 0 else f"must be 0 or more, got {value}."


def _whole(value: Any) -> str | None:
    return None if value == int(value) else f"must be a whole number, got {value}."


def _profile_path(value: Any) -> str | None:
    if "{username}" in value or "{user_id}" in value:
        return None
    return (
        "must contain {username} or {user_id}, so that each user gets their own profile "
        f"(e.g. /mnt/profiles/{{username}}), got {value!r}."
    )


def _categories(value: Any) -> str | None:
    seen: set[str] = set()
    for item in value:
        if not isinstance(item, str):
            continue
        if item != item.strip() or not item or "\n" in item:
            return f"{item!r}: a category must be non-empty, on one line, without surrounding spaces."
        if item in seen:
            return f"{item!r} is listed twice (Kasm keeps one)."
        seen.add(item)
    return None


def _network_names(value: Any) -> str | None:
    for item in value:
        if isinstance(item, str) and (not item.strip() or "\n" in item):
            return f"{item!r}: a docker network name must be non-empty and on one line."
    return None


def _needed_by(flag: str, needed: str, what: str) -> s.FuncConfigValidator:
    """On ``needed``: ``flag = true`` needs it (a list needs an element)."""

    def check(obj: Mapping[str, Any]) -> str | None:
        if obj.get(flag) is True and obj.get(needed) in (None, []):
            return f"{flag} = true needs {needed}: {what}."
        return None

    return s.FuncConfigValidator(
        check, flag, summary=f"Missing {needed}", description=f"Needed when {flag} is true."
    )


def _no_policy_when_disabled(obj: Mapping[str, Any]) -> str | None:
    if obj.get("filter_policy_force_disabled") is True and obj.get("filter_policy_id") is not None:
        return (
            "Set filter_policy_id (a policy to apply) or filter_policy_force_disabled = true (no "
            "filtering), not both."
        )
    return None


# --- schema ------------------------------------------------------------------------------------------


def _attr(type_: Any, markdown: str, **kwargs: Any) -> s.Attribute:
    return s.Attribute(type_, description=s.plain_text(markdown), markdown_description=markdown, **kwargs)


def _default(type_: Any, default: Any, markdown: str, *validators: s.Validator) -> s.Attribute:
    return _attr(
        type_, f"{markdown} Default: `{default}`.", optional=True, computed=True, default=default,
        validators=list(validators),
    )  # fmt: skip


def _sticky(markdown: str, *validators: s.Validator) -> s.Attribute:
    """Optional + computed: Kasm cannot clear the value, so leaving it out keeps Kasm's."""
    return _attr(
        String,
        f"{markdown} Kasm cannot clear it once set: leaving it out keeps (and shows) Kasm's value.",
        optional=True,
        computed=True,
        validators=list(validators),
    )


def _clearable(markdown: str, *validators: s.Validator, sensitive: bool = False) -> s.Attribute:
    return _attr(String, markdown, optional=True, sensitive=sensitive, validators=list(validators))


SCHEMA = s.Schema(
    description="A Kasm workspace image, with every setting Kasm stores for it.",
    markdown_description=(
        "A Kasm workspace image (Kasm's admin UI calls it a *Workspace*): what users launch sessions "
        "of. A new image is authorised for no group: let a group launch it with `kasm_group_image`.\n\n"
        "Docker options (`run_config`, `exec_config`, `volume_mappings`, `launch_config`) are JSON "
        "strings, best written with `jsonencode()`; key order and whitespace are never a change. "
        "Memory is in bytes, as Kasm stores it (Kasm's UI counts 1 MB as 1,000,000 bytes).\n\n"
        "Destroying the image deletes it; Kasm refuses while a session or a cast config uses it, and "
        "the error says which."
    ),
    attributes={
        "id": computed("The image id (Kasm's `image_id`, 32 hex digits)."),
        "name": _attr(
            String,
            "The docker image and tag, e.g. `kasmweb/terminal:1.16.0` (for a *Server* or *Link* image, "
            "any name). Several images may share one.",
            required=True,
            validators=[s.LengthBetween(1, 255)],
        ),
        "friendly_name": _sticky("The name users see, e.g. `Terminal`.", s.LengthBetween(1, 255)),
        "description": _sticky("A description shown to users.", s.LengthBetween(1, 100_000)),
        "image_src": _sticky(
            "The thumbnail: a path on the Kasm web server (e.g. `img/thumbnails/terminal.png`) or a URL.",
            s.LengthBetween(1, 255),
        ),
        "categories": _attr(
            List(String),
            "The categories the image is listed under in the dashboard. Left out: none.",
            optional=True,
            validators=[s.FuncValidator(_categories, "unique, one-line categories")],
        ),
        "enabled": _default(Bool, True, "Whether users may launch the image."),
        "hidden": _default(Bool, False, "Hide the image from users' dashboards (it can still be launched)."),
        "image_type": _default(
            String,
            "Container",
            "`Container` (a docker image), `Server` (a fixed server), `Server Pool` or `Link` (a URL).",
            s.OneOf(*IMAGE_TYPES),
        ),
        "cores": _default(
            Number,
            1,
            "CPU cores per session (may be fractional, e.g. `0.5`).",
            s.FuncValidator(_positive, "greater than 0"),
        ),
        "memory": _default(
            Number,
            768_000_000,
            "Memory per session, **in bytes** (`2768000000` is Kasm's 2768 MB).",
            s.FuncValidator(_positive, "greater than 0"),
            s.FuncValidator(_whole, "a whole number"),
        ),
        "cpu_allocation_method": _default(
            String,
            "Inherit",
            "How cores are enforced: `Inherit`, `Quotas` or `Shares`.",
            s.OneOf(*CPU_ALLOCATION_METHODS),
        ),
        "gpu_count": _default(
            Number,
            0,
            "GPUs per session.",
            s.FuncValidator(_not_negative, "0 or more"),
            s.FuncValidator(_whole, "a whole number"),
        ),
        "require_gpu": _default(Bool, False, "Only start sessions on agents with a GPU."),
        "uncompressed_size_mb": _default(
            Number,
            0,
            "The image's uncompressed size in MB (Kasm uses it when pulling).",
            s.FuncValidator(_not_negative, "0 or more"),
            s.FuncValidator(_whole, "a whole number"),
        ),
        "docker_registry": _clearable(
            "The registry the docker image is pulled from, e.g. `https://index.docker.io/v1/`. Left out: "
            "Docker Hub.",
            s.LengthBetween(1, 255),
        ),
        "docker_user": _clearable("The registry user name.", s.LengthBetween(1, 255), sensitive=True),
        "docker_password": _attr(
            String,
            "The registry password or token (Kasm's `docker_token`). Never read back from Kasm (which "
            "masks it); sent on create and when it changes. Removing it clears Kasm's token.",
            optional=True,
            sensitive=True,
            validators=[s.ConflictsWith("docker_password_wo"), s.LengthBetween(1, 8192)],
        ),
        "docker_password_wo": _attr(
            String,
            "The registry password, write-only (Terraform 1.11 or later): never stored in plan or "
            "state. Sent on create and whenever `docker_password_wo_version` changes.",
            optional=True,
            write_only=True,
            validators=[s.LengthBetween(1, 8192)],
        ),
        "docker_password_wo_version": _attr(
            Number,
            "Change this number to send `docker_password_wo` again.",
            optional=True,
            validators=[s.RequiredWith("docker_password_wo")],
        ),
        "run_config": json_string(
            "Docker run options (the `docker run` keyword arguments Kasm passes), a JSON object, e.g. "
            '`jsonencode({ hostname = "kasm" })`. Left out: none.'
        ),
        "exec_config": json_string(
            "Commands run in the session (`first_launch`, `go`, `assign`, each `{ cmd, environment, "
            "user }`), a JSON object. Left out: none."
        ),
        "volume_mappings": json_string(
            "Host paths mounted into sessions, a JSON object of `{ <host path> = { bind, mode, uid, gid, "
            "required, skip_check } }`. Left out: none."
        ),
        "launch_config": json_string(
            "The launch form shown before a session starts (`launch_form`, a list of fields), a JSON "
            "object. Left out: none."
        ),
        "persistent_profile_path": _clearable(
            "Where each user's profile is kept between sessions; must contain `{username}` or `{user_id}`, "
            "e.g. `/mnt/profiles/{username}` or an `s3://` URL. Left out: no persistent profile.",
            s.FuncValidator(_profile_path, "contains {username} or {user_id}"),
        ),
        "session_time_limit": _attr(
            Number,
            "The most a session may last, in seconds. Left out: no limit.",
            optional=True,
            validators=[s.FuncValidator(_positive, "greater than 0"), s.FuncValidator(_whole, "whole")],
        ),
        "restrict_to_network": _default(
            Bool, False, "Start sessions only on the docker networks in `restrict_network_names`."
        ),
        "restrict_network_names": _attr(
            List(String),
            "The docker networks sessions may use (needed when `restrict_to_network` is true).",
            optional=True,
            validators=[
                s.FuncValidator(_network_names, "one-line names"),
                _needed_by("restrict_to_network", "restrict_network_names", "at least one docker network"),
            ],
        ),
        "allow_network_selection": _default(
            Bool, False, "Let users pick one of `restrict_network_names` when launching."
        ),
        "restrict_to_server": _default(Bool, False, "Start sessions only on `server_id`."),
        "server_id": _clearable(
            "The server (agent) sessions run on with `restrict_to_server`, or the server of a `Server` "
            "image.",
            ID_VALIDATOR,
            _needed_by("restrict_to_server", "server_id", "the server sessions are restricted to"),
        ),
        "server_pool_id": _sticky("The server pool of a `Server Pool` image.", ID_VALIDATOR),
        "restrict_to_zone": _default(Bool, False, "Start sessions only in the zone `zone_id`."),
        "zone_id": _sticky(
            "The deployment zone for `restrict_to_zone` (a `kasm_zone` id).",
            ID_VALIDATOR,
            _needed_by("restrict_to_zone", "zone_id", "the zone sessions are restricted to"),
        ),
        "filter_policy_id": _clearable(
            "The web filter policy applied in sessions: the allowed and denied URLs (domain allow and "
            "deny lists, categories) live in that policy. Left out: the group's or Kasm's default policy.",
            ID_VALIDATOR,
            s.FuncConfigValidator(
                _no_policy_when_disabled,
                "filter_policy_force_disabled",
                summary="Conflicting web filter settings",
                description="Not with filter_policy_force_disabled = true.",
            ),
        ),
        "filter_policy_force_disabled": _default(
            Bool, False, "Turn web filtering off for this image, whatever the group's policy says."
        ),
        "link_url": _sticky("The address a `Link` image opens.", s.LengthBetween(1, 2048)),
        "notes": _sticky("Administrators' notes (not shown to users).", s.LengthBetween(1, 100_000)),
        "available": computed(
            "Whether the docker image is present on an agent, so sessions can start now (Kasm pulls a "
            "newly named image first).",
            type_=Bool,
            stable=False,
        ),
    },
)


# --- values between Terraform and Kasm -----------------------------------------------------------------


def _as_float(value: Any) -> float:
    return (
        float(value) if isinstance(value, int | float | Decimal) and not isinstance(value, bool) else math.nan
    )


def _number(value: Any) -> Any:
    """A Kasm number as Terraform holds it: whole floats as int, so `1.0` and `1` are one value."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _desired_token(
    ctx: ResourceContext, prior: Mapping[str, Any] | None, plan: Mapping[str, Any]
) -> tuple[bool, str | None]:
    """(send, token): whether to send a new docker token (None clears it) instead of keeping Kasm's."""
    config = ctx.config or {}
    version = plan["docker_password_wo_version"]
    if prior is None:
        token = (
            plan["docker_password"]
            if plan["docker_password"] is not None
            else config.get("docker_password_wo")
        )
        return True, token
    version_changed = version != prior["docker_password_wo_version"]
    password_changed = plan["docker_password"] != prior["docker_password"]
    if version_changed and version is not None:
        value = config.get("docker_password_wo")
        if value is None:
            raise DiagnosticError(
                "Missing docker_password_wo",
                "docker_password_wo_version changed, which sends docker_password_wo again, but "
                "docker_password_wo is not set.",
                ("docker_password_wo",),
            )
        return True, value
    if password_changed and plan["docker_password"] is not None:
        return True, plan["docker_password"]
    if (password_changed or version_changed) and plan["docker_password"] is None and version is None:
        return True, None  # both removed: clear Kasm's token
    return False, None


def _spec(plan: Mapping[str, Any], base: ImageSpec, token: tuple[bool, str | None]) -> ImageSpec:
    """``base`` (Kasm's current image, or defaults) with every configured field of ``plan``."""
    values: dict[str, Any] = {name: plan[name] for name in PLAIN}
    values["cores"] = float(plan["cores"])
    for name in INTEGERS:
        values[name] = None if plan[name] is None else int(plan[name])
    for name in (*STICKY_TEXTS, *STICKY_IDS):
        # Unknown or null: nothing to change (Kasm would not clear it anyway).
        value = plan[name]
        if isinstance(value, str):
            values[name] = normalize_id(value, name) if name in STICKY_IDS else value
    for name in CLEARABLE_TEXTS:
        values[name] = plan[name]
    values["server_id"] = None if plan["server_id"] is None else normalize_id(plan["server_id"], "server_id")
    for name in JSON_FIELDS:
        values[name] = {} if plan[name] is None else json.loads(plan[name])
    values["categories"] = tuple(plan["categories"] or ())
    values["restrict_network_names"] = tuple(plan["restrict_network_names"] or ())
    if plan["filter_policy_force_disabled"]:
        values["filter_policy_id"] = "force_disabled"
    elif plan["filter_policy_id"] is not None:
        values["filter_policy_id"] = normalize_id(plan["filter_policy_id"], "filter_policy_id")
    else:
        values["filter_policy_id"] = "inherit"
    send, new_token = token
    if send:
        values["docker_token"] = new_token
    return dataclasses.replace(base, **values)


def _list_state(prior: Any, remote: tuple[str, ...]) -> list[str] | None:
    """Kasm's list; null while the prior value is null and Kasm's list is empty."""
    if prior is None and not remote:
        return None
    return list(remote)


def image_state(image: Image, prior: Mapping[str, Any]) -> dict[str, Any]:
    """The state for ``image``; ``prior`` (the plan or the state) gives the spellings to keep and the
    values Kasm never shows (the docker password)."""
    state: dict[str, Any] = {
        "id": image.image_id,
        "name": image.name,
        # The configured number while it is the float Kasm stores (0.1 stays Terraform's 0.1).
        "cores": keep_spelling(prior.get("cores"), _number(image.cores), _as_float),
        "memory": image.memory,
        "gpu_count": image.gpu_count,
        "uncompressed_size_mb": image.uncompressed_size_mb,
        "session_time_limit": image.session_time_limit,
        "available": image.available,
        "filter_policy_force_disabled": image.filter_policy_force_disabled,
        "categories": _list_state(prior.get("categories"), image.categories),
        "restrict_network_names": _list_state(
            prior.get("restrict_network_names"), image.restrict_network_names
        ),
    }
    for name in PLAIN:
        state.setdefault(name, getattr(image, name))
    for name in (*STICKY_TEXTS, *CLEARABLE_TEXTS):
        value = getattr(image, name)
        state[name] = value if value else None  # Kasm's "" is "not set"
    for name in (*STICKY_IDS, "server_id", "filter_policy_id"):
        state[name] = keep_id_spelling(prior.get(name), getattr(image, name))
    for name in JSON_FIELDS:
        state[name] = keep_json(prior.get(name), getattr(image, name))
    # Never read back: kept from the plan/state, forgotten when Kasm has no token any more.
    has_token = bool(image.docker_token)
    for name in ("docker_password", "docker_password_wo_version"):
        value = prior.get(name)
        state[name] = None if value is UNKNOWN or not has_token else value
    return state


def _kasm_error(e: kerr.KasmError, summary: str) -> DiagnosticError:
    detail = explain(e)
    if isinstance(e, kerr.PermissionDenied) or "not authorized to make these changes" in getattr(
        e, "message", ""
    ):
        detail += (
            " Changing cores, memory, GPUs, docker settings, run/exec config, volume mappings or the "
            "profile path needs both Images Modify and Images Modify Resources."
        )
    return DiagnosticError(summary, detail, _attribute_of(e))


def _gone(image_id: str) -> DiagnosticError:
    return DiagnosticError(
        "Image not found", f"The image {image_id} was deleted outside Terraform; plan again to re-create it."
    )


class ImageResource(Resource):
    type_name = "kasm_image"
    schema = SCHEMA

    # --- plan -------------------------------------------------------------------------------------

    def validate_config(self, ctx: ResourceContext, config: dict[str, Any], diags: Diagnostics) -> None:
        # A warning, not an error: the Go provider's documentation gave memory in MB.
        memory = config.get("memory")
        if isinstance(memory, int | float) and 0 < memory < 1_000_000:
            diags.warning(
                "Memory is in bytes",
                f"memory = {memory} is less than 1 MB: Kasm counts memory in bytes (e.g. 2768000000 for "
                "2768 MB). Sessions of this image will hardly start.",
                ("memory",),
            )

    def modify_plan(
        self,
        ctx: ResourceContext,
        prior: dict[str, Any] | None,
        plan: dict[str, Any],
        config: dict[str, Any],
        diags: Diagnostics,
    ) -> dict[str, Any]:
        # Sticky fields left out keep what Kasm has (null for a new image: nothing is sent).
        for name in (*STICKY_TEXTS, *STICKY_IDS):
            if config.get(name) is None:
                plan[name] = prior.get(name) if prior is not None else None
        if prior is not None and plan.get("available") is UNKNOWN and plan["name"] == prior["name"]:
            plan["available"] = prior["available"]  # only a new docker name makes Kasm pull again
        return plan

    # --- CRUD -------------------------------------------------------------------------------------

    def create(self, ctx: ResourceContext, plan: dict[str, Any]) -> dict[str, Any]:
        data = kasm(ctx)
        self._check_zone(data, plan)
        spec = _spec(plan, ImageSpec(), _desired_token(ctx, None, plan))
        try:
            with data.writing():
                image = data.client.images.create(spec)
        except kerr.KasmError as e:
            raise _kasm_error(e, "Could not create the image") from e
        partial = {k: (None if v is UNKNOWN else v) for k, v in plan.items()}
        with rollback_on_failure(
            lambda: self._delete(data, image.image_id),
            what=f"The image {image.name!r} ({image.image_id})",
            state={**partial, "id": image.image_id},
            summary="Could not create the image",
        ):
            return image_state(image, plan)

    def read(self, ctx: ResourceContext, state: dict[str, Any]) -> dict[str, Any] | None:
        data = kasm(ctx)
        with api_errors("Could not read the image"):
            image = data.image(normalize_id(state["id"], "id"))
        return None if image is None else image_state(image, state)

    def update(self, ctx: ResourceContext, prior: dict[str, Any], plan: dict[str, Any]) -> dict[str, Any]:
        data = kasm(ctx)
        image_id: str = prior["id"]
        self._check_zone(data, plan)
        with api_errors("Could not read the image"):
            current = data.image(image_id)
        if current is None:
            raise _gone(image_id)
        spec = _spec(plan, current.to_spec(), _desired_token(ctx, prior, plan))
        try:
            with data.writing():
                image = data.client.images.update(image_id, spec)
        except kerr.NotFound as e:
            raise _gone(image_id) from e
        except kerr.KasmError as e:
            raise _kasm_error(e, "Could not update the image") from e
        return {**image_state(image, plan), "id": image_id}

    def delete(self, ctx: ResourceContext, state: dict[str, Any]) -> None:
        data = kasm(ctx)
        try:
            self._delete(data, state["id"])
        except kerr.Conflict as e:
            raise DiagnosticError(
                "Image in use",
                f"Kasm refused to delete the image: {e.message}. Destroy the sessions (kasm_session) and "
                "cast configs (kasm_cast_config) that use it first; in one configuration, reference the "
                "image's id from them so Terraform destroys them before the image.",
            ) from e
        except kerr.KasmError as e:
            raise _kasm_error(e, "Could not delete the image") from e

    def import_state(self, ctx: ResourceContext, import_id: str) -> dict[str, Any]:
        parsed = parse_import_id(import_id, [("id",)], {"name": "docker name"})
        if parsed.value is None:
            return parsed.ids
        with api_errors("Could not list the images"):
            found = find_by_name(kasm(ctx), parsed.value)
        return {"id": found.image_id}

    # --- helpers ----------------------------------------------------------------------------------

    @staticmethod
    def _delete(data: KasmData, image_id: str) -> None:
        data.remove(lambda: data.client.images.delete(image_id))

    @staticmethod
    def _check_zone(data: KasmData, plan: Mapping[str, Any]) -> None:
        """An unknown zone is Kasm's unhandled error (or a terse message): checked first, on zone_id."""
        zone_id = plan.get("zone_id")
        if not isinstance(zone_id, str) or not is_kasm_id(zone_id):
            return
        wanted = normalize_id(zone_id, "zone_id")
        with api_errors("Could not list the zones", ("zone_id",)):
            zones = data.zones()
        if all(z.zone_id != wanted for z in zones):
            names = ", ".join(f"{z.zone_name} ({z.zone_id})" for z in zones) or "none"
            raise DiagnosticError(
                "Unknown zone", f"Kasm has no zone {zone_id}; its zones: {names}.", ("zone_id",)
            )


def find_by_name(data: KasmData, name: str, attribute: tuple[str, ...] | None = None) -> Image:
    """The one image with this exact docker name; a DiagnosticError when none or several have it."""
    matches = [i for i in data.images() if i.name == name]
    if not matches:
        raise DiagnosticError(
            "Image not found", f"Kasm has no image named {name!r} (the exact docker name).", attribute
        )
    if len(matches) > 1:
        ids = ", ".join(i.image_id for i in matches)
        raise DiagnosticError(
            "Several images have this name",
            f"{len(matches)} images are named {name!r} ({ids}); use the image id instead.",
            attribute,
        )
    return matches[0]
