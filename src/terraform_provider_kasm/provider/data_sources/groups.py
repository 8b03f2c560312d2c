"""``kasm_groups`` (every group, ``get_groups``) and ``kasm_group`` (one group, by id or name, with
its settings)."""

from __future__ import annotations

from typing import Any

from ...client.models import Group
from ...tfplugin import schema as s
from ...tfplugin.diagnostics import DiagnosticError
from ...tfplugin.resource import DataSource, ResourceContext
from ...tfplugin.types import Bool, List, Map, Number, Object, String
from ..context import KasmData, kasm
from ..helpers import api_errors, normalize_id
from ..resources.group import _read_permissions
from ..toolkit import lookup_keys
from .users import field, list_markdown

GROUP_ATTRIBUTES: dict[str, s.Attribute] = {
    "id": field("The group id (Kasm's `group_id`, 32 hex digits)."),
    "group_id": field("The same as `id` (the name the Go provider's `kasm_groups` used)."),
    "name": field("The group name."),
    "description": field("The description (null when Kasm has none)."),
    "priority": field("1-4095; a lower number wins when a user's groups set the same setting.", Number),
    "is_system": field("Whether it is one of Kasm's built-in groups (*All Users*, *Administrators*).", Bool),
    "permissions": field(
        "The names of the permissions the group holds (e.g. `Users View`), sorted; null when the "
        "API key may not read them (that needs *Global Admin*).",
        List(String),
    ),
}


def group_values(data: KasmData, group: Group) -> dict[str, Any]:
    """The attributes of one group (permissions: one ``get_permissions`` per process plus one
    ``get_permissions_group`` per group, skipped when the key is not Global Admin)."""
    return {
        "id": group.group_id,
        "group_id": group.group_id,
        "name": group.name,
        "description": group.description or None,
        "priority": group.priority,
        "is_system": group.is_system,
        "permissions": _read_permissions(data, group.group_id, None),
    }


class GroupsDataSource(DataSource):
    type_name = "kasm_groups"
    schema = s.Schema(
        description="Every Kasm group the API key may see, ordered by name.",
        markdown_description=(
            "Every Kasm group the API key may see (built-in ones need *Groups View System*), "
            "ordered by name. Kasm lists every group in one `get_groups` answer (it has no pages)."
        ),
        attributes={
            "id": field("Always `groups`."),
            "groups": s.Attribute(
                List(Object({name: a.value_type for name, a in GROUP_ATTRIBUTES.items()})),
                computed=True,
                description="The groups; each has "
                + "; ".join(f"{name}: {a.description}" for name, a in GROUP_ATTRIBUTES.items()),
                markdown_description="The groups, ordered by name. Each has:\n\n"
                + list_markdown(GROUP_ATTRIBUTES),
            ),
        },
    )

    def read(self, ctx: ResourceContext, config: dict[str, Any]) -> dict[str, Any]:
        data = kasm(ctx)
        with api_errors("Could not list the groups"):
            groups = sorted(data.groups(), key=lambda g: (g.name, g.group_id))
            return {"id": "groups", "groups": [group_values(data, g) for g in groups]}


class GroupDataSource(DataSource):
    type_name = "kasm_group"
    schema = s.Schema(
        description="One Kasm group, found by id or exact name, with its settings.",
        markdown_description=(
            "One Kasm group, found by its `id` or its exact `name` (give one), with the settings "
            "it sets itself (`settings`, one `get_settings_group`). A group that does not exist is "
            "an error naming the attribute. To list groups, use `kasm_groups`; to manage a "
            "setting, `kasm_group_setting`."
        ),
        attributes={
            **{k: v for k, v in GROUP_ATTRIBUTES.items() if k != "group_id"},
            **lookup_keys(
                "The group id (Kasm's `group_id`)",
                "name",
                "The exact group name (case-sensitive)",
            ),
            "settings": field(
                "The group's own settings, name → value as Kasm stores it (a string: `true`, "
                "`3600`, JSON text…). Settings the group does not set come from its members' "
                "other groups or Kasm's defaults (the *All Users* group).",
                Map(String),
            ),
        },
        validators=[s.ExactlyOneOf("id", "name")],
    )

    def read(self, ctx: ResourceContext, config: dict[str, Any]) -> dict[str, Any]:
        data = kasm(ctx)
        by_id = config.get("id") is not None
        attribute = "id" if by_id else "name"
        with api_errors("Could not read the group", (attribute,)):
            if by_id:
                group = data.group(normalize_id(config["id"], "id"))
            else:
                group = next((g for g in data.groups() if g.name == config["name"]), None)
            if group is None:
                raise DiagnosticError(
                    "Group not found",
                    f"Kasm has no group with {attribute} {config[attribute]!r} (or the API key may not "
                    "see it: built-in groups need Groups View System).",
                    (attribute,),
                )
            values = group_values(data, group)
            settings = data.group_settings(group.group_id) or ()
        values.pop("group_id")
        return {**values, "settings": {x.name: x.value for x in settings}, attribute: config[attribute]}
