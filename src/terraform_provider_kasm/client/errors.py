"""Every exception the Kasm client raises, in one tree.

::

    KasmError                      anything from this client
    ├── APIError                   Kasm answered with an ``error_message`` (at any HTTP status)
    │   ├── AuthenticationError    wrong/expired API key or secret, developer API not licensed
    │   ├── PermissionDenied       the key lacks a permission (``hint`` names it), or is read-only
    │   ├── NotFound               the object does not exist (``kind`` says which: user, group, …)
    │   ├── Conflict               it already exists / is in use (username, group name, membership…)
    │   │   └── AlreadyExisted     a create's answer was lost and what the lookup found is not its work
    │   ├── NoResourcesAvailable   no capacity, or a session / license / usage limit was reached
    │   ├── RateLimited            HTTP 429 (``retry_after`` in seconds when the server sent it)
    │   ├── SessionEnded           a session waited for stopped or is ending: it will not run
    │   └── ServerError            HTTP 5xx, or Kasm's own "unexpected error" messages
    ├── TransportError             the request did not complete (``kind``: connect, tls, reset…)
    │   ├── Timeout                connect or read timeout
    │   │   └── StartTimeout       a session was not running within the time waited for it
    │   └── Stopped                a call abandoned: Terraform asked the provider to stop (also Interrupted)
    ├── InvalidResponse            the body is not the JSON object Kasm sends (an HTML error page…)
    └── Interrupted                a wait was stopped (StopProvider, Ctrl-C) before it finished

Kasm signals failures through an ``error_message`` key in the JSON body, often with HTTP 200
(reference §1.6), so the class is chosen from the message first and the status second
(:func:`classify`). Messages are Kasm's own; they never contain our secrets, but the request
body can, so no exception ever carries or prints a request body.
"""

from __future__ import annotations

import re

__all__ = [
    "APIError",
    "AlreadyExisted",
    "AuthenticationError",
    "Conflict",
    "Interrupted",
    "InvalidResponse",
    "KasmError",
    "NoResourcesAvailable",
    "NotFound",
    "PermissionDenied",
    "RateLimited",
    "ServerError",
    "SessionEnded",
    "StartTimeout",
    "Stopped",
    "Timeout",
    "TransportError",
    "classify",
    "permissions_for",
]


class KasmError(Exception):
    """Base class of every error raised by the Kasm client."""

    def __init__(self, message: str, *, call: str | None = None) -> None:
        super().__init__(message)
        self.call = call
        self.message = message


class APIError(KasmError):
    """Kasm rejected the call: ``status`` is the HTTP status, ``message`` Kasm's ``error_message``."""

    def __init__(self, call: str, status: int, message: str, *, attempts: int = 1) -> None:
        super().__init__(message, call=call)
        self.status = status
        self.attempts = attempts

    def __str__(self) -> str:
        return f"Kasm {self.call} failed (HTTP {self.status}): {self.message}"


class AuthenticationError(APIError):
    """The API key/secret pair was refused (unknown, wrong secret, expired, or not licensed)."""


class PermissionDenied(APIError):
    """The API key is valid but lacks a permission for this call (or is read-only)."""

    def __init__(self, call: str, status: int, message: str, *, attempts: int = 1) -> None:
        super().__init__(call, status, message, attempts=attempts)
        self.permissions: tuple[str, ...] = permissions_for(call, message)

    @property
    def hint(self) -> str:
        if self.message.startswith("Image Not Authorized"):
            # Not the key's fault: the user may launch only enabled images added to one of their groups.
            return "the user is in no group the image is added to, or the image is disabled"
        if not self.permissions:
            return "check the API key's permissions and that it is not read-only"
        names = " and ".join(f"*{p}*" for p in self.permissions)
        return f"the API key needs {names} (and must not be read-only for changes)"

    def __str__(self) -> str:
        return f"{super().__str__()} ({self.hint})"


class NotFound(APIError):
    """The object the call names does not exist; ``kind`` is "user", "group", "image", "session"…"""

    def __init__(
        self, call: str, status: int, message: str, *, kind: str = "object", attempts: int = 1
    ) -> None:
        super().__init__(call, status, message, attempts=attempts)
        self.kind = kind


class Conflict(APIError):
    """The object already exists, or is in use and cannot be changed that way."""


