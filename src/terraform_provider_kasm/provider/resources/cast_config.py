"""``kasm_cast_config``: a casting link (``/#/cast/<key>``): ``create_cast_config`` /
``get_cast_config`` / ``update_cast_config`` / ``delete_cast_config``.

Attribute names are Kasm's own. The Go provider's renamed attributes (``name``,
``allow_clipboard_down`` …) are accepted as deprecated aliases, so its configurations carry over.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ...client import convert
from ...client import errors as kerr
from ...client.models import CastConfig, CastConfigSpec
from ...tfplugin import schema as s
from ...tfplugin.diagnostics import DiagnosticError, Diagnostics
from ...tfplugin.resource import Resource, ResourceContext
from ...tfplugin.types import UNKNOWN, Bool, List, Number, String
from ..context import KasmData, kasm
from ..helpers import (
    ID_VALIDATOR,
    already_exists,
    api_errors,
    deleted_outside,
    diagnostic,
    id_changed,
    keep_null,
    normalize_id,
)
from ..toolkit import (
    computed,
    json_string,
    keep_id_spelling,
    keep_json,
    parse_import_id,
    rollback_on_failure,
)

_MAX_INT = 2_147_483_647  # Kasm's integer columns

#: Kasm's flags, their default (Kasm 1.15's column defaults: all off but allow_resume) and docs.
FLAGS: dict[str, tuple[bool, str]] = {
    "limit_sessions": (False, "Limit the number of sessions this link may start to `session_remaining`."),
    "limit_ips": (False, "Rate-limit requests per source IP (`ip_request_limit` per `ip_request_seconds`)."),
    "enable_sharing": (False, "Sessions started from the link are put in sharing mode."),
    "disable_control_panel": (False, "Hide the session's control panel."),
    "disable_tips": (False, "Do not show the tips dialogue."),
    "disable_fixed_res": (False, "In sharing mode, let the resolution follow the viewer."),
    "allow_anonymous": (
        False,
        "Requests need no login: Kasm makes a new anonymous user per request, in *All Users* and `group_id`.",
    ),
    "require_recaptcha": (False, "Check requests with Google reCAPTCHA (keys set in Kasm's settings)."),
    "dynamic_kasm_url": (False, "Allow a `kasm_url` query parameter on the link to set `KASM_URL`."),
    "dynamic_docker_network": (False, "Allow a `docker_network` query parameter on the link."),
    "allow_resume": (
        True,
        "Logged-in users resume their existing session of the image.",
    ),
    "enforce_client_settings": (False, "Apply the `allow_kasm_*` client settings below to the session."),
    "allow_kasm_audio": (False, "Audio from the session (with `enforce_client_settings`)."),
    "allow_kasm_uploads": (False, "File uploads into the session."),
    "allow_kasm_downloads": (False, "File downloads from the session."),
    "allow_kasm_clipboard_down": (False, "Clipboard from the session to the local machine."),
    "allow_kasm_clipboard_up": (False, "Clipboard from the local machine into the session."),
    "allow_kasm_microphone": (False, "Microphone in the session."),
    "allow_kasm_sharing": (False, "The user may put the session in sharing mode."),
    "allow_kasm_gamepad": (False, "Gamepads in the session."),
    "allow_kasm_webcam": (False, "Webcam in the session."),
    "allow_kasm_printing": (False, "Printing from the session."),
    "kasm_audio_default_on": (False, "Audio is on when the session opens."),
    "kasm_ime_mode_default_on": (False, "IME input mode is on when the session opens."),
}
COUNTS = {
    "session_remaining": "How many sessions the link may still start (with `limit_sessions`); Kasm counts it "
    "down as sessions start, which shows as drift (add it to `ignore_changes` if the link is used).",
    "ip_request_limit": "Sessions allowed per source IP in `ip_request_seconds` (with `limit_ips`).",
    "ip_request_seconds": "The window of `ip_request_limit`, in seconds.",
}
#: The Go provider's names (its schema renamed these; its docs used Kasm's) → Kasm's.
ALIASES = {
    "name": "casting_config_name",
    "allow_clipboard_down": "allow_kasm_clipboard_down",
    "allow_clipboard_up": "allow_kasm_clipboard_up",
    "allow_microphone": "allow_kasm_microphone",
    "allow_sharing": "allow_kasm_sharing",
    "audio_default_on": "kasm_audio_default_on",
    "ime_mode_default_on": "kasm_ime_mode_default_on",
}
_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_URL = re.compile(r"^(?:https?://\S+)?$")


_TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


def _parse_time(value: str) -> datetime | None:
    return convert.parse_datetime(value) if _TIME.match(value) else None


def _check_time(value: Any) -> str | None:
    if isinstance(value, str) and _parse_time(value) is not None:
        return None
    # Only Kasm's own form, so an imported value (always in that form) never differs in spelling.
    return (
        'must be a UTC time in Kasm\'s form "YYYY-MM-DD hh:mm:ss", e.g. "2030-12-31 23:59:59" or '
        f'formatdate("YYYY-MM-DD hh:mm:ss", timeadd(timestamp(), "720h")) (got {value!r}).'
    )


def _check_referrers(value: Any) -> str | None:
    if not isinstance(value, list):
        return None
    for item in value:
        if isinstance(item, str) and (not item or item != item.strip() or "\n" in item):
            return f"entries must be non-empty domains without spaces or newlines (got {item!r})."
    known = [v for v in value if isinstance(v, str)]
    if len(set(known)) != len(known):
        return "must not list a domain twice (Kasm keeps one)."
    return None


def _unset(prior: Any, planned: Any) -> bool:
    """Kasm's update ignores null fields, so a value can be removed only by a new object."""
    return prior is not None and planned is None


