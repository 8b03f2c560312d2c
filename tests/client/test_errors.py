"""Kasm's answers → the error tree (reference §1.4, §1.7)."""

from __future__ import annotations

import pytest

from terraform_provider_kasm.client import errors
from terraform_provider_kasm.client.errors import classify


@pytest.mark.parametrize(
    ("call", "status", "message", "cls", "kind"),
    [
        ("get_user", 400, "Invalid Request", errors.NotFound, "user"),
        ("update_user", 400, "Unknown User", errors.NotFound, "user"),
        ("delete_user", 400, "Unknown user (abc)", errors.NotFound, "user"),
        ("get_attributes", 400, "No user found with name/id: (abc)", errors.NotFound, "user"),
        ("add_user_group", 400, "Invalid User ID (abc)", errors.NotFound, "user"),
        ("add_user_group", 400, "Invalid Group ID (abc)", errors.NotFound, "group"),
        ("update_group", 200, "Invalid Request. group does not exit by that id", errors.NotFound, "group"),
        ("delete_group", 200, "Group 0123 does not exist", errors.NotFound, "group"),
        ("get_images_group", 200, "Request group does not exist", errors.NotFound, "group"),
        ("get_users_group", 200, "Invalid Group ID (x)", errors.NotFound, "group"),
        ("remove_images_group", 200, "Group or image does not exist", errors.NotFound, "group or image"),
        (
            "update_image",
            200,
            "User (u) attempted to update an image (i) that does not exist.",
            errors.NotFound,
            "image",
        ),
        ("delete_image", 200, "Image(abc) Does not Exist", errors.NotFound, "image"),
        ("get_kasm_status", 400, "Invalid kasm_id (abc)", errors.NotFound, "session"),
        ("request_kasm", 400, "Invalid user_id (abc)", errors.NotFound, "user"),
        ("request_kasm", 200, "Invalid Request", errors.NotFound, "image"),
        ("delete_cast_config", 400, "Cast config with id (x) does not exist", errors.NotFound, "cast config"),
        (
            "get_staging_config",
            400,
            "Staging config with id (x) does not exist",
            errors.NotFound,
            "staging config",
        ),
        ("get_session_token", 400, "Session Token (***) not found", errors.NotFound, "session token"),
        ("remove_user_group", 400, "User (u) is not a member of group (g)", errors.NotFound, "membership"),
    ],
)
def test_not_found_is_recognised_per_call(call: str, status: int, message: str, cls: type, kind: str) -> None:
    error = classify(call, status, message)
    assert type(error) is cls
    assert isinstance(error, errors.NotFound) and error.kind == kind


@pytest.mark.parametrize(
    ("call", "status", "message", "cls"),
    [
        ("get_images", 403, "Access Denied", errors.AuthenticationError),
        ("get_images", 401, "Access has expired", errors.AuthenticationError),
        ("get_images", 403, "Access Denied. This feature is not licensed", errors.AuthenticationError),
        ("create_group", 401, "Unauthorized", errors.PermissionDenied),
        ("request_kasm", 403, "Unauthorized", errors.PermissionDenied),
        ("request_kasm", 200, "Image Not Authorized", errors.PermissionDenied),
        ("get_kasm_status", 200, "Access Denied", errors.PermissionDenied),
        ("create_user", 400, "Error creating user (bob): (User already exists)", errors.Conflict),
        ("create_group", 200, "Group (Devs) already exists", errors.Conflict),
        ("add_user_group", 400, "User (u) is already a member of group (g)", errors.Conflict),
        ("delete_group", 200, "Group contains (2) users and 'force' option not set to True", errors.Conflict),
        (
            "delete_image",
            200,
            "Image (x): ID (y) currently has (1) associated Kasm(s) and cannot be deleted",
            errors.Conflict,
        ),
        ("request_kasm", 200, "Kasm limit exceeded for user: (bob)", errors.NoResourcesAvailable),
        (
            "request_kasm",
            200,
            "No resources are available to create the requested Kasm.",
            errors.NoResourcesAvailable,
        ),
        ("request_kasm", 200, "Undefined Error requesting Kasm", errors.ServerError),
        ("get_images", 500, "boom", errors.ServerError),
        ("create_group", 200, "Invalid priority value (0)", errors.APIError),
    ],
)
def test_classes(call: str, status: int, message: str, cls: type) -> None:
    assert type(classify(call, status, message)) is cls


def test_429_is_rate_limited_with_retry_after() -> None:
    error = classify("get_images", 429, "slow down", retry_after=5.0)
    assert isinstance(error, errors.RateLimited) and error.retry_after == 5.0


def test_permission_hint_names_what_the_call_needs() -> None:
    error = classify("request_kasm", 401, "Unauthorized")
    assert isinstance(error, errors.PermissionDenied)
    assert error.permissions == ("User", "Users Auth Session")
    assert "*User* and *Users Auth Session*" in str(error)
    impersonation = classify("get_kasm_status", 401, "API Key (k) is not authorized to impersonate a user.")
    assert isinstance(impersonation, errors.PermissionDenied)
    assert impersonation.permissions == ("Users Auth Session",)
    system = classify("add_user_group", 401, "Unauthorized")
    assert isinstance(system, errors.PermissionDenied)
    assert "Groups Modify System" in system.permissions


def test_image_not_authorized_points_at_groups_not_the_key() -> None:
    error = classify("request_kasm", 200, "Image Not Authorized")
    assert isinstance(error, errors.PermissionDenied)
    assert error.permissions == ()
    assert "group" in error.hint


def test_every_error_is_a_kasm_error() -> None:
    for cls in (errors.APIError, errors.TransportError, errors.Timeout, errors.InvalidResponse):
        assert issubclass(cls, errors.KasmError)
    for cls in (
        errors.AuthenticationError,
        errors.PermissionDenied,
        errors.NotFound,
        errors.Conflict,
        errors.NoResourcesAvailable,
        errors.RateLimited,
        errors.ServerError,
    ):
        assert issubclass(cls, errors.APIError)
    assert issubclass(errors.Timeout, errors.TransportError)
