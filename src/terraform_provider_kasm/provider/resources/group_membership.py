"""``kasm_group_membership``: one user in one group (``add_user_group`` / ``get_users_group`` /
``remove_user_group``)."""

from __future__ import annotations

from typing import Any

from ...client import errors as kerr
from ...tfplugin.diagnostics import DiagnosticError
from ..context import ALL_USERS_GROUP_ID, KasmData
from ..helpers import api_errors, diagnostic
from ..toolkit import LinkResource


class GroupMembershipResource(LinkResource):
    type_name = "kasm_group_membership"
    parts = ("group_id", "user_id")
    # add_user_group fails unless it made the membership; no read needed (and none per member).
    read_after_create = False
    schema = LinkResource.link_schema(
        type_name,
        parts,
        "Puts a Kasm user in a group. This resource **owns** the membership: manage a user's "
        "groups either with `kasm_group_membership` resources or with `kasm_user.groups`, not "
        "both for the same group (each would undo the other).\n\n"
        "Kasm puts every user in the built-in *All Users* group itself. A membership there may "
        "be declared (it is then simply adopted) and destroying it leaves the user in *All Users*. "
        "Memberships of other groups, *Administrators* included, are removed on destroy.",
        {
            "group_id": (
                "The group's id (e.g. `kasm_group.x.id`).",
                "a different group replaces the membership",
            ),
            "user_id": ("The user's id (e.g. `kasm_user.x.id`).", "a different user replaces the membership"),
        },
    )

    def link(self, data: KasmData, ids: dict[str, str]) -> None:
        group_id, user_id = ids["group_id"], ids["user_id"]
        try:
            data.client.groups.add_user(group_id, user_id)
        except kerr.NotFound as e:
            thing, attribute, what = (
                ("user", "user_id", user_id) if e.kind == "user" else ("group", "group_id", group_id)
            )
            raise DiagnosticError(
                f"{thing.capitalize()} not found", f"Kasm has no {thing} with id {what}.", (attribute,)
            ) from e
        except kerr.Conflict as e:
            # Kasm made every user a member of All Users already: adopt that membership.
            if group_id != ALL_USERS_GROUP_ID:
                raise self.already_linked(
                    ids,
                    "Already a member",
                    f"The user {user_id} is already in the group {group_id} ({e.message}).",
                    "user_id",
                ) from e
        except kerr.KasmError as e:
            raise diagnostic(e, "Could not add the user to the group") from e

    def unlink(self, data: KasmData, ids: dict[str, str]) -> None:
        data.client.groups.remove_user(ids["group_id"], ids["user_id"])

    def find(self, data: KasmData, ids: dict[str, str]) -> dict[str, Any] | None:
        # One get_users_group per group serves every membership of that group.
        with api_errors("Could not read the group's members"):
            members = data.group_users(ids["group_id"])
        return {} if members is not None and any(m.user_id == ids["user_id"] for m in members) else None

    def keep_on_delete(self, ids: dict[str, str]) -> bool:
        # Kasm gives every user this membership; removing it would strip the user's defaults.
        return ids["group_id"] == ALL_USERS_GROUP_ID
