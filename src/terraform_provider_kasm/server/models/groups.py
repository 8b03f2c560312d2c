from __future__ import annotations

from typing import Annotated, Any

from pydantic import AliasPath, BaseModel, Field

from .common import EMPTY_OBJECT, KasmRequest, OpenModel, RowOut, TargetGroupRef, TargetImageRef


class GroupOut(RowOut):
    """`create_group`/`update_group`'s group."""

    group_id: str
    name: str
    is_system: bool
    description: str | None
    priority: int
    program_data: Annotated[Any, EMPTY_OBJECT]
    group_metadata: Annotated[Any, EMPTY_OBJECT]


class ListedGroupOut(RowOut):
    """`get_groups`' projection (no program_data; SSO mappings instead)."""

    group_id: str
    name: str
    description: str | None
    priority: int
    is_system: bool
    group_metadata: Annotated[Any, EMPTY_OBJECT]
    # No SSO providers on this server.
    group_mappings: list[dict[str, Any]] = []


class GetGroupsResponse(BaseModel):
    groups: list[ListedGroupOut]


class GroupResponse(BaseModel):
    group: GroupOut
    group_mappings: list[dict[str, Any]]


class GroupUserOut(RowOut):
    name: str = Field(validation_alias="username")
    user_id: str


class GetUsersGroupResponse(BaseModel):
    users: list[GroupUserOut]
    total: int


class GroupImageOut(RowOut):
    """A `group_images` link with its image's and group's names."""

    group_image_id: str
    group_id: str
    image_id: str
    image_name: str | None = Field(validation_alias=AliasPath("image", "name"))
    group_name: str = Field(validation_alias=AliasPath("group", "name"))
    image_friendly_name: str | None = Field(validation_alias=AliasPath("image", "friendly_name"))
    image_src: str | None = Field(validation_alias=AliasPath("image", "image_src"))


class GetImagesGroupResponse(BaseModel):
    images: list[GroupImageOut]


class GroupSettingOut(RowOut):
    group_setting_id: str
    name: str
    value: str | None
    value_type: str
    description: str | None
    group_id: str


class GroupSettingsResponse(BaseModel):
    # Absent (the answer is {}) for a group that does not exist, as in Kasm 1.15.
    settings: list[GroupSettingOut] | None = None


class GroupSettingResponse(BaseModel):
    setting: GroupSettingOut


class PermissionOut(BaseModel):
    name: str
    permission_id: int
    friendly_name: str
    description: str


class GetPermissionsResponse(BaseModel):
    permissions: list[PermissionOut]


class GroupPermissionOut(RowOut):
    group_permission_id: str
    group_id: str | None
    api_id: str | None = None
    permission_name: str
    permission_description: str
    permission_id: int


class GroupPermissionsResponse(BaseModel):
    permissions: list[GroupPermissionOut]


class NewGroup(OpenModel):
    name: str
    priority: int
    description: str | None = None
    group_metadata: dict[str, Any] | None = None


class GroupUpdate(OpenModel):
    group_id: str
    name: str | None = None
    priority: int | None = None
    description: str | None = None
    group_metadata: dict[str, Any] | None = None


class TargetSetting(OpenModel):
    group_setting_id: str
    value: Any = None


class TargetApiConfig(OpenModel):
    api_id: str


class CreateGroupRequest(KasmRequest):
    target_group: NewGroup


class UpdateGroupRequest(KasmRequest):
    target_group: GroupUpdate


class DeleteGroupRequest(KasmRequest):
    target_group: TargetGroupRef
    force: bool | None = None


class TargetGroupRequest(KasmRequest):
    target_group: TargetGroupRef


class GetUsersGroupRequest(KasmRequest):
    target_group: TargetGroupRef
    page: int | None = None
    page_size: int | None = None
    filters: list[dict[str, Any]] | None = None
    sort_by: str | None = None
    sort_direction: str | None = None


class GroupImageRequest(KasmRequest):
    target_group: TargetGroupRef
    target_image: TargetImageRef


class GroupSettingRequest(KasmRequest):
    target_group: TargetGroupRef
    target_setting: TargetSetting


class RemoveSettingRequest(KasmRequest):
    group_setting_id: str


class GetPermissionsGroupRequest(KasmRequest):
    target_group: TargetGroupRef | None = None
    target_api_config: TargetApiConfig | None = None


class GroupPermissionsRequest(KasmRequest):
    target_group: TargetGroupRef | None = None
    target_api_config: TargetApiConfig | None = None
    target_permissions: list[int]


class RemovePermissionRequest(KasmRequest):
    group_permission_id: str
