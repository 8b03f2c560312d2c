"""Typed client for the Kasm Workspaces Developer API (see DESIGN.md, "Client").

from terraform_provider_kasm.client import KasmClient, errors
with KasmClient("https://kasm.example.com", key, secret) as kasm:
    user = kasm.users.create("alice@example.com", password=...)
    kasm.groups.add_user(group_id, user.user_id)
"""

from . import errors, models
from .client import KasmClient
from .errors import (
    APIError,
    AuthenticationError,
    Conflict,
    InvalidResponse,
    KasmError,
    NoResourcesAvailable,
    NotFound,
    PermissionDenied,
    RateLimited,
    ServerError,
    Timeout,
    TransportError,
)
from .transport import TransportOptions, normalize_base_url

__all__ = [
    "APIError",
    "AuthenticationError",
    "Conflict",
    "InvalidResponse",
    "KasmClient",
    "KasmError",
    "NoResourcesAvailable",
    "NotFound",
    "PermissionDenied",
    "RateLimited",
    "ServerError",
    "Timeout",
    "TransportError",
    "TransportOptions",
    "errors",
    "models",
    "normalize_base_url",
]