class AlreadyExisted(Conflict):
    """A create failed ambiguously (reset, read timeout, 502) and the object its recovery lookup
    found was not made by it: it existed before the call was sent, or appeared meanwhile with other
    values. It is never adopted: like Kasm's own "already exists", the caller must import it."""

    def __init__(self, call: str, what: str, *, before: bool = True, attempts: int = 1) -> None:
        how = (
            "it existed before this call was sent"
            if before
            else "it appeared while this call ran, with other values than requested"
        )
        super().__init__(
            call,
            0,
            f"{what} already exists ({how}; the call's own answer was lost, so it is not adopted)",
            attempts=attempts,
        )

    def __str__(self) -> str:
        return f"Kasm {self.call} failed: {self.message}"


class NoResourcesAvailable(APIError):
    """Kasm cannot start a session now: no capacity, or a per-user / license / usage limit."""


class RateLimited(APIError):
    """HTTP 429; ``retry_after`` is the server's Retry-After in seconds, if any."""

    def __init__(
        self, call: str, status: int, message: str, *, retry_after: float | None = None, attempts: int = 1
    ) -> None:
        super().__init__(call, status, message, attempts=attempts)
        self.retry_after = retry_after


class ServerError(APIError):
    """HTTP 5xx or an internal Kasm failure; often worth trying again later."""


class SessionEnded(APIError):
    """A session that was waited for is ``operational_status`` (stopped, paused, being deleted)
    and will not reach "running" on its own."""

    def __init__(self, call: str, status: int, message: str, *, operational_status: str) -> None:
        super().__init__(call, status, message)
        self.operational_status = operational_status


class TransportError(KasmError):
    """The HTTP exchange did not complete. ``sent`` tells whether the request may have reached Kasm;
    ``kind`` which failure it was: "connect" (refused, unreachable, DNS), "tls" (handshake or
    certificate: deterministic, never retried), "connect_timeout", "read_timeout", "write_timeout",
    "reset" (the connection broke after sending), "stopped" (Terraform asked the provider to stop)."""

    def __init__(
        self,
        message: str,
        *,
        call: str | None = None,
        sent: bool = True,
        attempts: int = 1,
        kind: str = "reset",
    ) -> None:
        super().__init__(message, call=call)
        self.sent = sent
        self.attempts = attempts
        self.kind = kind


class Timeout(TransportError):
    """A connect, write or read timeout."""


class StartTimeout(Timeout):
    """A session was still not running when the time waited for it ran out (the calls themselves
    answered)."""


class InvalidResponse(KasmError):
    """The body is not a JSON object (an HTML error page from Kasm or a proxy, …)."""

    def __init__(self, call: str, status: int, excerpt: str, *, content_type: str = "") -> None:
        kind = content_type or "unknown content type"
        message = f"Kasm {call} returned HTTP {status} with a non-JSON body ({kind}): {excerpt!r}"
        super().__init__(message, call=call)
        self.status = status
        self.excerpt = excerpt
        self.content_type = content_type


class Interrupted(KasmError):
    """A wait (e.g. for a session to run) was stopped before it finished: Terraform asked the
    provider to stop (StopProvider, Ctrl-C)."""


class Stopped(TransportError, Interrupted):
    """A call was abandoned (or not sent) because Terraform asked the provider to stop; an
    :class:`Interrupted` too, so one ``except Interrupted`` covers waits and calls."""


# --- permissions each call needs (reference §1.5 and §2; "User" is never implied by Global Admin) ----

_IMPERSONATION = ("User", "Users Auth Session")

