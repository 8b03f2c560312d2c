"""``kasm_group_setting``: one setting of one group (``get_settings_group`` / ``add_settings_group`` /
``update_settings_group`` / ``remove_settings_group``).

The setting names come from Kasm's catalogue (``get_settings_group`` without a group: the *All Users*
group's settings, which are the defaults); each has a ``value_type`` and Kasm stores every value as a
string. ``value`` is a Terraform value of the type Kasm gives the setting: bool, number (``int``,
``float``) or string (``string``, and JSON text for ``json`` / ``json_pass`` / ``usage_limit``).
"""

from __future__ import annotations

import difflib
import json
from decimal import Decimal
from typing import Any

from ...client import errors as kerr
from ...client.models import GroupSetting
from ...tfplugin import schema as s
from ...tfplugin.diagnostics import DiagnosticError, Diagnostics
from ...tfplugin.resource import Resource, ResourceContext
from ...tfplugin.types import UNKNOWN, Dynamic, String
from ..context import ALL_USERS_GROUP_ID, KasmData, Unconfigured, kasm
from ..helpers import (
    already_exists,
    api_errors,
    diagnostic,
    differences,
    is_kasm_id,
    normalize_id,
    reference_id,
)
from ..toolkit import computed

TYPE_NAME = "kasm_group_setting"
JSON_TYPES = frozenset({"json", "json_pass", "usage_limit"})
_EXPECTED = {
    "bool": "a bool (true or false)",
    "int": "a whole number",
    "float": "a number",
    "string": "a string",
}


# --- values: Terraform <-> Kasm's strings ----------------------------------------------------------


def _expected(value_type: str) -> str:
    if value_type in JSON_TYPES:
        return 'a JSON string, e.g. jsonencode({...}) or "{}"'
    return _EXPECTED.get(value_type, "a string")


def type_error(name: str, value_type: str, value: Any) -> str | None:
    """Why ``value`` does not fit the setting (its ``value_type``), or None when it does."""
    ok: bool
    if value_type == "bool":
        ok = isinstance(value, bool)
    elif value_type == "int":
        ok = isinstance(value, int | Decimal | float) and not isinstance(value, bool) and value == int(value)
    elif value_type == "float":
        ok = isinstance(value, int | Decimal | float) and not isinstance(value, bool)
    elif value_type in JSON_TYPES:
        if not isinstance(value, str):
            ok = False
        elif value_type == "usage_limit" and value == "":
            ok = True  # Kasm's "no limit"
        else:
            try:
                json.loads(value)
            except ValueError as e:
                return f"{name} is a {value_type} setting: value must be valid JSON ({e})."
            ok = True
    else:
        ok = isinstance(value, str)
    if ok:
        return None
    got = "a bool" if isinstance(value, bool) else "a number" if not isinstance(value, str) else "a string"
    return f"{name} is a {value_type} setting: value must be {_expected(value_type)}, got {got} ({value!r})."


