"""Groups, memberships, group ↔ image authorisations, group settings and group permissions.

Inherited admin handlers in Kasm 1.15, so most errors are HTTP 200 with `error_message`; the
documented `add_user_group`/`remove_user_group` and the permission calls answer 400.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import Session, contains_eager

from ..constants import ALL_USERS_GROUP_ID
from ..endpoints import EndpointGroup, KasmCall
from ..errors import KasmCrash, KasmError
from ..models.common import Empty, KasmRequest
from ..models.groups import (
    CreateGroupRequest,
    DeleteGroupRequest,
    GetGroupsResponse,
    GetImagesGroupResponse,
    GetPermissionsGroupRequest,
    GetPermissionsResponse,
    GetUsersGroupRequest,
    GetUsersGroupResponse,
    GroupImageOut,
    GroupImageRequest,
    GroupOut,
    GroupPermissionOut,
    GroupPermissionsRequest,
    GroupPermissionsResponse,
    GroupResponse,
    GroupSettingOut,
    GroupSettingRequest,
    GroupSettingResponse,
    GroupSettingsResponse,
    GroupUserOut,
    ListedGroupOut,
    PermissionOut,
    RemovePermissionRequest,
    RemoveSettingRequest,
    TargetGroupRequest,
    UpdateGroupRequest,
)
from ..models.users import UserGroupRequest
from ..permissions import Permission
from ..permissions import Permission as P
from ..storage.tables import (
    ApiConfig,
    CastConfig,
    Group,
    GroupImage,
    GroupPermission,
    GroupSetting,
    Image,
    User,
    UserGroup,
)
from .common import (
    MISSING_COLON,
    MISSING_DOT,
    as_float,
    as_int,
    find_row,
    insert_unique,
    require_row,
    target,
    text,
)
from .licenses import effective_license

endpoints = EndpointGroup("groups")
VIEW = [P.GROUPS_VIEW, P.GROUPS_VIEW_IFMEMBER, P.GROUPS_VIEW_SYSTEM]
MODIFY = [P.GROUPS_MODIFY, P.GROUPS_MODIFY_IFMEMBER, P.GROUPS_MODIFY_SYSTEM]

# --- access -----------------------------------------------------------------------------------------


def _is_member(db: Session, user: User | None, group: Group) -> bool:
    if user is None:
        return False
    query = select(UserGroup.user_group_id).where(
        UserGroup.user_id == user.user_id, UserGroup.group_id == group.group_id
    )
    return db.scalars(query).first() is not None


def _may(
    call: KasmCall, group: Group, system: Permission, any_group: Permission, if_member: Permission
) -> bool:
    """System groups need the `…_SYSTEM` permission; others the plain one, or `…_IFMEMBER` and membership."""
    if group.is_system:
        return call.can(system)
    if call.can(any_group):
        return True
    return call.can(if_member) and _is_member(call.db, call.user, group)


def can_view(call: KasmCall, group: Group) -> bool:
    return _may(call, group, P.GROUPS_VIEW_SYSTEM, P.GROUPS_VIEW, P.GROUPS_VIEW_IFMEMBER)


def can_modify(call: KasmCall, group: Group) -> bool:
    return _may(call, group, P.GROUPS_MODIFY_SYSTEM, P.GROUPS_MODIFY, P.GROUPS_MODIFY_IFMEMBER)


def _target_group(
    call: KasmCall,
    missing: str,
    not_found: str,
    allowed: Callable[[KasmCall, Group], bool] | None = None,
    *,
    invalid: str | None = None,
    denied: str = "Unauthorized",
) -> Group:
    """`target_group`'s group (`require_row`), which the key must then be `allowed` to see or change."""
    group = require_row(call, Group, "target_group.group_id", missing, not_found, invalid=invalid)
    if allowed is not None and not allowed(call, group):
        raise KasmError(denied, 401)
    return group


# --- output -----------------------------------------------------------------------------------------


