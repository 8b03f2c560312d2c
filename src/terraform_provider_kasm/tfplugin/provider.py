"""Base class of a provider: its settings schema, configure, and the resource and data source types."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from .diagnostics import Diagnostics
from .hclog import Logger, log
from .resource import ClientCapabilities, DataSource, Resource
from .schema import Schema


@dataclass
class ProviderContext:
    terraform_version: str = ""
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    client_capabilities: ClientCapabilities = field(default_factory=ClientCapabilities)
    stop_event: threading.Event = field(default_factory=threading.Event)
    log: Logger = log


class Provider:
    """Subclass with ``type_name`` (e.g. "kasm"), ``schema`` and the resource / data source classes."""

    type_name: ClassVar[str]
    schema: ClassVar[Schema] = Schema()
    resources: ClassVar[Sequence[type[Resource]]] = ()
    data_sources: ClassVar[Sequence[type[DataSource]]] = ()

    def configure(self, ctx: ProviderContext, config: dict[str, Any]) -> Any:
        """Called once with the provider block's values (which may hold UNKNOWN); the result becomes
        ``ctx.provider_data`` of every resource and data source call."""
        return None

    def validate_config(self, ctx: ProviderContext, config: dict[str, Any], diags: Diagnostics) -> None:
        """Extra checks of the provider block (values may be UNKNOWN here)."""

    def get_resources(self) -> Sequence[Resource]:
        """One instance per resource type (shared by all RPCs)."""
        return [cls() for cls in self.resources]

    def get_data_sources(self) -> Sequence[DataSource]:
        return [cls() for cls in self.data_sources]
