"""``kasm_users`` (every user, all pages of ``get_users``) and ``kasm_user`` (one user, by id or
username, ``get_user``)."""

from __future__ import annotations

from typing import Any

from ...client.models import User
from ...tfplugin import schema as s
from ...tfplugin.diagnostics import DiagnosticError
from ...tfplugin.resource import DataSource, ResourceContext
from ...tfplugin.types import Bool, List, Object, String
from ..context import KasmData, kasm
from ..helpers import api_errors, normalize_id
from ..toolkit import lookup_keys


def field(markdown: str, type_: Any = String) -> s.Attribute:
    """A data source attribute (computed, described in markdown)."""
    return s.Attribute(
        type_,
        computed=True,
        description=markdown.replace("`", "").replace("*", ""),
        markdown_description=markdown,
    )


USER_ATTRIBUTES: dict[str, s.Attribute] = {
    "id": field("The user id (Kasm's `user_id`, 32 hex digits)."),
    "username": field("The username, as Kasm stores it (lower case)."),
    "first_name": field("First name (null when Kasm has none)."),
    "last_name": field("Last name (null when Kasm has none)."),
    "organization": field("Organization (null when Kasm has none)."),
    "phone": field("Phone (null when Kasm has none)."),
    "email": field("Email (null when Kasm has none)."),
    "realm": field("Where the user comes from: `local`, `ldap`, `saml`, `oidc`…"),
    "locked": field("Whether the account is locked.", type_=Bool),
    "disabled": field("Whether the account is disabled.", type_=Bool),
    "groups": field(
        "The names of every group the user is in, built-in ones (*All Users*) included, sorted.",
        type_=List(String),
    ),
    "group_ids": field("The ids of every group the user is in, sorted.", type_=List(String)),
    "authorized_images": field(
        "The ids of the enabled images the user may launch (those authorized for any of the user's "
        "groups), sorted.",
        type_=List(String),
    ),
}


def _text(value: str | None) -> str | None:
    return value or None


def user_values(data: KasmData, user: User) -> dict[str, Any]:
    """The data source attributes of one user (images from one ``get_images_group`` per group)."""
    enabled = {i.image_id for i in data.images() if i.enabled}
    granted: set[str] = set()
    for ref in user.groups:
        granted.update(link.image_id for link in data.group_images(ref.group_id) or ())
    return {
        "id": user.user_id,
        "username": user.username,
        "first_name": _text(user.first_name),
        "last_name": _text(user.last_name),
        "organization": _text(user.organization),
        "phone": _text(user.phone),
        "email": _text(user.email),
        "realm": user.realm,
        "locked": user.locked,
        "disabled": user.disabled,
        "groups": sorted(g.name for g in user.groups),
        "group_ids": sorted(g.group_id for g in user.groups),
        "authorized_images": sorted(granted & enabled),
    }


def list_markdown(attributes: dict[str, s.Attribute]) -> str:
    return "\n".join(
        f"  * `{name}` - {a.markdown_description or a.description}" for name, a in attributes.items()
    )


class UsersDataSource(DataSource):
    type_name = "kasm_users"
    schema = s.Schema(
        description="Every Kasm user (all pages of get_users), ordered by username.",
        markdown_description=(
            "Every Kasm user, ordered by username. The provider reads every page of `get_users` "
            "(100 users a page) to the end, so no user is left out however many there are.\n\n"
            "Each user's `groups`, `group_ids` and `authorized_images` come from the same listing "
            "plus one `get_images_group` per group."
        ),
        attributes={
            "id": field("Always `users`."),
            # A list of objects, not nested attributes: Terraform 1.0 cannot index a computed
            # nested-attribute list.
            "users": s.Attribute(
                List(Object({name: a.value_type for name, a in USER_ATTRIBUTES.items()})),
                computed=True,
                description="The users; each has "
                + "; ".join(f"{name}: {a.description}" for name, a in USER_ATTRIBUTES.items()),
                markdown_description="The users, ordered by username. Each has:\n\n"
                + list_markdown(USER_ATTRIBUTES),
            ),
        },
    )

    def read(self, ctx: ResourceContext, config: dict[str, Any]) -> dict[str, Any]:
        data = kasm(ctx)
        with api_errors("Could not list the users"):
            users = data.users()
            values = [user_values(data, u) for u in sorted(users, key=lambda u: (u.username, u.user_id))]
        return {"id": "users", "users": values}


class UserDataSource(DataSource):
    type_name = "kasm_user"
    schema = s.Schema(
        description="One Kasm user, found by id or username.",
        markdown_description=(
            "One Kasm user, found by its `id` or its `username` (give one; one `get_user` call). "
            "A user that does not exist is an error naming the attribute. To list users, use "
            "`kasm_users`."
        ),
        attributes={
            **USER_ATTRIBUTES,
            **lookup_keys(
                "The user id (Kasm's `user_id`)",
                "username",
                "The username (Kasm compares it lower-cased)",
            ),
        },
        validators=[s.ExactlyOneOf("id", "username")],
    )

    def read(self, ctx: ResourceContext, config: dict[str, Any]) -> dict[str, Any]:
        data = kasm(ctx)
        by_id = config.get("id") is not None
        attribute = "id" if by_id else "username"
        wanted = normalize_id(config["id"], "id") if by_id else config["username"]
        with api_errors("Could not read the user", (attribute,)):
            user = data.client.users.find(wanted) if by_id else data.client.users.find(username=wanted)
            if user is None:
                raise DiagnosticError(
                    "User not found",
                    f"Kasm has no user with {attribute} {config[attribute]!r}.",
                    (attribute,),
                )
            values = user_values(data, user)
        # The configured spelling of what was looked up (a dashed id, a capitalised username).
        return {**values, attribute: config[attribute]}
