"""``KasmClient``: one object per Kasm server, shared by every thread of the provider."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from types import TracebackType
from typing import Any

import httpx

from .cast_configs import CastConfigs
from .groups import Groups
from .images import Images
from .licenses import Licenses
from .registries import Registries
from .session_permissions import SessionPermissions
from .session_tokens import SessionTokens
from .sessions import Sessions
from .staging_configs import StagingConfigs
from .transport import Transport, TransportOptions
from .users import Users
from .zones import Zones


class KasmClient:
    """Typed access to the Kasm Developer API at ``base_url`` (``https://kasm.example.com``).

    ``options``: how to talk to Kasm (TLS, timeouts, retries, rate limit), a
    :class:`~.transport.TransportOptions`; keyword arguments named as its fields override single
    options (``KasmClient(url, key, secret, max_retries=0)``). ``transport``: an httpx transport to
    use instead of the network (``httpx.MockTransport``, ``client.asgi.SyncASGITransport``).
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        api_key_secret: str,
        options: TransportOptions | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        **overrides: Any,
    ) -> None:
        # dataclasses.replace rejects a keyword that is no option (TypeError, as for any call).
        chosen = dataclasses.replace(options or TransportOptions(), **overrides)
        self.transport = Transport(base_url, api_key, api_key_secret, chosen, transport=transport)
        self.images = Images(self)
        self.users = Users(self)
        self.groups = Groups(self)
        self.sessions = Sessions(self)
        self.session_tokens = SessionTokens(self)
        self.session_permissions = SessionPermissions(self)
        self.registries = Registries(self)
        self.zones = Zones(self)
        self.cast_configs = CastConfigs(self)
        self.staging_configs = StagingConfigs(self)
        self.licenses = Licenses(self)

    @property
    def base_url(self) -> str:
        return self.transport.base_url

    def call(
        self, call: str, payload: Mapping[str, Any] | None = None, *, idempotent: bool = False
    ) -> dict[str, Any]:
        """Any other ``/api/public/<call>`` as raw JSON, with the same errors and retry rules."""
        return self.transport.call(call, payload, idempotent=idempotent)

    def close(self) -> None:
        self.transport.close()

    def __enter__(self) -> KasmClient:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"KasmClient(base_url={self.base_url!r}, api_key={self.transport.api_key!r})"
