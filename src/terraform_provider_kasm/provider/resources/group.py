"""``kasm_group``: a Kasm group (``create_group`` / ``get_groups`` / ``update_group`` / ``delete_group``)."""

from __future__ import annotations

from typing import Any

from ...client import errors as kerr
from ...client.models import Group
from ...tfplugin import schema as s
from ...tfplugin.diagnostics import DiagnosticError, Diagnostics
from ...tfplugin.resource import Resource, ResourceContext
from ...tfplugin.types import UNKNOWN, Bool, Number, String
from ..context import kasm
from ..helpers import api_errors, diagnostic, gone_if_missing, is_kasm_id, keep_null, normalize_id

MIN_PRIORITY, MAX_PRIORITY = 1, 4095


class GroupResource(Resource):
    type_name = "kasm_group"
    schema = s.Schema(
        description="A Kasm group. Users get images and settings through the groups they belong to.",
        markdown_description=(
            "A Kasm group. Users launch images and get settings through the groups they belong to: "
            "authorize images with `kasm_group_image` and add users with `kasm_group_membership`.\n\n"
            "Kasm's built-in groups (*All Users*, *Administrators*) can be imported to manage their "
            "name, priority and description; destroying them only removes them from the state.\n\n"
            "Import with the group id (`terraform import kasm_group.x <group_id>`) or its name "
            "(`terraform import kasm_group.x name:<name>`)."
        ),
        attributes={
            "id": s.Attribute(
                String,
                computed=True,
                plan_modifiers=[s.UseStateForUnknown()],
                description="The group id (Kasm's group_id, 32 hex digits).",
                markdown_description="The group id (Kasm's `group_id`, 32 hex digits).",
            ),
            "name": s.Attribute(
                String,
                required=True,
                validators=[s.LengthBetween(1, 255)],
                description="The group name, unique in Kasm. Renaming is done in place.",
                markdown_description="The group name, unique in Kasm (exact, case-sensitive). Renaming is done in place.",
            ),
            "priority": s.Attribute(
                Number,
                required=True,
                validators=[s.IntBetween(MIN_PRIORITY, MAX_PRIORITY)],
                description=(
                    f"{MIN_PRIORITY}-{MAX_PRIORITY}; a lower number wins when a user's groups set the same setting."
                ),
                markdown_description=(
                    f"From {MIN_PRIORITY} to {MAX_PRIORITY}. When several of a user's groups set the same "
                    "setting, the group with the **lowest** number wins."
                ),
            ),
            "description": s.Attribute(
                String,
                optional=True,
                description="Free text shown in the Kasm admin UI.",
                markdown_description="Free text shown in the Kasm admin UI. Leaving it out leaves it empty.",
            ),
            "is_system": s.Attribute(
                Bool,
                computed=True,
                plan_modifiers=[s.UseStateForUnknown()],
                description="Whether this is one of Kasm's built-in groups (All Users, Administrators).",
                markdown_description="Whether this is one of Kasm's built-in groups (*All Users*, *Administrators*).",
            ),
        },
    )

    @staticmethod
    def _state(group: Group, description: str | None) -> dict[str, Any]:
        return {
            "id": group.group_id,
            "name": group.name,
            "priority": group.priority,
            "description": keep_null(group.description, description),
            "is_system": group.is_system,
        }

    def create(self, ctx: ResourceContext, plan: dict[str, Any]) -> dict[str, Any]:
        data = kasm(ctx)
        try:
            with data.writing():
                group = data.client.groups.create(
                    plan["name"], priority=int(plan["priority"]), description=plan["description"]
                )
        except kerr.Conflict as e:
            raise DiagnosticError(
                "Group already exists",
                f"Kasm already has a group named {plan['name']!r} ({e.message}). Choose another name, or "
                f"bring it under Terraform with: terraform import <address> name:{plan['name']}",
                ("name",),
            ) from e
        except kerr.KasmError as e:
            raise diagnostic(e, "Could not create the group") from e
        return self._state(group, plan["description"])

    def read(self, ctx: ResourceContext, state: dict[str, Any]) -> dict[str, Any] | None:
        data = kasm(ctx)
        with api_errors("Could not read the group"):
            group = data.group(state["id"])
        if group is None:
            return None
        return self._state(group, state["description"])

    def update(self, ctx: ResourceContext, prior: dict[str, Any], plan: dict[str, Any]) -> dict[str, Any]:
        data = kasm(ctx)
        group_id: str = prior["id"]
        if plan["name"] != prior["name"]:
            # Kasm checks name uniqueness on create only; renaming onto another group would make two.
            with api_errors("Could not read the groups"):
                clash = next((g for g in data.groups() if g.name == plan["name"] and g.group_id != group_id), None)
            if clash is not None:
                raise DiagnosticError(
                    "Group name in use", f"Kasm already has a group named {plan['name']!r} ({clash.group_id}).", ("name",)
                )
        # update_group leaves null fields alone, so clearing the description sends "".
        description = plan["description"] if plan["description"] is not None else ""
        try:
            with data.writing():
                group = data.client.groups.update(
                    group_id, name=plan["name"], priority=int(plan["priority"]), description=description
                )
        except kerr.NotFound as e:
            raise DiagnosticError(
                "Group not found", f"The group {group_id} was deleted outside Terraform; plan again to re-create it."
            ) from e
        except kerr.KasmError as e:
            raise diagnostic(e, "Could not update the group") from e
        # The id is ours, never taken from the answer (an answer without it must not blank the state).
        state = self._state(group, plan["description"])
        state["id"] = group_id
        return state

    def delete(self, ctx: ResourceContext, state: dict[str, Any]) -> None:
        data = kasm(ctx)
        if state.get("is_system"):
            ctx.diagnostics.warning(
                "Built-in group kept",
                f"{state['name']} is one of Kasm's built-in groups, which cannot be deleted; it was only "
                "removed from the Terraform state.",
            )
            return
        # force: members added outside Terraform must not block a destroy; Kasm drops their memberships.
        with data.writing(), api_errors("Could not delete the group"):
            gone_if_missing(lambda: data.client.groups.delete(state["id"], force=True))

    def import_state(self, ctx: ResourceContext, import_id: str) -> dict[str, Any]:
        if import_id.startswith("name:"):
            name = import_id[len("name:") :]
            data = kasm(ctx)
            with api_errors("Could not read the groups"):
                found = next((g for g in data.groups() if g.name == name), None)
            if found is None:
                raise DiagnosticError("Group not found", f"Kasm has no group named {name!r} (names are case-sensitive).")
            return {"id": found.group_id}
        if not is_kasm_id(import_id):
            raise DiagnosticError(
                "Invalid import ID",
                f'Use "<group_id>" (32 hex digits, dashes allowed) or "name:<group name>", got {import_id!r}.',
            )
        return {"id": normalize_id(import_id, "id")}

    def modify_plan(
        self,
        ctx: ResourceContext,
        prior: dict[str, Any] | None,
        plan: dict[str, Any],
        config: dict[str, Any],
        diags: Diagnostics,
    ) -> dict[str, Any]:
        # Only Kasm decides is_system, and it never changes for an existing group.
        if prior is None and plan.get("is_system") is UNKNOWN:
            plan["is_system"] = False
        return plan
