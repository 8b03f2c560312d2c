"""One module per API area; each defines `endpoints = EndpointGroup(...)`. Add new areas to `AREAS`."""

from __future__ import annotations

from ..endpoints import EndpointGroup
from . import groups, images, users

AREAS: list[EndpointGroup] = [images.endpoints, users.endpoints, groups.endpoints]
