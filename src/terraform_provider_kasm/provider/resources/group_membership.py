"""``kasm_group_membership``: one user in one group (``add_user_group`` / ``get_users_group`` /
``remove_user_group``)."""

from __future__ import annotations

from typing import Any

from ...client import errors as kerr
from ...tfplugin import schema as s
from ...tfplugin.diagnostics import DiagnosticError
from ...tfplugin.resource import Resource, ResourceContext
from ...tfplugin.types import String
from ..context import ALL_USERS_GROUP_ID, kasm
from ..helpers import (
    api_errors,
    diagnostic,
    gone_if_missing,
    normalize_id,
    parse_import_id,
    reference_id,
)


def _key(group_id: str, user_id: str) -> str:
    return f"{group_id}:{user_id}"


class GroupMembershipResource(Resource):
    type_name = "kasm_group_membership"
    schema = s.Schema(
        description="Puts a Kasm user in a group. This resource owns the membership.",
        markdown_description=(
            "Puts a Kasm user in a group. This resource **owns** the membership: manage a user's "
            "groups either with `kasm_group_membership` resources or with `kasm_user.groups`, not "
            "both for the same group (each would undo the other).\n\n"
            "Kasm puts every user in the built-in *All Users* group itself. A membership there may "
            "be declared (it is then simply adopted) and destroying it leaves the user in *All Users*. "
            "Memberships of other groups, *Administrators* included, are removed on destroy.\n\n"
            "Import with `terraform import kasm_group_membership.x <group_id>:<user_id>`."
        ),
        attributes={
            "id": s.Attribute(
                String,
                computed=True,
                plan_modifiers=[s.UseStateForUnknown()],
                description="<group_id>:<user_id>, both as 32 hex digits.",
                markdown_description="`<group_id>:<user_id>`, both as 32 hex digits.",
            ),
            "group_id": reference_id(
                "The group's id (e.g. `kasm_group.x.id`).",
                "a different group replaces the membership",
            ),
            "user_id": reference_id(
                "The user's id (e.g. `kasm_user.x.id`).",
                "a different user replaces the membership",
            ),
        },
    )

    def create(self, ctx: ResourceContext, plan: dict[str, Any]) -> dict[str, Any]:
        data = kasm(ctx)
        group_id = normalize_id(plan["group_id"], "group_id")
        user_id = normalize_id(plan["user_id"], "user_id")
        try:
            with data.writing():
                data.client.groups.add_user(group_id, user_id)
        except kerr.NotFound as e:
            attribute = "user_id" if e.kind == "user" else "group_id"
            thing = "user" if e.kind == "user" else "group"
            what = user_id if e.kind == "user" else group_id
            raise DiagnosticError(
                f"{thing.capitalize()} not found", f"Kasm has no {thing} with id {what}.", (attribute,)
            ) from e
        except kerr.Conflict as e:
            # Kasm made every user a member of All Users already: adopt that membership.
            if group_id != ALL_USERS_GROUP_ID:
                raise DiagnosticError(
                    "Already a member",
                    f"The user {user_id} is already in the group {group_id} ({e.message}). Manage that "
                    f"membership with Terraform by importing it: terraform import <address> {_key(group_id, user_id)}",
                    ("user_id",),
                ) from e
        except kerr.KasmError as e:
            raise diagnostic(e, "Could not add the user to the group") from e
        return {**plan, "id": _key(group_id, user_id)}

    def read(self, ctx: ResourceContext, state: dict[str, Any]) -> dict[str, Any] | None:
        data = kasm(ctx)
        group_id = normalize_id(state["group_id"], "group_id")
        user_id = normalize_id(state["user_id"], "user_id")
        # One get_users_group per group serves every membership of that group.
        with api_errors("Could not read the group's members"):
            members = data.group_users(group_id)
        if members is None or not any(m.user_id == user_id for m in members):
            return None
        return {**state, "id": _key(group_id, user_id)}

    def update(self, ctx: ResourceContext, prior: dict[str, Any], plan: dict[str, Any]) -> dict[str, Any]:
        # Reached only when an id is respelled (dashes added or removed): the membership is unchanged.
        return {**prior, "group_id": plan["group_id"], "user_id": plan["user_id"]}

    def delete(self, ctx: ResourceContext, state: dict[str, Any]) -> None:
        data = kasm(ctx)
        group_id = normalize_id(state["group_id"], "group_id")
        user_id = normalize_id(state["user_id"], "user_id")
        if group_id == ALL_USERS_GROUP_ID:
            # Kasm gives every user this membership; removing it would strip the user's defaults.
            return
        with data.writing(), api_errors("Could not remove the user from the group"):
            gone_if_missing(lambda: data.client.groups.remove_user(group_id, user_id))

    def import_state(self, ctx: ResourceContext, import_id: str) -> dict[str, Any]:
        ids = parse_import_id(import_id, ("group_id", "user_id"))
        return {"id": _key(ids["group_id"], ids["user_id"]), **ids}
