"""Base classes for managed resources and data sources, and the context their methods receive.

Values are plain Python (see ``tfplugin.types``); an object value always has every attribute and block
of its schema as a key. Raise :class:`~.diagnostics.DiagnosticError` for an error the user can fix;
any other exception becomes an "Unexpected error in <type> <operation>" diagnostic.

Instances are shared by all concurrent RPCs (Terraform runs up to 10 operations at once): keep
per-operation data in locals or on ``ctx``, not on ``self``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, ClassVar

from .diagnostics import AttributePath, DiagnosticError, Diagnostics
from .hclog import Logger, log
from .schema import Schema


@dataclass(frozen=True)
class ClientCapabilities:
    """What the calling Terraform says it can handle (all False for Terraform versions that predate them)."""

    deferral_allowed: bool = False
    write_only_attributes_allowed: bool = False


@dataclass
class ResourceContext:
    """Per-RPC context of a resource or data source method."""

    type_name: str
    #: What ``Provider.configure`` returned (None before ConfigureProvider).
    provider_data: Any = None
    #: Warnings (and errors) to return alongside the result.
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    client_capabilities: ClientCapabilities = field(default_factory=ClientCapabilities)
    #: The resource's configuration during plan and apply, including write-only values (which are
    #: always null in plans and states); None elsewhere.
    config: dict[str, Any] | None = None
    #: ``modify_plan`` may append attribute paths here to force a replacement.
    requires_replace: list[AttributePath] = field(default_factory=list)
    #: Provider-private bytes stored with the state; read the prior value, assign a new one.
    private: bytes = b""
    terraform_version: str = ""
    #: Set when Terraform asks the provider to stop (StopProvider); long operations should check it.
    stop_event: threading.Event = field(default_factory=threading.Event)
    log: Logger = log

    @property
    def stopping(self) -> bool:
        return self.stop_event.is_set()


class Resource:
    """A managed resource type. Set ``type_name`` and ``schema``; implement create, read, update, delete."""

    type_name: ClassVar[str]
    schema: ClassVar[Schema]

    def create(self, ctx: ResourceContext, plan: dict[str, Any]) -> dict[str, Any]:
        """Creates the remote object from the plan and returns the new state (no unknowns left)."""
        raise NotImplementedError

    def read(self, ctx: ResourceContext, state: dict[str, Any]) -> dict[str, Any] | None:
        """Refreshes the state from the remote object; None when it no longer exists."""
        raise NotImplementedError

    def update(self, ctx: ResourceContext, prior: dict[str, Any], plan: dict[str, Any]) -> dict[str, Any]:
        """Updates the remote object in place and returns the new state."""
        raise DiagnosticError(f"{self.type_name} cannot be updated in place")

    def delete(self, ctx: ResourceContext, state: dict[str, Any]) -> None:
        """Deletes the remote object; an object that is already gone is not an error."""
        raise NotImplementedError

    def import_state(self, ctx: ResourceContext, import_id: str) -> dict[str, Any]:
        """The state to start an import from; Terraform then calls ``read`` to fill it in."""
        return {"id": import_id}

    def validate_config(self, ctx: ResourceContext, config: dict[str, Any], diags: Diagnostics) -> None:
        """Extra configuration checks (values may be UNKNOWN here)."""

    def modify_plan(
        self,
        ctx: ResourceContext,
        prior: dict[str, Any] | None,
        plan: dict[str, Any],
        config: dict[str, Any],
        diags: Diagnostics,
    ) -> dict[str, Any]:
        """Adjusts the default plan (prior is None on create); returns the plan."""
        return plan

    def upgrade_state(self, ctx: ResourceContext, version: int, state: dict[str, Any]) -> dict[str, Any]:
        """Converts a state stored with schema ``version`` (older than ``schema.version``) to the
        current schema. ``state`` is the stored JSON as loaded (numbers exact); keys the current schema
        lacks are dropped afterwards and missing ones become null."""
        return state


class DataSource:
    """A data source type. Set ``type_name`` and ``schema``; implement read."""

    type_name: ClassVar[str]
    schema: ClassVar[Schema]

    def read(self, ctx: ResourceContext, config: dict[str, Any]) -> dict[str, Any]:
        """Returns the data source's state: the config with its computed attributes filled in."""
        raise NotImplementedError

    def validate_config(self, ctx: ResourceContext, config: dict[str, Any], diags: Diagnostics) -> None:
        """Extra configuration checks (values may be UNKNOWN here)."""
