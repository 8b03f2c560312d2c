"""``kasm_group``: a Kasm group (``create_group`` / ``get_groups`` / ``update_group`` / ``delete_group``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...client import errors as kerr
from ...client.models import Group
from ...tfplugin import schema as s
from ...tfplugin.diagnostics import DiagnosticError, Diagnostics
from ...tfplugin.resource import Resource, ResourceContext
from ...tfplugin.types import UNKNOWN, Bool, Number, Set, String
from ..context import KasmData, kasm
from ..helpers import already_exists, api_errors, diagnostic, differences, keep_null
from ..toolkit import computed, parse_import_id, partial_state, rollback_on_failure

MIN_PRIORITY, MAX_PRIORITY = 1, 4095
_NEEDS_ADMIN = (
    "Reading and setting a group's permissions needs an API key with the Global Admin permission "
    "(Admin > Settings > Developer API > Permissions). Leave permissions out to not manage them."
)


def _catalogue(data: KasmData) -> Mapping[str, int] | None:
    """Kasm's permissions, name -> id (one get_permissions per provider process); None when the key
    may not read them (not Global Admin), remembered so that each refresh does not ask again."""

    def load() -> Mapping[str, int] | None:
        try:
            catalogue = data.client.groups.permission_catalogue()
        except kerr.PermissionDenied:
            return None
        return {p.display_name: p.permission_id for p in catalogue}

    return data.reads.get(("get_permissions",), load)


def _held(data: KasmData, group_id: str) -> frozenset[int] | None:
    """The permission ids the group holds (one get_permissions_group per group); None if refused."""

    def load() -> frozenset[int] | None:
        try:
            return frozenset(p.permission_id for p in data.client.groups.permissions(group_id))
        except kerr.PermissionDenied:
            return None

    return data.reads.get(("get_permissions_group", group_id), load)


def _read_permissions(data: KasmData, group_id: str, prior: list[str] | None) -> list[str] | None:
    """The group's permission names; the prior value when the key may not read them."""
    catalogue = _catalogue(data)
    held = _held(data, group_id) if catalogue is not None else None
    if catalogue is None or held is None:
        return prior
    names = {number: name for name, number in catalogue.items()}
    return sorted(names.get(number, str(number)) for number in held)


def _permission_ids(data: KasmData, names: list[str]) -> list[int]:
    """Permission names (or Kasm's numeric ids) -> ids; an error on ``permissions`` for unknown ones."""
    with api_errors("Could not read Kasm's permissions", ("permissions",)):
        catalogue = _catalogue(data)
    if catalogue is None:
        raise DiagnosticError("Cannot manage the group's permissions", _NEEDS_ADMIN, ("permissions",))
    ids = set(catalogue.values())
    unknown = [n for n in names if n not in catalogue and not (n.isdigit() and int(n) in ids)]
    if unknown:
        raise DiagnosticError(
            "Unknown permission",
            f"Kasm has no permission named {', '.join(repr(n) for n in sorted(unknown))}. Its permissions "
            f"are: {', '.join(sorted(catalogue))}. (Settings such as allow_kasm_sharing are group settings: use kasm_group_setting.)",
            ("permissions",),
        )
    return sorted({catalogue[n] if n in catalogue else int(n) for n in names})


def _set_permissions(data: KasmData, group_id: str, ids: list[int]) -> None:
    try:
        with data.writing():
            data.client.groups.replace_permissions(group_id, ids)
    except kerr.PermissionDenied as e:
        raise DiagnosticError("Cannot manage the group's permissions", _NEEDS_ADMIN, ("permissions",)) from e
    except kerr.KasmError as e:
        raise diagnostic(e, "Could not set the group's permissions", ("permissions",)) from e


def _managed(value: Any) -> bool:
    """Whether the plan sets permissions (a known list), rather than leaving them unmanaged."""
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


