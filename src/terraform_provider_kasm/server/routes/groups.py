"""Groups: CRUD, memberships, image authorisations, settings and permissions (UI endpoints reachable
through the API, except the documented `add_user_group`/`remove_user_group`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..endpoints import EndpointGroup, KasmCall
from ..models.common import Empty
from ..models.groups import (
    CreateGroupRequest,
    DeleteGroupRequest,
    GetGroupsRequest,
    GetGroupsResponse,
    GetImagesGroupResponse,
    GetPermissionsGroupRequest,
    GetPermissionsRequest,
    GetPermissionsResponse,
    GetUsersGroupRequest,
    GetUsersGroupResponse,
    GroupImageRequest,
    GroupPermissionsRequest,
    GroupPermissionsResponse,
    GroupResponse,
    GroupSettingRequest,
    GroupSettingResponse,
    GroupSettingsResponse,
    RemovePermissionRequest,
    RemoveSettingRequest,
    TargetGroupRequest,
    UpdateGroupRequest,
)
from ..models.users import UserGroupRequest
from ..permissions import Permission as P
from ..services import groups

endpoints = EndpointGroup("groups")

VIEW = [P.GROUPS_VIEW, P.GROUPS_VIEW_IFMEMBER, P.GROUPS_VIEW_SYSTEM]
MODIFY = [P.GROUPS_MODIFY, P.GROUPS_MODIFY_IFMEMBER, P.GROUPS_MODIFY_SYSTEM]


@endpoints.endpoint(
    "get_groups", actions=VIEW, read_only=True, request=GetGroupsRequest, response=GetGroupsResponse
)
def get_groups(call: KasmCall) -> Mapping[str, Any]:
    """The groups the key may view (system groups need Groups View System), by name."""
    return groups.get_groups(call)


@endpoints.endpoint(
    "create_group",
    actions=[P.GROUPS_CREATE],
    read_only=False,
    request=CreateGroupRequest,
    response=GroupResponse,
)
def create_group(call: KasmCall) -> Mapping[str, Any]:
    """Create a group (`name` unique, `priority` 1-4095)."""
    return groups.create_group(call)


@endpoints.endpoint(
    "update_group", actions=MODIFY, read_only=False, request=UpdateGroupRequest, response=GroupResponse
)
def update_group(call: KasmCall) -> Mapping[str, Any]:
    """Update a group (only the fields given)."""
    return groups.update_group(call)


@endpoints.endpoint(
    "delete_group", actions=[P.GROUPS_DELETE], read_only=False, request=DeleteGroupRequest, response=Empty
)
def delete_group(call: KasmCall) -> Mapping[str, Any]:
    """Delete a group (`force` when it has members; built-in groups are protected)."""
    return groups.delete_group(call)


@endpoints.endpoint(
    "add_user_group",
    actions=[P.GROUPS_MODIFY],
    read_only=True,  # sic: Kasm 1.15 lets read-only keys call it
    writes=True,
    request=UserGroupRequest,
    response=Empty,
)
def add_user_group(call: KasmCall) -> Mapping[str, Any]:
    """Add a user to a group."""
    return groups.add_user_group(call)


@endpoints.endpoint(
    "remove_user_group",
    actions=[P.GROUPS_MODIFY],
    read_only=True,  # sic, as add_user_group
    writes=True,
    request=UserGroupRequest,
    response=Empty,
)
def remove_user_group(call: KasmCall) -> Mapping[str, Any]:
    """Remove a user from a group."""
    return groups.remove_user_group(call)


@endpoints.endpoint(
    "get_users_group",
    actions=VIEW,
    read_only=True,
    request=GetUsersGroupRequest,
    response=GetUsersGroupResponse,
)
def get_users_group(call: KasmCall) -> Mapping[str, Any]:
    """A group's members (`name` is the username)."""
    return groups.get_users_group(call)


@endpoints.endpoint(
    "get_images_group",
    actions=VIEW,
    read_only=True,
    request=TargetGroupRequest,
    response=GetImagesGroupResponse,
)
def get_images_group(call: KasmCall) -> Mapping[str, Any]:
    """The images a group's members may launch."""
    return groups.get_images_group(call)