def _permission_out(row: GroupPermission) -> dict[str, Any]:
    permission = Permission(row.permission_id)
    out = GroupPermissionOut.dump(
        row, permission_name=permission.friendly_name, permission_description=permission.description
    )
    if row.api_id is None:
        del out["api_id"]
    return out


# --- groups -----------------------------------------------------------------------------------------


@endpoints.read_only(VIEW, KasmRequest, GetGroupsResponse)
def get_groups(call: KasmCall) -> dict[str, Any]:
    """The groups the key may view (system groups need Groups View System), by name."""
    groups = call.db.scalars(select(Group).order_by(Group.name, Group.group_id))
    return {"groups": [ListedGroupOut.dump(g) for g in groups if can_view(call, g)]}


@endpoints.read_write([P.GROUPS_CREATE], CreateGroupRequest, GroupResponse)
def create_group(call: KasmCall) -> dict[str, Any]:
    """Create a group (`name` unique, `priority` 1-4095)."""
    spec = target(call.body, "target_group")
    if spec.get("name") is None or spec.get("priority") is None:
        raise KasmError(MISSING_DOT)
    if "group_mappings" in spec:
        # Kasm 1.15 reads it as `target_group("group_mappings")`: a TypeError.
        raise KasmCrash("'dict' object is not callable")
    name = text(spec["name"], 255) or ""
    if call.db.scalars(select(Group.group_id).where(Group.name == name)).first() is not None:
        raise KasmError(f"Group ({name}) already exists")
    priority = spec["priority"]
    try:
        value = int(priority)
    except (TypeError, ValueError, OverflowError):
        value = 0
    if isinstance(priority, bool) or not 0 < value < 4096:
        raise KasmError(f"Invalid priority value ({priority})")
    group = Group(
        name=name,
        is_system=False,
        description=text(spec.get("description")),
        priority=value,
        program_data={},
        group_metadata=spec.get("group_metadata") if spec.get("group_metadata") is not None else {},
    )
    call.db.add(group)
    call.db.flush()
    return {"group": GroupOut.dump(group), "group_mappings": []}


@endpoints.read_write(MODIFY, UpdateGroupRequest, GroupResponse)
def update_group(call: KasmCall) -> dict[str, Any]:
    """Update a group (only the fields given)."""
    group = _target_group(
        call,
        MISSING_DOT,
        "Invalid Request. group does not exit by that id",
        can_modify,
        invalid="Invalid Request. group_id must be a uuid",
        denied="User not authorized to modify the target group.",
    )
    spec = target(call.body, "target_group")
    # Only the fields given (not null) change; 1.15 checks neither the name nor the priority here.
    if spec.get("name") is not None:
        group.name = text(spec["name"], 255) or ""
    if spec.get("description") is not None:
        group.description = text(spec["description"])
    if spec.get("priority") is not None:
        group.priority = as_int(spec["priority"])
    if spec.get("group_metadata") is not None:
        group.group_metadata = spec["group_metadata"]
    call.db.flush()
    return {"group": GroupOut.dump(group), "group_mappings": []}


@endpoints.read_write([P.GROUPS_DELETE], DeleteGroupRequest, Empty)
def delete_group(call: KasmCall) -> dict[str, Any]:
    """Delete a group (`force` when it has members; built-in groups are protected)."""
    force = call.body.get("force", False)
    if not isinstance(force, bool):
        raise KasmError("Invalid Request. 'force' option must be boolean")
    group = _target_group(call, MISSING_COLON, "Group {value} does not exist")
    if group.is_system:
        raise KasmError(f"Group ({group.name}) is a protected group and cannot be deleted")
    casts = list(
        call.db.scalars(select(CastConfig.cast_config_id).where(CastConfig.group_id == group.group_id))
    )
    if casts:
        raise KasmError(
            f"Group ({group.name}) is referenced in Cast configuration ({', '.join(casts)}) and cannot be deleted"
        )
    members = call.db.scalar(
        select(func.count()).select_from(UserGroup).where(UserGroup.group_id == group.group_id)
    )
    if members and not force:
        raise KasmError(f"Group contains ({members}) users and 'force' option not set to True")
    # Memberships, settings, permissions and image authorisations cascade.
    call.db.delete(group)
    return {}