def _flag(name: str, default: bool, markdown: str) -> s.Attribute:
    return s.Attribute(
        Bool,
        optional=True,
        computed=True,
        default=default,
        markdown_description=markdown,
    )


def _alias(alias: str, kasm_name: str, type_: Any) -> s.Attribute:
    return s.Attribute(
        type_,
        optional=True,
        computed=True,
        deprecated=f"The Go provider's name for `{kasm_name}` (Kasm's name); use `{kasm_name}`.",
        # casting_config_name's own ExactlyOneOf covers `name`.
        validators=[] if alias == "name" else [s.ConflictsWith(kasm_name)],
        markdown_description=f"Same as `{kasm_name}`, kept so that configurations written for the Go "
        "provider carry over; always equal to it in the state.",
    )


class CastConfigResource(Resource):
    type_name = "kasm_cast_config"
    schema = s.Schema(
        markdown_description=(
            "A Kasm casting link: visiting `https://<kasm>/#/cast/<key>` starts a session of `image_id` "
            "with the settings below. Needs the license feature *session_casting* (included by "
            "default).\n\nAttribute names are Kasm's own. The Go provider's `name`, "
            "`allow_clipboard_down`, `allow_clipboard_up`, `allow_microphone`, `allow_sharing`, "
            "`audio_default_on` and `ime_mode_default_on` are accepted as deprecated aliases."
        ),
        attributes={
            "id": computed("The cast config id (Kasm's `cast_config_id`, 32 hex digits)."),
            "casting_config_name": s.Attribute(
                String,
                optional=True,
                computed=True,
                validators=[s.LengthBetween(1, 255), s.ExactlyOneOf("name")],
                markdown_description="The configuration's name, unique in Kasm (required; or the "
                "deprecated `name`). Changed in place.",
            ),
            "key": s.Attribute(
                String,
                required=True,
                validators=[
                    s.LengthBetween(1, 255),
                    s.RegexMatches(_KEY, "must be letters, digits, _ or - (it is the link's path)"),
                ],
                markdown_description="The link's path: `https://<kasm>/#/cast/<key>`. Unique in Kasm; "
                "letters, digits, `_` and `-`. Changed in place.",
            ),
            "image_id": s.Attribute(
                String,
                required=True,
                validators=[ID_VALIDATOR],
                markdown_description="The workspace (image) the link starts. Changed in place.",
            ),
            "group_id": s.Attribute(
                String,
                optional=True,
                validators=[ID_VALIDATOR],
                plan_modifiers=[s.RequiresReplaceIf(_unset, "Removing the group replaces the cast config.")],
                markdown_description="The group anonymous users (`allow_anonymous`) are put in. Another "
                "group is set in place; removing it replaces the cast config (Kasm's update cannot "
                "clear it).",
            ),
            "allowed_referrers": s.Attribute(
                List(String),
                optional=True,
                computed=True,
                default=[],
                validators=[s.FuncValidator(_check_referrers)],
                markdown_description="Domains the link may be visited from (the Referer). `[]`: any.",
            ),
            **{
                name: s.Attribute(
                    Number,
                    optional=True,
                    computed=True,
                    default=0,
                    validators=[s.IntBetween(0, _MAX_INT)],
                    markdown_description=text,
                )
                for name, text in COUNTS.items()
            },
            "error_url": s.Attribute(
                String,
                optional=True,
                validators=[s.RegexMatches(_URL, "must be an http:// or https:// URL")],
                markdown_description="Where visitors are sent when the link cannot start a session "
                '(http or https). Null and `""` both mean none (after an import, a configured `""` shows once '
                "as an update that changes nothing).",
            ),
            "kasm_url": s.Attribute(
                String,
                optional=True,
                markdown_description="The `KASM_URL` given to the session (e.g. the page a browser "
                'workspace opens). Null and `""` both mean none.',
            ),
            "valid_until": s.Attribute(
                String,
                optional=True,
                validators=[s.FuncValidator(_check_time)],
                plan_modifiers=[s.RequiresReplaceIf(_unset, "Removing the expiry replaces the cast config.")],
                markdown_description="When the link stops working, UTC, in Kasm's form "
                '`"YYYY-MM-DD hh:mm:ss"`: `"2030-12-31 23:59:59"`, or '
                '`formatdate("YYYY-MM-DD hh:mm:ss", timeadd(timestamp(), "720h"))`. '
                "Removing it replaces the cast config (Kasm's update cannot clear it).",
            ),
            "remote_app_configs": json_string(
                "Kasm's RemoteApp settings for Server (RDP) workspaces, a JSON object "
                "(`jsonencode({...})`); compared as JSON, so key order and spaces make no diff."
            ),
            **{name: _flag(name, default, text) for name, (default, text) in FLAGS.items()},
            "image_friendly_name": computed("The image's friendly name.", stable=False),
            "group_name": computed("The name of `group_id`'s group.", stable=False),
            **{
                alias: _alias(alias, kasm_name, String if alias == "name" else Bool)
                for alias, kasm_name in ALIASES.items()
            },
        },
    )

    # --- values ------------------------------------------------------------------------------------

    @staticmethod
    def _spec(plan: Mapping[str, Any], prior: Mapping[str, Any] | None) -> CastConfigSpec:
        """What Kasm is sent. Removed texts are sent as "" (Kasm's update skips nulls)."""
        values: dict[str, Any] = {n: int(plan[n]) for n in COUNTS}
        values.update({n: bool(plan[n]) for n in FLAGS})
        for n in ("error_url", "kasm_url"):
            values[n] = plan[n] if plan[n] is not None else ("" if prior else None)
        remote = plan["remote_app_configs"]
        valid_until = plan["valid_until"]
        return CastConfigSpec(
            key=plan["key"],
            casting_config_name=plan["casting_config_name"],
            image_id=normalize_id(plan["image_id"], "image_id"),
            group_id=normalize_id(plan["group_id"], "group_id") if plan["group_id"] else None,
            allowed_referrers=tuple(plan["allowed_referrers"] or ()),
            valid_until=_parse_time(valid_until) if valid_until else None,
            remote_app_configs=json.loads(remote) if remote else {},
            **values,
        )

    @staticmethod
    def _state(config: CastConfig, want: Mapping[str, Any]) -> dict[str, Any]:
        """The state for Kasm's ``config``; ``want`` (the plan, or the prior state) gives the
        spellings to keep: ids, times, JSON, and null vs "" for texts."""
        valid_until = convert.format_datetime(config.valid_until)
        state: dict[str, Any] = {
            "id": config.cast_config_id,
            "casting_config_name": config.casting_config_name,
            "key": config.key,
            "image_id": keep_id_spelling(want.get("image_id"), config.image_id),
            "group_id": keep_id_spelling(want.get("group_id"), config.group_id) if config.group_id else None,
            "allowed_referrers": list(config.allowed_referrers),
            **{n: getattr(config, n) for n in COUNTS},
            **{n: getattr(config, n) for n in FLAGS},
            "error_url": keep_null(config.error_url, want.get("error_url")),
            "kasm_url": keep_null(config.kasm_url, want.get("kasm_url")),
            "valid_until": valid_until,
            "remote_app_configs": keep_json(want.get("remote_app_configs"), config.remote_app_configs),
            "image_friendly_name": config.image_friendly_name,
            "group_name": config.group_name,
        }
        state.update({alias: state[kasm_name] for alias, kasm_name in ALIASES.items()})
        return state

    # --- checks --------------------------------------------------------------------------------------

    @staticmethod
    def _check_references(data: KasmData, plan: Mapping[str, Any]) -> None:
        """Unknown image or group: an error on the attribute before anything is written."""
        image_id = normalize_id(plan["image_id"], "image_id")
        with api_errors("Could not read Kasm's images", ("image_id",)):
            image = data.image(image_id)
        if image is None:
            raise DiagnosticError(
                "Unknown image", f"Kasm has no image with id {plan['image_id']}.", ("image_id",)
            )
        if plan["group_id"]:
            group_id = normalize_id(plan["group_id"], "group_id")
            with api_errors("Could not read Kasm's groups", ("group_id",)):
                group = data.group(group_id)
            if group is None:
                raise DiagnosticError(
                    "Unknown group", f"Kasm has no group with id {plan['group_id']}.", ("group_id",)
                )

    def _conflict(
        self,
        data: KasmData,
        plan: Mapping[str, Any],
        config: Mapping[str, Any] | None,
        e: kerr.KasmError,
        own: str | None,
    ) -> DiagnosticError:
        """Kasm's "key or name must be unique": which one clashes, and how to import that config."""
        with api_errors("Could not read the cast configs"):
            others = [c for c in data.client.cast_configs.list() if c.cast_config_id != own]
        by_key = next((c for c in others if c.key == plan["key"]), None)
        if by_key is not None:
            return DiagnosticError(
                "Cast config key in use",
                f"Kasm already has a cast config with key {plan['key']!r}; choose another key, or: "
                + already_exists("That cast config", self.type_name, f"key:{plan['key']}", e.message),
                ("key",),
            )
        by_name = next((c for c in others if c.casting_config_name == plan["casting_config_name"]), None)
        # The attribute the configuration sets (the deprecated alias, or Kasm's name).
        attribute = "name" if (config or {}).get("name") is not None else "casting_config_name"
        detail = f"Kasm already has a cast config named {plan['casting_config_name']!r}"
        if by_name is not None:
            detail += f" (key {by_name.key!r}); choose another name, or: " + already_exists(
                "That cast config", self.type_name, by_name.cast_config_id, e.message
            )
        return DiagnosticError("Cast config name in use", detail, (attribute,))

    # --- CRUD --------------------------------------------------------------------------------------

    def create(self, ctx: ResourceContext, plan: dict[str, Any]) -> dict[str, Any]:
        data = kasm(ctx)
        self._check_references(data, plan)
        try:
            with data.writing():
                config = data.client.cast_configs.create(self._spec(plan, None))
        except kerr.Conflict as e:
            raise self._conflict(data, plan, ctx.config, e, None) from e
        except kerr.KasmError as e:
            raise diagnostic(e, "Could not create the cast config") from e
        state = self._state(config, plan)
        with rollback_on_failure(
            lambda: self._delete(data, config.cast_config_id),
            what=f"The cast config {config.key!r} ({config.cast_config_id})",
            state=state,
            summary="Kasm stored another value",
        ):
            self._check_stored(plan, state)
        return state

    @staticmethod
    def _check_stored(plan: Mapping[str, Any], state: Mapping[str, Any]) -> None:
        """Kasm's answer must hold what was planned (else Terraform's "inconsistent result", with
        the object made but not in state): an error naming the attribute instead."""
        for name, planned in plan.items():
            if planned is UNKNOWN or name in ("id", "image_friendly_name", "group_name"):
                continue
            if state.get(name) != planned:
                raise DiagnosticError(
                    "Kasm stored another value",
                    f"{name} was sent as {planned!r} but Kasm stored {state.get(name)!r}.",
                    (name,),
                )

    def read(self, ctx: ResourceContext, state: dict[str, Any]) -> dict[str, Any] | None:
        data = kasm(ctx)
        config_id = normalize_id(state["id"], "id")
        with api_errors("Could not read the cast config"):
            config = data.read_or_gone(
                ("get_cast_config", config_id), lambda: data.client.cast_configs.get(config_id)
            )
        return None if config is None else self._state(config, state)

    def update(self, ctx: ResourceContext, prior: dict[str, Any], plan: dict[str, Any]) -> dict[str, Any]:
        data = kasm(ctx)
        config_id: str = prior["id"]
        self._check_references(data, plan)
        try:
            with data.writing():
                config = data.client.cast_configs.update(config_id, self._spec(plan, prior))
        except kerr.NotFound as e:
            raise deleted_outside("cast config", config_id) from e
        except kerr.Conflict as e:
            raise self._conflict(data, plan, ctx.config, e, config_id) from e
        except kerr.KasmError as e:
            raise diagnostic(e, "Could not update the cast config") from e
        return {**self._state(config, plan), "id": config_id}

    def delete(self, ctx: ResourceContext, state: dict[str, Any]) -> None:
        data = kasm(ctx)
        with api_errors("Could not delete the cast config"):
            self._delete(data, state["id"])

    @staticmethod
    def _delete(data: KasmData, config_id: str) -> None:
        data.remove(lambda: data.client.cast_configs.delete(config_id))

    def import_state(self, ctx: ResourceContext, import_id: str) -> dict[str, Any]:
        parsed = parse_import_id(import_id, [("id",)], {"key": "cast key"})
        if parsed.value is None:
            return parsed.ids
        data = kasm(ctx)
        with api_errors("Could not read the cast configs"):
            found = next((c for c in data.client.cast_configs.list() if c.key == parsed.value), None)
        if found is None:
            raise DiagnosticError(
                "Cast config not found", f"Kasm has no cast config with key {parsed.value!r}."
            )
        return {"id": found.cast_config_id}

    def modify_plan(
        self,
        ctx: ResourceContext,
        prior: dict[str, Any] | None,
        plan: dict[str, Any],
        config: dict[str, Any],
        diags: Diagnostics,
    ) -> dict[str, Any]:
        # An alias and Kasm's name always hold the same value: the configured one of the two.
        for alias, kasm_name in ALIASES.items():
            if config.get(alias) is not None:
                plan[kasm_name] = config[alias]
            plan[alias] = plan[kasm_name]
        # The names Kasm reports for the image and group change only when they do.
        if prior is not None:
            for ref, name in (("image_id", "image_friendly_name"), ("group_id", "group_name")):
                unchanged = plan[ref] is not UNKNOWN and not (
                    id_changed(prior[ref], plan[ref]) if prior[ref] and plan[ref] else prior[ref] != plan[ref]
                )
                if unchanged:
                    plan[name] = prior[name]
        return plan