def to_kasm(value: Any) -> str:
    """Kasm's string form of a (type-checked) value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        return str(int(value)) if value == int(value) else str(value)
    return str(value)


def _number(text: str) -> int | float | Decimal | None:
    try:
        number = Decimal(text.strip())
    except ArithmeticError:
        return None
    if not number.is_finite():
        return None
    if number == number.to_integral_value():
        return int(number)
    return float(number) if Decimal(float(number)) == number else number


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def _same(prior: Any, remote: Any) -> bool:
    if isinstance(prior, bool) or isinstance(remote, bool):
        return isinstance(prior, bool) and isinstance(remote, bool) and prior == remote
    if isinstance(prior, int | float | Decimal) and isinstance(remote, int | float | Decimal):
        return Decimal(str(prior)) == Decimal(str(remote))
    return bool(prior == remote)


def from_kasm(value_type: str, text: str, prior: Any) -> Any:
    """The Terraform value of Kasm's ``text``; ``prior`` (the configured spelling) while it means
    the same ("True" is true, 3600 is "3600.0", JSON ignores key order and whitespace). A text that
    does not parse as its type is given as the string (a plan then shows the difference)."""
    remote: Any = text
    if value_type == "bool":
        remote = text.strip().lower() == "true"
    elif value_type in ("int", "float"):
        number = _number(text)
        remote = text if number is None else number
    elif value_type in JSON_TYPES:
        if isinstance(prior, str) and (prior == text or _json(prior) == _json(text)):
            return prior
        return text
    return prior if _same(prior, remote) else remote


# --- the catalogue ---------------------------------------------------------------------------------


def unknown_setting(name: str, catalogue: tuple[GroupSetting, ...]) -> DiagnosticError:
    names = sorted(c.name for c in catalogue)
    close = difflib.get_close_matches(name, names, n=3)
    hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return DiagnosticError(
        "Unknown group setting",
        f"Kasm has no group setting named {name!r}.{hint} Its settings are: {', '.join(names)}.",
        ("name",),
    )


def check(name: str, value: Any, catalogue: tuple[GroupSetting, ...]) -> GroupSetting:
    """The catalogue entry of ``name``; a DiagnosticError on ``name`` (unknown) or ``value`` (wrong
    type). An unknown ``value`` is not checked."""
    default = next((c for c in catalogue if c.name == name), None)
    if default is None:
        raise unknown_setting(name, catalogue)
    if value is not UNKNOWN and value is not None:
        problem = type_error(name, default.value_type, value)
        if problem is not None:
            raise DiagnosticError("Invalid group setting value", problem, ("value",))
    return default


def _catalogue(data: KasmData) -> tuple[GroupSetting, ...]:
    with api_errors("Could not read Kasm's group settings catalogue (get_settings_group)", ("name",)):
        return data.settings_catalogue()


def _group_settings(data: KasmData, group_id: str) -> tuple[GroupSetting, ...] | None:
    with api_errors("Could not read the group's settings", ("group_id",)):
        return data.group_settings(group_id)


def _private(previous: str | None) -> bytes:
    return json.dumps({"all_users_previous": previous}).encode() if previous is not None else b""


def _previous(private: bytes) -> str | None:
    try:
        value = json.loads(private or b"{}").get("all_users_previous")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None


class GroupSettingResource(Resource):
    type_name = TYPE_NAME
    schema = s.Schema(
        description="One setting of one Kasm group, e.g. allow_kasm_sharing or keepalive_expiration.",
        markdown_description=(
            "One setting of one Kasm group (*Admin > Access Management > Groups > Settings*), e.g. "
            "`allow_kasm_sharing`, `idle_disconnect`, `keepalive_expiration` or `max_kasms_per_user`. "
            "A user gets each setting from their group with the lowest priority number that has it, "
            "else from *All Users*, whose settings are Kasm's defaults.\n\n"
            "This resource **owns** one (group, setting) pair; `kasm_group` has no settings "
            "attribute, so each setting has one owner. Declare one `kasm_group_setting` per setting "
            "and group (`for_each` over a map works well). A setting the group already has is "
            "never adopted silently: the error gives the `terraform import` command.\n\n"
            "`name` must be in Kasm's settings catalogue (`get_settings_group` without a group), "
            "checked at plan time when the provider can read it, else at apply. `value` has the "
            "type Kasm gives the setting (see `value_type`): a bool for `bool` settings, a whole "
            "number for `int`, a number for `float`, a string for `string`, and JSON text (e.g. "
            "`jsonencode({...})`, compared semantically) for `json`, `json_pass` and `usage_limit`.\n\n"
            "Destroy removes the group's value, so the group's members get the setting from their "
            "other groups or the default. On *All Users* the setting is the default itself and "
            "cannot be removed: create changes it in place and destroy puts back the value it had "
            "before (after an import that value is unknown, and destroy leaves the setting as it is)."
        ),
        attributes={
            "id": computed("`<group_id>:<name>`, the group id as 32 hex digits."),
            "group_id": reference_id(
                "The group's id (e.g. `kasm_group.x.id`).", "a different group replaces the setting"
            ),
            "name": s.Attribute(
                String,
                required=True,
                validators=[s.LengthBetween(1, 255)],
                plan_modifiers=[s.RequiresReplace()],
                description="The setting's name in Kasm's catalogue, e.g. allow_kasm_sharing.",
                markdown_description="The setting's name in Kasm's catalogue, e.g. `allow_kasm_sharing`.",
            ),
            "value": s.Attribute(
                Dynamic,
                required=True,
                description="The value, typed as Kasm types the setting (bool, number, string or JSON text).",
                markdown_description=(
                    "The value, typed as Kasm types the setting: `true`/`false` for `bool`, a "
                    "number for `int`/`float`, a string for `string`, JSON text for `json`, "
                    "`json_pass` and `usage_limit`. Changed in place."
                ),
            ),
            "value_type": computed(
                "Kasm's type of the setting: `bool`, `int`, `float`, `string`, `json`, `json_pass` "
                "or `usage_limit`."
            ),
            "description": computed("Kasm's description of the setting."),
            "group_setting_id": computed("Kasm's id of the group's setting (`group_setting_id`)."),
        },
    )

    # --- plan ----------------------------------------------------------------------------------------

    def validate_config(self, ctx: ResourceContext, config: dict[str, Any], diags: Diagnostics) -> None:
        value = config.get("value")
        if value is not UNKNOWN and not (
            value is None or isinstance(value, bool | int | float | Decimal | str)
        ):
            diags.error(
                "Invalid group setting value",
                "value must be a bool, a number or a string (for JSON settings: a JSON string, e.g. "
                f"jsonencode({{...}})), got {type(value).__name__}.",
                ("value",),
            )

    def modify_plan(
        self,
        ctx: ResourceContext,
        prior: dict[str, Any] | None,
        plan: dict[str, Any],
        config: dict[str, Any],
        diags: Diagnostics,
    ) -> dict[str, Any]:
        name = plan.get("name")
        if not isinstance(name, str) or isinstance(ctx.provider_data, Unconfigured | None):
            return plan
        data = kasm(ctx)
        try:
            catalogue = data.settings_catalogue()
        except kerr.KasmError:
            return plan  # checked again at apply, where the error names the attribute
        default = check(name, plan.get("value"), catalogue)
        if prior is None or prior.get("name") != name:
            plan["value_type"], plan["description"] = default.value_type, default.description
        if isinstance(plan.get("group_id"), str) and is_kasm_id(plan["group_id"]):
            plan["id"] = f"{normalize_id(plan['group_id'], 'group_id')}:{name}"
        return plan

    # --- CRUD ----------------------------------------------------------------------------------------

    def create(self, ctx: ResourceContext, plan: dict[str, Any]) -> dict[str, Any]:
        data = kasm(ctx)
        group_id = normalize_id(plan["group_id"], "group_id")
        name, value = plan["name"], plan["value"]
        default = check(name, value, _catalogue(data))
        settings = _group_settings(data, group_id)
        if settings is None:
            raise DiagnosticError("Group not found", f"Kasm has no group with id {group_id}.", ("group_id",))
        existing = next((x for x in settings if x.name == name), None)
        key = f"{group_id}:{name}"
        try:
            with data.writing():
                if group_id == ALL_USERS_GROUP_ID and existing is not None:
                    # All Users' settings are the defaults: changed in place, restored on destroy.
                    ctx.private = _private(existing.value)
                    row = data.client.groups.update_setting(
                        group_id, existing.group_setting_id, to_kasm(value)
                    )
                elif existing is not None:
                    # Taken over only with adopt_existing and the configured value (after an
                    # interrupted apply); never silently.
                    current = from_kasm(existing.value_type, existing.value, value)
                    if not (data.adopt_existing and _same(current, value)):
                        differ = differences([("value", current, value)]) if data.adopt_existing else None
                        raise DiagnosticError(
                            "Group setting already set",
                            already_exists(
                                f"The setting {name} of the group {group_id}",
                                TYPE_NAME,
                                key,
                                f"the group has {name} = {existing.value!r}",
                                not_adopted=differ,
                            ),
                            ("name",),
                        )
                    row = existing
                else:
                    row = data.client.groups.add_setting(group_id, default, to_kasm(value))
        except kerr.NotFound as e:
            if e.kind == "group":
                raise DiagnosticError(
                    "Group not found", f"Kasm has no group with id {group_id}.", ("group_id",)
                ) from e
            raise diagnostic(e, "Could not set the group setting", ("name",)) from e
        except kerr.Conflict as e:
            raise DiagnosticError(
                "Group setting already set",
                already_exists(f"The setting {name} of the group {group_id}", TYPE_NAME, key, e.message),
                ("name",),
            ) from e
        except kerr.KasmError as e:
            raise diagnostic(e, "Could not set the group setting", ("value",)) from e
        return self._state(plan, row, key)

    @staticmethod
    def _state(values: dict[str, Any], row: GroupSetting, key: str) -> dict[str, Any]:
        return {
            **values,
            "id": key,
            "value": from_kasm(row.value_type, row.value, values.get("value")),
            "value_type": row.value_type,
            "description": row.description,
            "group_setting_id": row.group_setting_id,
        }

    def read(self, ctx: ResourceContext, state: dict[str, Any]) -> dict[str, Any] | None:
        data = kasm(ctx)
        group_id = normalize_id(state["group_id"], "group_id")
        settings = _group_settings(data, group_id)
        row = next((x for x in settings or () if x.name == state["name"]), None)
        if row is None:
            return None  # the group or its setting was removed outside Terraform
        return self._state(state, row, f"{group_id}:{row.name}")

    def update(self, ctx: ResourceContext, prior: dict[str, Any], plan: dict[str, Any]) -> dict[str, Any]:
        data = kasm(ctx)
        group_id = normalize_id(plan["group_id"], "group_id")
        default = check(plan["name"], plan["value"], _catalogue(data))
        key = f"{group_id}:{plan['name']}"
        with api_errors("Could not change the group setting", ("value",)), data.writing():
            try:
                row = data.client.groups.update_setting(
                    group_id, prior["group_setting_id"], to_kasm(plan["value"])
                )
            except kerr.NotFound as e:
                if e.kind != "group setting" or group_id == ALL_USERS_GROUP_ID:
                    raise
                # Removed outside Terraform since the refresh: set it again.
                row = data.client.groups.add_setting(group_id, default, to_kasm(plan["value"]))
        return self._state(plan, row, key)

    def delete(self, ctx: ResourceContext, state: dict[str, Any]) -> None:
        data = kasm(ctx)
        group_id = normalize_id(state["group_id"], "group_id")
        with api_errors("Could not remove the group setting"), data.writing():
            if group_id != ALL_USERS_GROUP_ID:
                data.client.groups.remove_setting(state["group_setting_id"], missing_ok=True)
                return
            previous = _previous(ctx.private)
            if previous is None:
                ctx.diagnostics.warning(
                    "All Users setting left in place",
                    f"{state['name']} is one of Kasm's defaults (a setting of All Users) and its value "
                    "before Terraform managed it is not known (imported), so it keeps its current value.",
                )
                return
            try:
                data.client.groups.update_setting(group_id, state["group_setting_id"], previous)
            except kerr.NotFound:
                return

    def import_state(self, ctx: ResourceContext, import_id: str) -> dict[str, Any]:
        group, sep, name = import_id.strip().partition(":")
        if not sep or not name.strip() or not is_kasm_id(group):
            raise DiagnosticError(
                "Invalid import ID",
                "Expected <group_id>:<name> (the group id as 32 hex digits, dashes allowed, and the "
                f"setting's name, e.g. allow_kasm_sharing), got {import_id!r}.",
            )
        group_id = normalize_id(group, "group_id")
        return {"id": f"{group_id}:{name.strip()}", "group_id": group_id, "name": name.strip()}