# --- memberships ------------------------------------------------------------------------------------


def _membership_targets(call: KasmCall) -> tuple[User, Group]:
    user_spec = target(call.body, "target_user")
    group_spec = target(call.body, "target_group")
    if not user_spec or not group_spec or not user_spec.get("user_id") or not group_spec.get("group_id"):
        raise KasmError(MISSING_COLON, 400)
    user = require_row(
        call, User, "target_user.user_id", MISSING_COLON, "Invalid User ID ({value})", status=400
    )
    group = require_row(
        call, Group, "target_group.group_id", MISSING_COLON, "Invalid Group ID ({value})", status=400
    )
    if not can_modify(call, group):
        raise KasmError("Unauthorized", 401)
    return user, group


def _membership(db: Session, user: User, group: Group) -> UserGroup | None:
    return db.scalars(
        select(UserGroup).where(UserGroup.user_id == user.user_id, UserGroup.group_id == group.group_id)
    ).first()


# sic: Kasm 1.15 lets read-only keys call it
@endpoints.read_only([P.GROUPS_MODIFY], UserGroupRequest, Empty, writes=True)
def add_user_group(call: KasmCall) -> dict[str, Any]:
    """Add a user to a group."""
    user, group = _membership_targets(call)
    duplicate = KasmError(f"User ({user.user_id}) is already a member of group ({group.group_id})", 400)
    if _membership(call.db, user, group) is not None:
        raise duplicate
    insert_unique(call.db, UserGroup(user_id=user.user_id, group_id=group.group_id), duplicate)
    return {}


# sic, as add_user_group
@endpoints.read_only([P.GROUPS_MODIFY], UserGroupRequest, Empty, writes=True)
def remove_user_group(call: KasmCall) -> dict[str, Any]:
    """Remove a user from a group."""
    user, group = _membership_targets(call)
    membership = _membership(call.db, user, group)
    if membership is None:
        raise KasmError(f"User ({user.user_id}) is not a member of group ({group.group_id})", 400)
    call.db.delete(membership)
    return {}


@endpoints.read_only(VIEW, GetUsersGroupRequest, GetUsersGroupResponse)
def get_users_group(call: KasmCall) -> dict[str, Any]:
    """A group's members (`name` is the username)."""
    group = _target_group(call, MISSING_COLON, "Invalid Group ID ({value})", can_view)
    query: Select[User] = (
        select(User)
        .join(UserGroup, UserGroup.user_id == User.user_id)
        .where(UserGroup.group_id == group.group_id)
    )
    filters = call.body.get("filters") or []
    if not isinstance(filters, list):
        raise KasmCrash("filters is not a list")
    for item in filters:
        if not isinstance(item, dict):
            raise KasmCrash("filter is not an object")
        if item.get("id") in ("name", "username") and item.get("value") is not None:
            query = query.where(User.username.contains(str(item["value"]).strip().lower(), autoescape=True))
    total = call.db.scalar(select(func.count()).select_from(query.subquery())) or 0
    descending = call.body.get("sort_direction") == "desc"
    query = query.order_by(User.username.desc() if descending else User.username.asc(), User.user_id)
    if call.body.get("page") is not None:
        size = as_int(call.body.get("page_size") or 20)
        query = query.offset(max(as_int(call.body["page"]), 0) * max(size, 1)).limit(max(size, 1))
    return {"users": [GroupUserOut.dump(u) for u in call.db.scalars(query)], "total": total}


# --- group ↔ image authorisations ------------------------------------------------------------------


@endpoints.read_only(VIEW, TargetGroupRequest, GetImagesGroupResponse)
def get_images_group(call: KasmCall) -> dict[str, Any]:
    """The images a group's members may launch."""
    group = _target_group(call, "Invalid Request: Missing group id", "Request group does not exist", can_view)
    links = call.db.scalars(
        select(GroupImage)
        .join(Image, Image.image_id == GroupImage.image_id)
        .where(GroupImage.group_id == group.group_id)
        .order_by(Image.friendly_name, Image.image_id, GroupImage.group_image_id)
        .options(contains_eager(GroupImage.image))
    )
    return {"images": [GroupImageOut.dump(link) for link in links]}