@endpoints.endpoint(
    "add_images_group", actions=MODIFY, read_only=False, request=GroupImageRequest, response=Empty
)
def add_images_group(call: KasmCall) -> Mapping[str, Any]:
    """Authorise a group for an image (a second add of the same pair is refused)."""
    return groups.add_images_group(call)


@endpoints.endpoint(
    "remove_images_group", actions=MODIFY, read_only=False, request=GroupImageRequest, response=Empty
)
def remove_images_group(call: KasmCall) -> Mapping[str, Any]:
    """Remove a group's authorisation for an image."""
    return groups.remove_images_group(call)


@endpoints.endpoint(
    "get_settings_group",
    actions=VIEW,
    read_only=True,
    request=TargetGroupRequest,
    response=GroupSettingsResponse,
)
def get_settings_group(call: KasmCall) -> Mapping[str, Any]:
    """A group's settings; without a group, the defaults (the catalogue of setting names)."""
    return groups.get_settings_group(call)


@endpoints.endpoint(
    "add_settings_group",
    actions=MODIFY,
    read_only=False,
    request=GroupSettingRequest,
    response=GroupSettingResponse,
)
def add_settings_group(call: KasmCall) -> Mapping[str, Any]:
    """Give a group a setting (`group_setting_id` names the default setting)."""
    return groups.add_settings_group(call)


@endpoints.endpoint(
    "update_settings_group",
    actions=MODIFY,
    read_only=False,
    request=GroupSettingRequest,
    response=GroupSettingResponse,
)
def update_settings_group(call: KasmCall) -> Mapping[str, Any]:
    """Change a group's setting value (`group_setting_id` is the group's own setting)."""
    return groups.update_settings_group(call)


@endpoints.endpoint(
    "remove_settings_group", actions=MODIFY, read_only=False, request=RemoveSettingRequest, response=Empty
)
def remove_settings_group(call: KasmCall) -> Mapping[str, Any]:
    """Remove a group's setting."""
    return groups.remove_settings_group(call)


@endpoints.endpoint(
    "get_permissions",
    actions=[P.GLOBAL_ADMIN],
    read_only=True,
    request=GetPermissionsRequest,
    response=GetPermissionsResponse,
)
def get_permissions(call: KasmCall) -> Mapping[str, Any]:
    """Every permission with its numeric id."""
    return groups.get_permissions(call)


@endpoints.endpoint(
    "get_permissions_group",
    actions=[P.GLOBAL_ADMIN],
    read_only=True,
    request=GetPermissionsGroupRequest,
    response=GroupPermissionsResponse,
)
def get_permissions_group(call: KasmCall) -> Mapping[str, Any]:
    """The permissions of a group (or of an API key with `target_api_config`)."""
    return groups.get_permissions_group(call)


@endpoints.endpoint(
    "add_permissions_group",
    actions=[P.GLOBAL_ADMIN],
    read_only=False,
    request=GroupPermissionsRequest,
    response=GroupPermissionsResponse,
)
def add_permissions_group(call: KasmCall) -> Mapping[str, Any]:
    """Grant permissions (by id) to a group or API key."""
    return groups.add_permissions_group(call)


@endpoints.endpoint(
    "replace_permissions_group",
    actions=[P.GLOBAL_ADMIN],
    read_only=False,
    request=GroupPermissionsRequest,
    response=GroupPermissionsResponse,
)
def replace_permissions_group(call: KasmCall) -> Mapping[str, Any]:
    """Set a group's (or API key's) permissions to exactly these ids."""
    return groups.replace_permissions_group(call)


@endpoints.endpoint(
    "remove_permissions_group",
    actions=[P.GLOBAL_ADMIN],
    read_only=False,
    request=RemovePermissionRequest,
    response=Empty,
)
def remove_permissions_group(call: KasmCall) -> Mapping[str, Any]:
    """Remove one permission grant."""
    return groups.remove_permissions_group(call)