_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "get_images": ("Images View",),
    "create_image": ("Images Create",),
    "update_image": ("Images Modify", "Images Modify Resources"),
    "delete_image": ("Images Delete",),
    "create_user": ("Users Create",),
    "get_user": ("Users View",),
    "get_users": ("Users View",),
    "update_user": ("Users Modify",),
    "delete_user": ("Users Delete",),
    "logout_user": ("Users Auth Session",),
    "get_login": ("Users Auth Session",),
    "get_attributes": ("Users View",),
    "update_user_attributes": ("Users Modify",),
    "get_groups": ("Groups View",),
    "create_group": ("Groups Create",),
    "update_group": ("Groups Modify",),
    "delete_group": ("Groups Delete",),
    "add_user_group": ("Groups Modify",),
    "remove_user_group": ("Groups Modify",),
    "get_users_group": ("Groups View",),
    "get_images_group": ("Groups View",),
    "add_images_group": ("Groups Modify",),
    "remove_images_group": ("Groups Modify",),
    "get_settings_group": ("Groups View",),
    "add_settings_group": ("Groups Modify",),
    "update_settings_group": ("Groups Modify",),
    "remove_settings_group": ("Groups Modify",),
    "request_kasm": _IMPERSONATION,
    "get_kasm_status": _IMPERSONATION,
    "destroy_kasm": _IMPERSONATION,
    "join_kasm": _IMPERSONATION,
    "get_kasms": ("Sessions View",),
    "get_kasm": ("Sessions View",),
    "keepalive": ("Sessions Modify",),
    "exec_command_kasm": ("Sessions Modify", "Users Auth Session"),
    "create_session_token": ("Users Auth Session",),
    "get_session_token": ("Users Auth Session",),
    "get_session_tokens": ("Users Auth Session",),
    "update_session_token": ("Users Auth Session",),
    "delete_session_token": ("Users Auth Session",),
    "delete_session_tokens": ("Users Auth Session",),
    "set_session_permissions": ("Sessions Modify",),
    "set_all_session_permissions": ("Sessions Modify",),
    "get_session_permissions": ("Sessions View",),
    "delete_session_permissions": ("Sessions Modify",),
    "delete_all_session_permissions": ("Sessions Modify",),
    "get_registries": ("Registries View",),
    "create_registry": ("Registries Create",),
    "update_registry": ("Registries Modify",),
    "registry_auto_updates": ("Registries Modify",),
    "delete_registry": ("Registries Delete",),
    "get_zones": ("Zones View",),
    "create_zone": ("Zones Create",),
    "update_zone": ("Zones Modify",),
    "delete_zone": ("Zones Delete",),
    "get_cast_configs": ("Casting View",),
    "get_cast_config": ("Casting View",),
    "create_cast_config": ("Casting Create",),
    "update_cast_config": ("Casting Modify",),
    "delete_cast_config": ("Casting Delete",),
    "get_staging_configs": ("Staging View",),
    "get_staging_config": ("Staging View",),
    "create_staging_config": ("Staging Create",),
    "update_staging_config": ("Staging Modify",),
    "delete_staging_config": ("Staging Delete",),
    "get_licenses": ("Licenses View",),
    "add_license": ("Licenses Create",),
    "activate": ("Licenses Create",),
    "delete_license": ("Licenses Delete",),
}


def permissions_for(call: str, message: str = "") -> tuple[str, ...]:
    """The Kasm permissions a call needs, narrowed by the refusal message when it says which."""
    if "impersonate a user" in message:
        return ("Users Auth Session",)
    if "not licensed" in message or message.startswith("Image Not Authorized"):
        return ()
    if "sessions" in message and "unauthorized for deleting" in message:
        return ("Sessions Delete",)
    needed = _PERMISSIONS.get(call, ())
    if call in ("add_user_group", "remove_user_group", "update_group") and message.startswith(
        ("Unauthorized", "User not authorized")
    ):
        # Built-in groups (All Users, Administrators) need the "System" variant.
        return (*needed, "Groups Modify System")
    return needed


# --- message → class (reference §1.4, §1.7, §2) ----------------------------------------------------

