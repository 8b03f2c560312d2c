"""``kasm_session``: a running Kasm session ("kasm") of one image for one user.

Lifecycle (see DESIGN.md, "Provider"): create calls ``request_kasm`` and returns once
``get_kasm_status`` says ``running`` (polled with backoff within ``timeouts.create``); a session that
never runs is destroyed again, so a failed create leaves nothing behind. Read uses the cached
``get_kasms`` list, never ``get_kasm_status`` (which mints a new session token on every call); a
destroyed or ending session is removed from state. Delete calls ``destroy_kasm``. Nothing about a
session can change in place in Kasm, so every configurable attribute forces a replacement.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from ...client import errors as kerr
from ...client.models import Session, SessionStatus
from ...tfplugin import schema as s
from ...tfplugin.diagnostics import DiagnosticError, Diagnostics
from ...tfplugin.resource import Resource, ResourceContext
from ...tfplugin.types import UNKNOWN, Bool, String
from ..context import KasmData, kasm
from ..helpers import api_errors, diagnostic, explain, is_kasm_id, normalize_id, reference_id
from ..toolkit import computed, keep_id_spelling, parse_import_id, rollback_on_failure

DEFAULT_CREATE_TIMEOUT = "5m"
_DURATION = re.compile(r"^(?:\d+(?:\.\d+)?(?:h|ms|m|s))+$")
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(h|ms|m|s)")
_UNIT_SECONDS = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
# Sessions in these states are on their way out: for Terraform they are gone.
GONE_STATES = frozenset(
    {"delete_pending", "user_delete_pending", "admin_delete_pending", "destroying", "deleting"}
)
# Computed attributes Kasm reports (null in the state kept after a failed cleanup).
_REPORTED = (
    "share_id",
    "operational_status",
    "kasm_url",
    "username",
    "hostname",
    "container_ip",
    "server_id",
    "created",
    "expiration_date",
)


def parse_duration(text: str) -> float:
    """Seconds in a Go-style duration ("5m", "1h30m", "90s", "500ms")."""
    if not _DURATION.match(text):
        raise ValueError(f'"{text}" is not a duration such as "30s", "5m" or "1h30m"')
    return sum(float(n) * _UNIT_SECONDS[unit] for n, unit in _DURATION_PART.findall(text))


def _check_duration(value: object) -> str | None:
    try:
        seconds = parse_duration(str(value))
    except ValueError as e:
        return str(e)
    return None if seconds > 0 else "must be longer than 0s"


def timestamp(value: datetime | None) -> str | None:
    """RFC 3339 in UTC, the form Terraform's timestamp functions use."""
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _SharingSetting(s.RequiresReplace):
    """share and enable_sharing are one setting (default false): both plan the configured value
    (enable_sharing wins), and a change, or a value not known yet, replaces the session."""

    def plan_modify(self, request: s.PlanModifyRequest) -> s.PlanModifyResponse:
        share, enable = request.config.get("share"), request.config.get("enable_sharing")
        chosen = enable if enable is not None else share
        response = s.PlanModifyResponse(False if chosen is None else chosen)
        if request.state is not None:
            response.requires_replace = (
                response.plan_value is UNKNOWN or response.plan_value != request.state["enable_sharing"]
            )
        return response


def _different_sharing(config: Mapping[str, Any]) -> str | None:
    share, enable = config.get("share"), config.get("enable_sharing")
    if share is not None and enable is not None and share != enable:
        return "share is the older name of enable_sharing; set only enable_sharing."
    return None


