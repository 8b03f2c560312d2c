"""``kasm_sessions`` (every session Kasm lists, filterable) and ``kasm_session`` (one, by id): both
from one ``get_kasms`` per provider process, never ``get_kasm_status`` (which mints a session token)."""

from __future__ import annotations

from typing import Any

from ...client.models import Session
from ...tfplugin import schema as s
from ...tfplugin.diagnostics import DiagnosticError
from ...tfplugin.resource import DataSource, ResourceContext
from ...tfplugin.types import Bool, List, Object, String
from ..context import kasm
from ..helpers import ID_VALIDATOR, api_errors, normalize_id
from ..resources.session import GONE_STATES, timestamp
from .users import field, list_markdown

SESSION_ATTRIBUTES: dict[str, s.Attribute] = {
    "id": field("The session id (Kasm's `kasm_id`, 32 hex digits)."),
    "user_id": field("The id of the user the session belongs to."),
    "username": field("That user's username."),
    "image_id": field("The id of the image the session runs."),
    "image_name": field("The image's friendly name (null when Kasm reports none)."),
    "operational_status": field(
        "Where the session is in its life: `requested`, `provisioning`, `starting`, `running`, "
        "`paused`, `stopped`…"
    ),
    "share_id": field("The share id when the session is shared, else null."),
    "hostname": field("The host name of the agent the session runs on (null until assigned)."),
    "container_ip": field("The session container's IP address (null until started)."),
    "server_id": field("The id of the agent (server) the session runs on (null until assigned)."),
    "created": field("When the session was created, RFC 3339 in UTC."),
    "keepalive_date": field("The last keepalive, RFC 3339 in UTC."),
    "expiration_date": field("When the session expires unless kept alive, RFC 3339 in UTC."),
    "is_persistent_profile": field("Whether the session uses a persistent profile.", type_=Bool),
}


def session_values(session: Session) -> dict[str, Any]:
    image = session.image
    return {
        "id": session.kasm_id,
        "user_id": session.user_id,
        "username": session.username,
        "image_id": session.image_id,
        "image_name": (image.friendly_name or None) if image is not None else None,
        "operational_status": session.operational_status,
        "share_id": session.share_id,
        "hostname": session.hostname,
        "container_ip": session.container_ip,
        "server_id": session.server_id,
        "created": timestamp(session.created_date or session.start_date),
        "keepalive_date": timestamp(session.keepalive_date),
        "expiration_date": timestamp(session.expiration_date),
        "is_persistent_profile": session.is_persistent_profile,
    }


def _live(sessions: tuple[Session, ...]) -> list[Session]:
    """The sessions not being deleted (Kasm lists those for a while after destroy_kasm)."""
    return [x for x in sessions if x.operational_status not in GONE_STATES]


def _id_filter(markdown: str) -> s.Attribute:
    return s.Attribute(String, optional=True, validators=[ID_VALIDATOR], markdown_description=markdown)


class SessionsDataSource(DataSource):
    type_name = "kasm_sessions"
    schema = s.Schema(
        description="Every Kasm session of every user, filterable by user, image and status.",
        markdown_description=(
            "Every session of every user that Kasm lists (`get_kasms`, one call per provider run), "
            "ordered by creation time then id. Sessions being deleted are left out. Give `user_id`, "
            "`image_id` or `operational_status` to keep only the matching sessions (all given "
            "filters must match). To read one session by id, use `kasm_session`."
        ),
        attributes={
            "id": field("Always `sessions`."),
            "user_id": _id_filter("Only the sessions of this user (a Kasm user id)."),
            "image_id": _id_filter("Only the sessions of this image (a Kasm image id)."),
            "operational_status": s.Attribute(
                String,
                optional=True,
                markdown_description="Only the sessions in this state, e.g. `running`.",
            ),
            # A list of objects, not nested attributes: Terraform 1.0 cannot index a computed
            # nested-attribute list.
            "sessions": s.Attribute(
                List(Object({name: a.value_type for name, a in SESSION_ATTRIBUTES.items()})),
                computed=True,
                description="The sessions; each has "
                + "; ".join(f"{name}: {a.description}" for name, a in SESSION_ATTRIBUTES.items()),
                markdown_description="The matching sessions. Each has:\n\n"
                + list_markdown(SESSION_ATTRIBUTES),
            ),
        },
    )

    def read(self, ctx: ResourceContext, config: dict[str, Any]) -> dict[str, Any]:
        data = kasm(ctx)
        user_id = normalize_id(config["user_id"], "user_id") if config.get("user_id") else None
        image_id = normalize_id(config["image_id"], "image_id") if config.get("image_id") else None
        status = config.get("operational_status")
        with api_errors("Could not list the sessions"):
            sessions = _live(data.sessions())
        matching = [
            x
            for x in sessions
            if (user_id is None or x.user_id == user_id)
            and (image_id is None or x.image_id == image_id)
            and (status is None or x.operational_status == status)
        ]
        matching.sort(key=lambda x: (timestamp(x.created_date or x.start_date) or "", x.kasm_id))
        return {
            "id": "sessions",
            "user_id": config.get("user_id"),
            "image_id": config.get("image_id"),
            "operational_status": status,
            "sessions": [session_values(x) for x in matching],
        }


class SessionDataSource(DataSource):
    type_name = "kasm_session"
    schema = s.Schema(
        description="One Kasm session, by id.",
        markdown_description=(
            "One session, found by its `id` (Kasm's `kasm_id`), from the same `get_kasms` listing "
            "as `kasm_sessions` (no session token is minted). A session that does not exist, or is "
            "being deleted, is an error naming `id`."
        ),
        attributes={
            **SESSION_ATTRIBUTES,
            "id": s.Attribute(
                String,
                required=True,
                validators=[ID_VALIDATOR],
                markdown_description="The session id (Kasm's `kasm_id`, 32 hex digits, dashes allowed).",
            ),
        },
    )

    def read(self, ctx: ResourceContext, config: dict[str, Any]) -> dict[str, Any]:
        data = kasm(ctx)
        kasm_id = normalize_id(config["id"], "id")
        with api_errors("Could not read the session", ("id",)):
            session = next((x for x in _live(data.sessions()) if x.kasm_id == kasm_id), None)
        if session is None:
            raise DiagnosticError(
                "Session not found", f"Kasm has no session with id {config['id']!r}.", ("id",)
            )
        # The configured spelling of the id (dashed or not).
        return {**session_values(session), "id": config["id"]}