# Not-found messages: (calls they apply to, or None for any call; pattern; kind).
_NOT_FOUND: list[tuple[frozenset[str] | None, re.Pattern[str], str]] = [
    (None, re.compile(r"^Invalid user_id \("), "user"),
    (None, re.compile(r"^Invalid kasm_id \("), "session"),
    (frozenset({"get_user"}), re.compile(r"^Invalid Request$"), "user"),
    (frozenset({"update_user"}), re.compile(r"^Unknown User$"), "user"),
    (frozenset({"delete_user", "logout_user"}), re.compile(r"^Unknown user \("), "user"),
    (None, re.compile(r"^No user found with (name/)?id: \("), "user"),
    (frozenset({"add_user_group", "remove_user_group"}), re.compile(r"^Invalid User ID \("), "user"),
    (None, re.compile(r"^Invalid Group ID \("), "group"),
    (frozenset({"update_group"}), re.compile(r"group does not exi(s)?t by that id"), "group"),
    (frozenset({"delete_group"}), re.compile(r"^Group \S+ does not exist"), "group"),
    (
        frozenset({"get_images_group", "get_settings_group"}),
        re.compile(r"group does not exist", re.I),
        "group",
    ),
    (frozenset({"remove_images_group"}), re.compile(r"^Group or image does not exist"), "group or image"),
    (
        frozenset({"add_settings_group", "update_settings_group", "remove_settings_group"}),
        re.compile(r"^Group setting does not exist"),
        "group setting",
    ),
    (
        frozenset({"add_settings_group", "update_settings_group"}),
        re.compile(r"^Group does not exist"),
        "group",
    ),
    (
        frozenset({"update_image"}),
        re.compile(r"attempted to update an image \(.*\) that does not exist"),
        "image",
    ),
    (frozenset({"delete_image"}), re.compile(r"^Image\s*\(.*\) Does not Exist", re.I), "image"),
    (frozenset({"request_kasm"}), re.compile(r"^Invalid Request$"), "image"),
    (frozenset({"get_kasm"}), re.compile(r"^Invalid Request\. Invalid kasm_id"), "session"),
    (None, re.compile(r"^No session found with kasm_id \("), "session"),
    (frozenset({"update_zone"}), re.compile(r"Zone does not exi(s)?t by that id"), "zone"),
    (frozenset({"delete_zone"}), re.compile(r"^Zone \(.*\) Does not Exist", re.I), "zone"),
    (None, re.compile(r"^Cast config with id \(.*\) does not exist"), "cast config"),
    (None, re.compile(r"^Staging config with id \(.*\) does not exist"), "staging config"),
    (None, re.compile(r"^Session Token \(.*\) not found"), "session token"),
    (None, re.compile(r"^No session_permissions found"), "session permission"),
    (frozenset({"delete_license"}), re.compile(r"^license_id \(.*\) does not exist"), "license"),
    (
        frozenset({"update_registry", "delete_registry", "registry_auto_updates"}),
        re.compile(r"(does not exist|not found)", re.I),
        "registry",
    ),
    (frozenset({"remove_user_group"}), re.compile(r"is not a member of group"), "membership"),
]

_CONFLICT = re.compile(
    r"(already exists|already a member|has already been installed|must be unique"
    r"|cannot be deleted|'force' option not set|currently in use|A share_id already exists)",
    re.I,
)
_NO_RESOURCES = re.compile(r"(No resources are available|limit exceeded|Kasm limit exceeded)", re.I)
_PERMISSION = re.compile(
    r"(^Unauthorized|not authorized|unauthorized for|^Access Denied\. This feature is not licensed"
    r"|not licensed)",
    re.I,
)
_SERVER = re.compile(
    r"(^Undefined Error|^Unexpected Error|^Unhandled error|Please contact an Administrator)", re.I
)


def _matches_not_found(call: str, message: str) -> str | None:
    for calls, pattern, kind in _NOT_FOUND:
        if (calls is None or call in calls) and pattern.search(message):
            return kind
    return None


def classify(
    call: str, status: int, message: str, *, retry_after: float | None = None, attempts: int = 1
) -> APIError:
    """Build the most specific :class:`APIError` for Kasm's answer to ``call``."""
    if status == 429:
        return RateLimited(call, status, message, retry_after=retry_after, attempts=attempts)
    kind = _matches_not_found(call, message)
    if kind is not None:
        return NotFound(call, status, message, kind=kind, attempts=attempts)
    # The auth layer answers 403 "Access Denied" / 401 "Access has expired" before any handler runs;
    # a 200 "Access Denied" is a handler refusing access to someone else's session.
    if message in ("Access Denied", "Access has expired") and status in (401, 403):
        return AuthenticationError(call, status, message, attempts=attempts)
    if message == "Access Denied. This feature is not licensed" and status == 403:
        return AuthenticationError(call, status, message, attempts=attempts)
    if _PERMISSION.search(message) or (message == "Access Denied" and status == 200):
        return PermissionDenied(call, status, message, attempts=attempts)
    if _CONFLICT.search(message):
        return Conflict(call, status, message, attempts=attempts)
    if _NO_RESOURCES.search(message):
        return NoResourcesAvailable(call, status, message, attempts=attempts)
    if status >= 500 or _SERVER.search(message):
        return ServerError(call, status, message, attempts=attempts)
    if status in (401, 403):
        return PermissionDenied(call, status, message, attempts=attempts)
    return APIError(call, status, message, attempts=attempts)
