"""One module per API area; each defines `endpoints = EndpointGroup(...)`. Add new areas to `AREAS`."""

from __future__ import annotations

from ..endpoints import EndpointGroup
from . import (
    cast_configs,
    groups,
    images,
    licenses,
    registries,
    session_permissions,
    session_tokens,
    sessions,
    staging_configs,
    users,
    zones,
)

AREAS: list[EndpointGroup] = [
    images.endpoints,
    users.endpoints,
    groups.endpoints,
    sessions.endpoints,
    session_tokens.endpoints,
    session_permissions.endpoints,
    zones.endpoints,
    registries.endpoints,
    cast_configs.endpoints,
    staging_configs.endpoints,
    licenses.endpoints,
]
