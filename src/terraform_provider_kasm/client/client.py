"""``KasmClient``: one object per Kasm server, shared by every thread of the provider."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
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
from .transport import Transport
from .users import Users
from .zones import Zones


class KasmClient:
    """Typed access to the Kasm Developer API at ``base_url`` (``https://kasm.example.com``).

    ``ca_file``: a PEM bundle to verify Kasm's certificate with; ``insecure``: skip verification
    (only when asked). ``connect_timeout``/``read_timeout`` in seconds. ``max_retries``: extra
    attempts for failures that are safe to retry (see ``transport``). ``rate_limit``: at most this
    many requests per second across all threads. ``transport``: an httpx transport to use instead
    of the network (``httpx.MockTransport``, ``client.asgi.SyncASGITransport``). ``sleep``,
    ``clock`` and ``jitter`` exist so tests need not wait.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        api_key_secret: str,
        *,
        ca_file: str | None = None,
        insecure: bool = False,
        connect_timeout: float = 10.0,
        read_timeout: float = 60.0,
        max_retries: int = 3,
        backoff_initial: float = 0.5,
        backoff_max: float = 30.0,
        rate_limit: float | None = None,
        transport: httpx.BaseTransport | None = None,
        user_agent: str = "terraform-provider-kasm",
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.transport = Transport(
            base_url,
            api_key,
            api_key_secret,
            ca_file=ca_file,
            insecure=insecure,
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            max_retries=max_retries,
            backoff_initial=backoff_initial,
            backoff_max=backoff_max,
            rate_limit=rate_limit,
            transport=transport,
            user_agent=user_agent,
            sleep=sleep,
            clock=clock,
            jitter=jitter,
        )
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