class GroupResource(Resource):
    type_name = "kasm_group"
    schema = s.Schema(
        description="A Kasm group. Users get images and settings through the groups they belong to.",
        markdown_description=(
            "A Kasm group. Users launch images and get settings through the groups they belong to: "
            "authorize images with `kasm_group_image` and add users with `kasm_group_membership`.\n\n"
            "Kasm's built-in groups (*All Users*, *Administrators*) can be imported to manage their "
            "name, priority and description; destroying them only removes them from the state."
        ),
        attributes={
            "id": computed("The group id (Kasm's `group_id`, 32 hex digits)."),
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
                # The range is said by the validator's sentence in the docs.
                markdown_description=(
                    "When several of a user's groups set the same setting, the group with the **lowest** "
                    "number wins."
                ),
            ),
            "description": s.Attribute(
                String,
                optional=True,
                description="Free text shown in the Kasm admin UI.",
                markdown_description="Free text shown in the Kasm admin UI. Leaving it out leaves it empty.",
            ),
            "permissions": s.Attribute(
                Set(String),
                optional=True,
                computed=True,
                plan_modifiers=[s.UseStateForUnknown()],
                description=(
                    "The Kasm permissions the group grants its members, by name as in Kasm's admin UI "
                    "(e.g. Users View). Left out: not managed (whatever Kasm has is kept). Needs a Global "
                    "Admin API key."
                ),
                markdown_description=(
                    "The Kasm permissions the group grants its members, by the names Kasm's admin UI shows "
                    '(e.g. `"Users View"`, `"Groups Modify"`). When set, the group has exactly these; '
                    "left out, the group's permissions are not managed and whatever Kasm has is kept "
                    "(and shown). Reading and changing them needs an API key with *Global Admin*; without "
                    "it the last known value is kept. Settings such as `allow_kasm_sharing` are group "
                    "settings, not permissions."
                ),
            ),
            "is_system": computed(
                "Whether this is one of Kasm's built-in groups (*All Users*, *Administrators*).", type_=Bool
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
        # Checked before anything is created, so a bad name leaves nothing behind.
        permission_ids = _permission_ids(data, plan["permissions"]) if _managed(plan["permissions"]) else None
        adopted = False
        try:
            with data.writing():
                group = data.client.groups.create(
                    plan["name"], priority=int(plan["priority"]), description=plan["description"]
                )
        except kerr.Conflict as e:
            found, refused = self._adoptable(data, plan) if data.adopt_existing else (None, None)
            if found is None:
                raise DiagnosticError(
                    "Group already exists",
                    f"Kasm already has a group named {plan['name']!r}; choose another name, or: "
                    + already_exists(
                        "The group", self.type_name, f"name:{plan['name']}", e.message, not_adopted=refused
                    ),
                    ("name",),
                ) from e
            group, adopted = found, True
        except kerr.KasmError as e:
            raise diagnostic(e, "Could not create the group") from e
        # A new group holds no permissions (an adopted one: those it has, unless they are configured).
        held = _read_permissions(data, group.group_id, []) if adopted else []
        state = {**self._state(group, plan["description"]), "permissions": held}
        if permission_ids is not None:
            if adopted:
                # Not made by this create: a failure must not delete it (nor record it).
                _set_permissions(data, group.group_id, permission_ids)
            else:
                with rollback_on_failure(
                    lambda: self._delete(data, group.group_id),
                    what=f"The group {group.name!r} ({group.group_id})",
                    state=state,
                    summary="Could not set the group's permissions",
                ):
                    _set_permissions(data, group.group_id, permission_ids)
            state["permissions"] = plan["permissions"]
        return state

    @staticmethod
    def _adoptable(data: KasmData, plan: Mapping[str, Any]) -> tuple[Group | None, str | None]:
        """With ``adopt_existing``: (the existing group of this name, None) when its priority and
        description (null as "") are the configured ones; built-in groups never. Else (None, why
        not, or None when there is no such group)."""
        with api_errors("Could not read the existing group", ("name",)):
            group = next((g for g in data.client.groups.list() if g.name == plan["name"]), None)
        if group is None:
            return None, None
        if group.is_system:
            return None, "it is one of Kasm's built-in groups"
        differ = differences(
            [
                ("priority", group.priority, int(plan["priority"])),
                ("description", group.description or "", plan["description"] or ""),
            ]
        )
        return (None, differ) if differ is not None else (group, None)

    def read(self, ctx: ResourceContext, state: dict[str, Any]) -> dict[str, Any] | None:
        data = kasm(ctx)
        with api_errors("Could not read the group"):
            group = data.group(state["id"])
            if group is None:
                return None
            permissions = _read_permissions(data, group.group_id, state.get("permissions"))
        return {**self._state(group, state["description"]), "permissions": permissions}

    def update(self, ctx: ResourceContext, prior: dict[str, Any], plan: dict[str, Any]) -> dict[str, Any]:
        data = kasm(ctx)
        group_id: str = prior["id"]
        if plan["name"] != prior["name"]:
            # Kasm checks name uniqueness on create only; renaming onto another group would make two.
            with api_errors("Could not read the groups"):
                clash = next(
                    (g for g in data.groups() if g.name == plan["name"] and g.group_id != group_id), None
                )
            if clash is not None:
                raise DiagnosticError(
                    "Group name in use",
                    f"Kasm already has a group named {plan['name']!r} ({clash.group_id}).",
                    ("name",),
                )
        wanted = plan["permissions"]
        change_permissions = _managed(wanted) and sorted(wanted) != sorted(prior.get("permissions") or [])
        permission_ids = _permission_ids(data, wanted) if change_permissions else None
        # update_group leaves null fields alone, so clearing the description sends "".
        description = plan["description"] if plan["description"] is not None else ""
        try:
            with data.writing():
                group = data.client.groups.update(
                    group_id, name=plan["name"], priority=int(plan["priority"]), description=description
                )
        except kerr.NotFound as e:
            raise DiagnosticError(
                "Group not found",
                f"The group {group_id} was deleted outside Terraform; plan again to re-create it.",
            ) from e
        except kerr.KasmError as e:
            raise diagnostic(e, "Could not update the group") from e
        # The id is ours, never taken from the answer (an answer without it must not blank the state).
        state = {
            **self._state(group, plan["description"]),
            "id": group_id,
            "permissions": prior.get("permissions"),
        }
        if permission_ids is not None:
            with partial_state(state):
                _set_permissions(data, group_id, permission_ids)
        if _managed(wanted):
            state["permissions"] = wanted
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
        with api_errors("Could not delete the group"):
            self._delete(data, state["id"])

    @staticmethod
    def _delete(data: KasmData, group_id: str) -> None:
        data.remove(lambda: data.client.groups.delete(group_id, force=True))

    def import_state(self, ctx: ResourceContext, import_id: str) -> dict[str, Any]:
        parsed = parse_import_id(import_id, [("id",)], {"name": "group name"})
        if parsed.value is None:
            return parsed.ids
        data = kasm(ctx)
        with api_errors("Could not read the groups"):
            found = next((g for g in data.groups() if g.name == parsed.value), None)
        if found is None:
            raise DiagnosticError(
                "Group not found", f"Kasm has no group named {parsed.value!r} (names are case-sensitive)."
            )
        return {"id": found.group_id}

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
