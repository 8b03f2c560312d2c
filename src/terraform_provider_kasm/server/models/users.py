from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator

from .common import KasmRequest, KasmTime, OpenModel, RowOut, TargetGroupRef, TargetUserRef, kasm_time


class UserGroupOut(RowOut):
    name: str
    group_id: str


class UserOut(RowOut):
    """`create_user`/`update_user`'s user."""

    user_id: str
    username: str
    locked: bool
    disabled: bool
    last_session: KasmTime
    groups: list[UserGroupOut]
    first_name: str | None
    last_name: str | None
    phone: str | None
    organization: str | None
    notes: str | None
    realm: str


class UserKasmServerOut(RowOut):
    server_id: str | None
    hostname: str | None
    port: int | None


class UserKasmOut(RowOut):
    kasm_id: str
    start_date: KasmTime
    keepalive_date: KasmTime
    expiration_date: KasmTime
    server: UserKasmServerOut


class UserDetailOut(UserOut):
    """`get_user`'s user: the above plus details."""

    kasms: list[UserKasmOut]
    two_factor: bool
    program_id: str | None
    created: KasmTime
    password_set_date: KasmTime
    city: str | None
    state: str | None
    country: str | None
    email: str | None
    custom_attribute_1: str | None
    custom_attribute_2: str | None
    custom_attribute_3: str | None


class ListedUserOut(RowOut):
    """`get_users`'s entries: `user_id` dashed, `last_session` a string ("None" when never)."""

    user_id: str
    username: str
    anonymous: bool
    locked: bool
    disabled: bool
    last_session: Annotated[str, BeforeValidator(lambda value: str(kasm_time(value)))]
    groups: list[UserGroupOut]
    first_name: str | None
    last_name: str | None
    phone: str | None
    organization: str | None
    notes: str | None
    kasms: list[UserKasmOut]
    realm: str
    # No companies on this server.
    company: dict[str, Any] = {}
    created: KasmTime


class UserResponse(BaseModel):
    user: UserOut


class UserDetailResponse(BaseModel):
    user: UserDetailOut


class GetUsersResponse(BaseModel):
    users: list[ListedUserOut]
    total: int
    page: int | None = None


class UserAttributesOut(RowOut):
    user_attributes_id: str
    default_image: str | None
    show_tips: bool
    auto_login_kasm: bool | None
    user_id: str
    toggle_control_panel: bool
    theme: str
    chat_sfx: bool
    ssh_public_key: str | None
    preferred_language: str
    preferred_timezone: str


class UserAttributesResponse(BaseModel):
    user_attributes: UserAttributesOut


class LoginResponse(BaseModel):
    url: str


class UserFields(OpenModel):
    """What `create_user` and `update_user` both take."""

    username: str
    password: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    organization: str | None = None
    notes: str | None = None
    locked: bool | None = None
    disabled: bool | None = None
    realm: str | None = None
    program_id: str | None = None


class NewUser(UserFields):
    company_id: str | None = None


class UserUpdate(UserFields):
    user_id: str
    city: str | None = None
    state: str | None = None
    country: str | None = None
    email: str | None = None
    custom_attribute_1: str | None = None
    custom_attribute_2: str | None = None
    custom_attribute_3: str | None = None
    force_password_reset: bool | None = None
    status: str | None = None


class UserAttributesUpdate(OpenModel):
    user_id: str
    default_image: str | None = None
    show_tips: bool | None = None
    auto_login_kasm: bool | None = None
    toggle_control_panel: bool | None = None
    chat_sfx: bool | None = None
    ssh_public_key: str | None = None
    ssh_private_key: str | None = None
    ssh_passphrase: str | None = None
    theme: str | None = None
    preferred_language: str | None = None
    preferred_timezone: str | None = None


class UsersFilter(BaseModel):
    id: str
    value: Any = None


class CreateUserRequest(KasmRequest):
    target_user: NewUser


class TargetUserRequest(KasmRequest):
    target_user: TargetUserRef


class GetUsersRequest(KasmRequest):
    page: int | None = None
    page_size: int | None = None
    filters: list[UsersFilter] | None = None
    sort_by: str | None = None
    sort_direction: str | None = None
    anonymous: bool | None = None
    anonymous_only: bool | None = None


class UpdateUserRequest(KasmRequest):
    target_user: UserUpdate


class DeleteUserRequest(KasmRequest):
    target_user: TargetUserRef
    force: bool | None = None


class UpdateUserAttributesRequest(KasmRequest):
    target_user_attributes: UserAttributesUpdate


class UserGroupRequest(KasmRequest):
    target_user: TargetUserRef
    target_group: TargetGroupRef
