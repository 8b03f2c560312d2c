"""One module per API area; each defines `endpoints = EndpointGroup(...)`. Add new areas to `AREAS`."""

from __future__ import annotations

from ..endpoints import EndpointGroup
from . import groups, images, licenses, session_permissions, session_tokens, sessions, users

AREAS: list[EndpointGroup] = [
    images.endpoints,
    users.endpoints,
    groups.endpoints,
    sessions.endpoints,
    session_tokens.endpoints,
    session_permissions.endpoints,
    licenses.endpoints,
]