def _group_and_image(call: KasmCall, unknown: Exception) -> tuple[Group, Image]:
    """The group and image `target_group`/`target_image` name (`unknown` when either does not exist),
    once the key may modify the group."""
    group_spec = target(call.body, "target_group")
    image_spec = target(call.body, "target_image")
    if not group_spec.get("group_id") or not image_spec.get("image_id"):
        raise KasmError("Invalid request, missing group or image id")
    group = find_row(call.db, Group, group_spec["group_id"])
    image = find_row(call.db, Image, image_spec["image_id"])
    if group is None or image is None:
        raise unknown
    if not can_modify(call, group):
        raise KasmError("Unauthorized", 401)
    return group, image


@endpoints.read_write(MODIFY, GroupImageRequest, Empty)
def add_images_group(call: KasmCall) -> dict[str, Any]:
    """Authorise a group for an image (a second add of the same pair is refused)."""
    # Kasm 1.15 does not check either: the insert fails (HTTP 500).
    group, image = _group_and_image(call, KasmCrash("group or image does not exist"))
    # Kasm 1.15 stores a second add as a duplicate row; refused here (the table's unique constraint
    # also settles two concurrent adds: one link, one error).
    duplicate = f"Image ({image.image_id}) is already authorized for group ({group.group_id})"
    link = select(GroupImage.group_image_id).where(
        GroupImage.group_id == group.group_id, GroupImage.image_id == image.image_id
    )
    if call.db.scalars(link).first() is not None:
        raise KasmError(duplicate)
    insert_unique(call.db, GroupImage(group_id=group.group_id, image_id=image.image_id), KasmError(duplicate))
    return {}


@endpoints.read_write(MODIFY, GroupImageRequest, Empty)
def remove_images_group(call: KasmCall) -> dict[str, Any]:
    """Remove a group's authorisation for an image."""
    group, image = _group_and_image(call, KasmError("Group or image does not exist"))
    call.db.execute(
        delete(GroupImage).where(GroupImage.group_id == group.group_id, GroupImage.image_id == image.image_id)
    )
    return {}


# --- group settings ---------------------------------------------------------------------------------

#: Settings add_settings_group accepts only when the license has the feature of the same name.
LICENSED_SETTINGS = frozenset({"allow_kasm_sharing", "inject_ssh_keys", "usage_limit"})


def _settings_of(db: Session, group_id: str) -> list[GroupSetting]:
    query = select(GroupSetting).where(GroupSetting.group_id == group_id).order_by(GroupSetting.name)
    return list(db.scalars(query))


@endpoints.read_only(VIEW, TargetGroupRequest, GroupSettingsResponse)
def get_settings_group(call: KasmCall) -> dict[str, Any]:
    """A group's settings; without a group, the defaults (the catalogue of setting names)."""
    spec = call.body.get("target_group")
    group_value = spec.get("group_id") if isinstance(spec, dict) else None
    if not group_value:
        # No group: the defaults (All Users' settings), the catalogue of setting names.
        return {"settings": [GroupSettingOut.dump(s) for s in _settings_of(call.db, ALL_USERS_GROUP_ID)]}
    group = find_row(call.db, Group, group_value)
    if group is None:
        # Kasm 1.15 answers an unknown group with an empty object: no settings key, no error.
        return {}
    if not can_view(call, group):
        raise KasmError("Unauthorized", 401)
    return {"settings": [GroupSettingOut.dump(s) for s in _settings_of(call.db, group.group_id)]}


