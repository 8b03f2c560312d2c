"""The API areas: each `services/<area>.py` registers its calls on its handlers (`endpoints = EndpointGroup(...)`
and one `@endpoints.read_only(...)`/`read_write(...)` per Kasm call). Add new areas to `AREAS`."""

from __future__ import annotations

from .endpoints import EndpointGroup
from .services import (
    cast_configs,
    groups,
    images,
    licenses,
    registries,
    session_permissions,
    session_recordings,
    session_requests,
    session_sharing,
    session_stats,
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
    session_requests.endpoints,
    sessions.endpoints,
    session_sharing.endpoints,
    session_stats.endpoints,
    session_recordings.endpoints,
    session_tokens.endpoints,
    session_permissions.endpoints,
    zones.endpoints,
    registries.endpoints,
    cast_configs.endpoints,
    staging_configs.endpoints,
    licenses.endpoints,
]