class SessionResource(Resource):
    type_name = "kasm_session"
    schema = s.Schema(
        description=(
            "A Kasm session of one image for one user, running when the apply finishes. Kasm grants "
            "images only through groups: the user must be in a group the image is authorised for "
            "(kasm_group_membership + kasm_group_image, both in depends_on) and the image must be "
            "enabled. Every configurable attribute forces a new session."
        ),
        attributes={
            "id": computed("The session's id (Kasm's kasm_id, 32 hex digits)."),
            "kasm_id": computed("The session's id, as Kasm names it (same as id)."),
            "image_id": reference_id(
                "The image (workspace) to run, e.g. `data.kasm_images.x.images[0].id`.",
                "a different image needs a new session",
            ),
            "user_id": reference_id(
                "The user the session runs for, e.g. `kasm_user.x.id`.",
                "a different user needs a new session",
            ),
            "enable_sharing": s.Attribute(
                Bool,
                optional=True,
                computed=True,
                plan_modifiers=[_SharingSetting()],
                description=(
                    "Create a share id so others can join the session (needs the group setting "
                    "allow_kasm_sharing for the user). Default false."
                ),
            ),
            "share": s.Attribute(
                Bool,
                optional=True,
                computed=True,
                plan_modifiers=[_SharingSetting()],
                validators=[
                    s.FuncConfigValidator(
                        _different_sharing, "enable_sharing", summary="Conflicting sharing settings"
                    )
                ],
                deprecated="Use enable_sharing; share is the same setting under its older name.",
                description="The older name of enable_sharing (kept for existing configurations).",
            ),
            "share_id": computed("The share id others join with (null without sharing)."),
            "operational_status": computed(
                "Kasm's state of the session: running, or stopped, paused … if changed since."
            ),
            "kasm_url": computed(
                "The connect link (with a session token) Kasm gave when the session started; treat it as "
                "a secret. Null after an import (getting one would mint a new token).",
                sensitive=True,
            ),
            "username": computed("The user's username."),
            "hostname": computed("The host clients connect to."),
            "container_ip": computed("The session container's IP address."),
            "server_id": computed("The id of the agent (server) running the session."),
            "created": computed("When the session was created (RFC 3339)."),
            "expiration_date": computed(
                "When Kasm ends the session unless it is kept alive (RFC 3339).", stable=False
            ),
        },
        blocks={
            "timeouts": s.Block(
                s.NestingMode.SINGLE,
                description="How long operations may take.",
                attributes={
                    "create": s.Attribute(
                        String,
                        optional=True,
                        validators=[s.FuncValidator(_check_duration, "a duration such as 5m")],
                        description=(
                            f"How long to wait for the session to run, e.g. 30s, 5m, 1h "
                            f"(default {DEFAULT_CREATE_TIMEOUT})."
                        ),
                    ),
                },
            ),
        },
    )

    # --- plan -------------------------------------------------------------------------------------

    def modify_plan(
        self,
        ctx: ResourceContext,
        prior: dict[str, Any] | None,
        plan: dict[str, Any],
        config: dict[str, Any],
        diags: Diagnostics,
    ) -> dict[str, Any]:
        if prior is None and isinstance(ctx.provider_data, KasmData):
            self._check_image(ctx.provider_data, plan["image_id"], diags)
        return plan

    @staticmethod
    def _check_image(data: KasmData, image_id: Any, diags: Diagnostics) -> None:
        """An unknown image id fails at plan time, before anything is created."""
        if not isinstance(image_id, str) or not is_kasm_id(image_id):
            return
        with api_errors("Could not list the Kasm images", ("image_id",)):
            image = data.image(normalize_id(image_id, "image_id"))
        if image is None:
            diags.error(
                "Unknown image",
                f"Kasm has no image with id {image_id}. Use an id from the kasm_images data source.",
                ("image_id",),
            )

    # --- CRUD -------------------------------------------------------------------------------------

    def create(self, ctx: ResourceContext, plan: dict[str, Any]) -> dict[str, Any]:
        data = kasm(ctx)
        user_id = normalize_id(plan["user_id"], "user_id")
        image_id = normalize_id(plan["image_id"], "image_id")
        sharing = bool(plan["enable_sharing"])
        timeout = parse_duration((plan.get("timeouts") or {}).get("create") or DEFAULT_CREATE_TIMEOUT)
        try:
            with data.writing():
                requested = data.client.sessions.request(
                    user_id=user_id, image_id=image_id, enable_sharing=True if sharing else None
                )
        except kerr.KasmError as e:
            raise self._request_failed(data, e, user_id, image_id) from e
        kasm_id = requested.kasm_id
        with rollback_on_failure(
            lambda: self._destroy(data, kasm_id, user_id),
            what=f"The session {kasm_id}",
            state={**plan, **dict.fromkeys(_REPORTED), "id": kasm_id, "kasm_id": kasm_id},
            summary="Could not start the Kasm session",
        ):
            if sharing and not requested.share_id:
                raise DiagnosticError(
                    "Sharing not allowed",
                    f"Kasm started the session but could not share it ({requested.warning or 'no share id'}). "
                    "Sharing needs the group setting allow_kasm_sharing = true in one of the user's groups "
                    "(and a license that includes sharing). The session was destroyed again.",
                    ("enable_sharing",),
                )
            status = self._wait_until_running(ctx, data, kasm_id, user_id, timeout)
            session = status.kasm
            if session is None:
                # The running status normally carries the session; get_kasms (Sessions View) otherwise.
                with api_errors("Could not read the new Kasm session"):
                    session = self._find(data, kasm_id)
            if session is None:
                raise DiagnosticError(
                    "Session vanished", f"The session {kasm_id} ended right after it started."
                )
        state = self._state(session, {**plan, "kasm_url": status.kasm_url})
        return {**state, "username": session.username or requested.username}

    def read(self, ctx: ResourceContext, state: dict[str, Any]) -> dict[str, Any] | None:
        data = kasm(ctx)
        kasm_id = normalize_id(state["id"], "id")
        with api_errors("Could not read the Kasm session"):
            session = self._find(data, kasm_id)
        if session is None or session.operational_status in GONE_STATES:
            return None
        return self._state(session, state)

    def update(self, ctx: ResourceContext, prior: dict[str, Any], plan: dict[str, Any]) -> dict[str, Any]:
        # Only what Kasm never sees can change in place: id spellings and timeouts.
        return {
            **prior,
            "user_id": plan["user_id"],
            "image_id": plan["image_id"],
            "timeouts": plan["timeouts"],
        }

    def delete(self, ctx: ResourceContext, state: dict[str, Any]) -> None:
        data = kasm(ctx)
        kasm_id = normalize_id(state["id"], "id")
        user_id = normalize_id(state["user_id"], "user_id")
        with api_errors("Could not destroy the Kasm session"):
            self._destroy(data, kasm_id, user_id)

    def import_state(self, ctx: ResourceContext, import_id: str) -> dict[str, Any]:
        ids = parse_import_id(import_id, [("kasm_id",), ("user_id", "kasm_id")]).ids
        kasm_id = ids["kasm_id"]
        if "user_id" in ids:
            user_id = ids["user_id"]
            data = kasm(ctx)
            with api_errors("Could not read the Kasm session"):
                session = self._find(data, kasm_id)
            if session is not None and session.user_id != user_id:
                raise DiagnosticError(
                    "Wrong user for the session",
                    f"The session {kasm_id} belongs to user {session.username} ({session.user_id}), not {user_id}.",
                )
        return {"id": kasm_id, "kasm_id": kasm_id}

    # --- helpers ----------------------------------------------------------------------------------

    @staticmethod
    def _find(data: KasmData, kasm_id: str) -> Session | None:
        """The session from one cached get_kasms per provider process (no session token minted)."""
        return next((x for x in data.sessions() if x.kasm_id == kasm_id), None)

    @staticmethod
    def _wait_until_running(
        ctx: ResourceContext, data: KasmData, kasm_id: str, user_id: str, timeout: float
    ) -> SessionStatus:
        """The client's wait (backoff 0.25 s doubling to 5 s), its outcomes as diagnostics."""
        try:
            return data.client.sessions.wait_until_running(
                kasm_id, user_id, timeout=timeout, stop=ctx.stop_event
            )
        except kerr.SessionEnded as e:
            raise DiagnosticError(
                "Session did not start",
                f"The session {kasm_id} is {e.operational_status} instead of running.",
            ) from e
        except kerr.Interrupted as e:
            raise DiagnosticError(
                "Interrupted", f"Terraform stopped while waiting for session {kasm_id}: {e}"
            ) from e
        except kerr.StartTimeout as e:
            raise DiagnosticError(
                "Session did not start in time",
                f"{e} (timeouts.create). Kasm may be pulling the image or short of capacity; raise "
                "timeouts.create if so.",
                ("timeouts", "create"),
            ) from e
        except kerr.KasmError as e:
            raise diagnostic(e, "Could not get the Kasm session's status") from e

    @staticmethod
    def _request_failed(
        data: KasmData, error: kerr.KasmError, user_id: str, image_id: str
    ) -> DiagnosticError:
        message = getattr(error, "message", "")
        if isinstance(error, kerr.APIError) and message == "Image Not Authorized":
            return SessionResource._not_authorized(data, user_id, image_id)
        if isinstance(error, kerr.NotFound) and error.kind == "image":
            return DiagnosticError("Unknown image", f"Kasm has no image with id {image_id}.", ("image_id",))
        if isinstance(error, kerr.NotFound) and error.kind == "user":
            return DiagnosticError("Unknown user", f"Kasm has no user with id {user_id}.", ("user_id",))
        if isinstance(error, kerr.NoResourcesAvailable):
            return DiagnosticError(
                "No session available",
                f"Kasm cannot start another session: {message}. A user may run at most the group setting "
                "max_kasms_per_user sessions (2 by default), and the license caps concurrent sessions.",
            )
        return DiagnosticError("Could not start the Kasm session", explain(error))

    @staticmethod
    def _not_authorized(data: KasmData, user_id: str, image_id: str) -> DiagnosticError:
        """Kasm says only "Image Not Authorized": explain the rule with the names involved."""
        try:
            user = data.client.users.find(user_id)
            image = data.image(image_id)
        except kerr.KasmError:
            user, image = None, None
        who = f'user "{user.username}" ({user_id})' if user is not None else f"user {user_id}"
        if image is not None:
            what = f'image "{image.friendly_name or image.name}" ({image.name}, {image_id})'
        else:
            what = f"image {image_id}"
        disabled = (
            " The image is also disabled: enable it." if image is not None and not image.enabled else ""
        )
        return DiagnosticError(
            "Image Not Authorized",
            f"Kasm refused to start {what} for {who}. Kasm grants images to groups, not to users: a user "
            "may launch an image only when it is enabled and authorised for a group the user is in. "
            "Authorise the image for a group (kasm_group_image), put the user in that group "
            "(kasm_group_membership, or kasm_user.groups), and list both in this session's depends_on so "
            f"they exist before it starts.{disabled}",
            ("image_id",),
        )

    @staticmethod
    def _destroy(data: KasmData, kasm_id: str, user_id: str) -> None:
        with data.writing():
            # Already destroyed (or its user deleted): NotFound, which is success here.
            data.client.sessions.destroy(kasm_id, user_id, missing_ok=True)

    @staticmethod
    def _state(session: Session, prior: Mapping[str, Any]) -> dict[str, Any]:
        """The state for ``session``; ``prior`` (state or plan) supplies spellings and what Kasm
        cannot report again (the connect link)."""
        shared = session.share_id is not None
        return {
            "id": session.kasm_id,
            "kasm_id": session.kasm_id,
            "user_id": keep_id_spelling(prior.get("user_id"), session.user_id),
            "image_id": keep_id_spelling(prior.get("image_id"), session.image_id),
            "enable_sharing": shared,
            "share": shared,
            "share_id": session.share_id,
            "operational_status": session.operational_status,
            "kasm_url": prior.get("kasm_url"),
            "username": session.username,
            "hostname": session.hostname,
            "container_ip": session.container_ip,
            "server_id": session.server_id,
            "created": timestamp(session.created_date),
            "expiration_date": timestamp(session.expiration_date),
            "timeouts": prior.get("timeouts"),
        }
