"""Users (documented Developer API calls; Kasm's public overrides answer errors with HTTP 400)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..endpoints import EndpointGroup, KasmCall
from ..models.common import Empty
from ..models.users import (
    CreateUserRequest,
    DeleteUserRequest,
    GetUsersRequest,
    GetUsersResponse,
    LoginResponse,
    TargetUserRequest,
    UpdateUserAttributesRequest,
    UpdateUserRequest,
    UserAttributesResponse,
    UserDetailResponse,
    UserResponse,
)
from ..permissions import Permission as P
from ..services import users

endpoints = EndpointGroup("users")


@endpoints.endpoint(
    "create_user", actions=[P.USERS_CREATE], read_only=False, request=CreateUserRequest, response=UserResponse
)
def create_user(call: KasmCall) -> Mapping[str, Any]:
    """Create a user (username stored lower-cased; joins All Users)."""
    return users.create_user(call)


@endpoints.endpoint(
    "get_user", actions=[P.USERS_VIEW], read_only=True, request=TargetUserRequest, response=UserDetailResponse
)
def get_user(call: KasmCall) -> Mapping[str, Any]:
    """One user by `user_id` or `username`."""
    return users.get_user(call)


@endpoints.endpoint(
    "get_users", actions=[P.USERS_VIEW], read_only=True, request=GetUsersRequest, response=GetUsersResponse
)
def get_users(call: KasmCall) -> Mapping[str, Any]:
    """Users (non-anonymous by default), newest first unless `sort_by`/`sort_direction` say otherwise."""
    return users.get_users(call)


@endpoints.endpoint(
    "update_user", actions=[P.USERS_MODIFY], read_only=False, request=UpdateUserRequest, response=UserResponse
)
def update_user(call: KasmCall) -> Mapping[str, Any]:
    """Update a user (`username` is required)."""
    return users.update_user(call)


@endpoints.endpoint(
    "delete_user", actions=[P.USERS_DELETE], read_only=False, request=DeleteUserRequest, response=Empty
)
def delete_user(call: KasmCall) -> Mapping[str, Any]:
    """Delete a user (`force` also destroys their sessions)."""
    return users.delete_user(call)


@endpoints.endpoint(
    "logout_user", actions=[P.USERS_AUTH_SESSION], read_only=False, request=TargetUserRequest, response=Empty
)
def logout_user(call: KasmCall) -> Mapping[str, Any]:
    """Delete all of a user's session tokens."""
    return users.logout_user(call)


@endpoints.endpoint(
    "get_attributes",
    actions=[P.USERS_VIEW],
    read_only=True,
    writes=True,
    request=TargetUserRequest,
    response=UserAttributesResponse,
)
def get_attributes(call: KasmCall) -> Mapping[str, Any]:
    """A user's attributes (preferences and SSH public key)."""
    return users.get_attributes(call)


@endpoints.endpoint(
    "update_user_attributes",
    actions=[P.USERS_MODIFY],
    read_only=True,  # sic: Kasm 1.15 lets read-only keys call it
    writes=True,
    request=UpdateUserAttributesRequest,
    response=Empty,
)
def update_user_attributes(call: KasmCall) -> Mapping[str, Any]:
    """Change a user's attributes (only the keys given)."""
    return users.update_user_attributes(call)


@endpoints.endpoint(
    "get_login",
    actions=[P.USERS_AUTH_SESSION],
    read_only=True,
    writes=True,
    request=TargetUserRequest,
    response=LoginResponse,
)
def get_login(call: KasmCall) -> Mapping[str, Any]:
    """A login link for a user (creates a session token)."""
    return users.get_login(call)