def _setting_value(value_type: str, value: Any) -> str:
    """Validate a setting value by type (Kasm's rules) and return it as the stored string."""
    if isinstance(value, str):
        stored = value
    elif isinstance(value, dict | list):
        stored = json.dumps(value)
    else:
        stored = str(value)
    try:
        if value_type == "int":
            int(stored)
        elif value_type == "float":
            as_float(stored)
        elif value_type in ("json", "json_pass") or (value_type == "usage_limit" and stored):
            json.loads(stored)
    except (ValueError, KasmCrash) as exc:
        raise KasmError(f"Invalid value type or value {exc}") from exc
    return stored


def _group_for_setting(call: KasmCall) -> tuple[Group, dict[str, Any]]:
    group_spec = target(call.body, "target_group")
    if not group_spec.get("group_id"):
        raise KasmError("Invalid request: missing target group or group id")
    setting_spec = target(call.body, "target_setting")
    if not setting_spec.get("group_setting_id") or "value" not in setting_spec:
        raise KasmError(
            "Invalid request: Missing target_setting or target_setting is missing required value."
        )
    group = find_row(call.db, Group, group_spec["group_id"])
    if group is None:
        raise KasmError("Group does not exist")
    if not can_modify(call, group):
        raise KasmError("Unauthorized", 401)
    return group, setting_spec


@endpoints.read_write(MODIFY, GroupSettingRequest, GroupSettingResponse)
def add_settings_group(call: KasmCall) -> dict[str, Any]:
    """Give a group a setting (`group_setting_id` names the default setting)."""
    group, spec = _group_for_setting(call)
    default = find_row(call.db, GroupSetting, spec["group_setting_id"])
    if default is None or default.group_id != ALL_USERS_GROUP_ID:
        raise KasmError("Group setting does not exist")
    existing = select(GroupSetting.group_setting_id).where(
        GroupSetting.group_id == group.group_id, GroupSetting.name == default.name
    )
    if call.db.scalars(existing).first() is not None:
        raise KasmError("Group setting already exists")
    if default.name in LICENSED_SETTINGS and default.name not in effective_license(call.db).features:
        raise KasmError("Access Denied. This setting is not licensed")
    setting = GroupSetting(
        group_id=group.group_id,
        name=default.name,
        value=_setting_value(default.value_type, spec["value"]),
        value_type=default.value_type,
        description=default.description,
    )
    call.db.add(setting)
    call.db.flush()
    return {"setting": GroupSettingOut.dump(setting)}


@endpoints.read_write(MODIFY, GroupSettingRequest, GroupSettingResponse)
def update_settings_group(call: KasmCall) -> dict[str, Any]:
    """Change a group's setting value (`group_setting_id` is the group's own setting)."""
    group, spec = _group_for_setting(call)
    setting = find_row(call.db, GroupSetting, spec["group_setting_id"])
    if setting is None or setting.group_id != group.group_id:
        raise KasmError("Group setting does not exist")
    setting.value = _setting_value(setting.value_type, spec["value"])
    call.db.flush()
    return {"setting": GroupSettingOut.dump(setting)}


@endpoints.read_write(MODIFY, RemoveSettingRequest, Empty)
def remove_settings_group(call: KasmCall) -> dict[str, Any]:
    """Remove a group's setting."""
    setting = require_row(
        call, GroupSetting, "group_setting_id", "Invalid request", "Group setting does not exist"
    )
    group = call.db.get(Group, setting.group_id)
    if group is None or not can_modify(call, group):
        raise KasmError("Unauthorized", 401)
    if setting.group_id == ALL_USERS_GROUP_ID:
        # The defaults are the catalogue every other group's settings refer to.
        raise KasmError("Invalid request")
    call.db.delete(setting)
    return {}


# --- permissions (Global Admin only) ----------------------------------------------------------------


@endpoints.read_only([P.GLOBAL_ADMIN], KasmRequest, GetPermissionsResponse)
def get_permissions(call: KasmCall) -> dict[str, Any]:
    """Every permission with its numeric id."""
    return {
        "permissions": [
            PermissionOut(
                name=f"JWT_AUTHORIZATION.{p.name}",
                permission_id=int(p),
                friendly_name=p.friendly_name,
                description=p.description,
            ).model_dump()
            for p in sorted(Permission)
        ]
    }


def _permission_owner(call: KasmCall) -> tuple[str, str]:
    """("group_id" | "api_id", id) of `target_group` or `target_api_config`."""
    api_spec = call.body.get("target_api_config")
    if isinstance(api_spec, dict) and api_spec.get("api_id"):
        api = find_row(call.db, ApiConfig, api_spec["api_id"])
        if api is None:
            raise KasmError("The specified api config does not exist.", 400)
        return "api_id", api.api_id
    group_spec = call.body.get("target_group")
    group = find_row(call.db, Group, group_spec.get("group_id")) if isinstance(group_spec, dict) else None
    if group is None:
        raise KasmError("The specified group does not exist.", 400)
    return "group_id", group.group_id


def _owned(call: KasmCall, owner: tuple[str, str]) -> list[GroupPermission]:
    column = GroupPermission.api_id if owner[0] == "api_id" else GroupPermission.group_id
    query = select(GroupPermission).where(column == owner[1]).order_by(GroupPermission.permission_id)
    return list(call.db.scalars(query))


@endpoints.read_only([P.GLOBAL_ADMIN], GetPermissionsGroupRequest, GroupPermissionsResponse)
def get_permissions_group(call: KasmCall) -> dict[str, Any]:
    """The permissions of a group (or of an API key with `target_api_config`)."""
    owner = _permission_owner(call)
    return {"permissions": [_permission_out(p) for p in _owned(call, owner)]}


def _requested_permissions(call: KasmCall) -> list[int]:
    requested = call.body.get("target_permissions")
    if not isinstance(requested, list):
        raise KasmError(MISSING_COLON, 400)
    result: list[int] = []
    valid = {int(p) for p in Permission}
    for value in requested:
        try:
            number = None if isinstance(value, bool) or not isinstance(value, int | str) else int(value)
        except ValueError:
            number = None
        if number not in valid:
            raise KasmError(f"The specified permission id ({value}) is invalid.", 400)
        if number not in result:
            result.append(number)
    return result


@endpoints.read_write([P.GLOBAL_ADMIN], GroupPermissionsRequest, GroupPermissionsResponse)
def add_permissions_group(call: KasmCall) -> dict[str, Any]:
    """Grant permissions (by id) to a group or API key."""
    owner = _permission_owner(call)
    requested = _requested_permissions(call)
    held = {p.permission_id for p in _owned(call, owner)}
    added = [GroupPermission(permission_id=p, **{owner[0]: owner[1]}) for p in requested if p not in held]
    call.db.add_all(added)
    call.db.flush()
    result: dict[str, Any] = {"permissions": [_permission_out(p) for p in added]}
    duplicates = len(requested) - len(added)
    if duplicates:
        result["error_message"] = f"{len(added)} permissions added, {duplicates} already part of the group."
    return result


@endpoints.read_write([P.GLOBAL_ADMIN], GroupPermissionsRequest, GroupPermissionsResponse)
def replace_permissions_group(call: KasmCall) -> dict[str, Any]:
    """Set a group's (or API key's) permissions to exactly these ids."""
    owner = _permission_owner(call)
    requested = set(_requested_permissions(call))
    current = _owned(call, owner)
    for row in current:
        if row.permission_id not in requested:
            call.db.delete(row)
    held = {p.permission_id for p in current}
    call.db.add_all(
        GroupPermission(permission_id=p, **{owner[0]: owner[1]}) for p in sorted(requested - held)
    )
    call.db.flush()
    return {"permissions": [_permission_out(p) for p in _owned(call, owner)]}


@endpoints.read_write([P.GLOBAL_ADMIN], RemovePermissionRequest, Empty)
def remove_permissions_group(call: KasmCall) -> dict[str, Any]:
    """Remove one permission grant."""
    row = find_row(call.db, GroupPermission, call.body.get("group_permission_id"))
    if row is None:
        raise KasmError("The specified permission does not exist.", 400)
    call.db.delete(row)
    return {}
