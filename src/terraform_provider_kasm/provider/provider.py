"""The Kasm provider: its settings and configure. Resources and data sources are added here."""

from __future__ import annotations

from typing import Any

from ..tfplugin import schema as s
from ..tfplugin.provider import Provider, ProviderContext
from ..tfplugin.types import Bool, Number, String


class KasmProvider(Provider):
    type_name = "kasm"
    schema = s.Schema(
        description="Manages Kasm Workspaces through its Developer API.",
        attributes={
            "base_url": s.Attribute(String, optional=True, description="Kasm base URL, e.g. https://kasm.example.com."),
            "api_key": s.Attribute(String, optional=True, description="Developer API key."),
            "api_secret": s.Attribute(String, optional=True, sensitive=True, description="Developer API key secret."),
            "insecure": s.Attribute(Bool, optional=True, description="Skip TLS certificate verification."),
            "ca_file": s.Attribute(String, optional=True, description="PEM file of CA certificates to trust."),
            "timeout": s.Attribute(Number, optional=True, description="Request timeout in seconds."),
            "max_retries": s.Attribute(Number, optional=True, description="Retries of failed idempotent requests."),
            "requests_per_second": s.Attribute(
                Number, optional=True, description="Client-side limit of API requests per second."
            ),
        },
    )
    resources = ()
    data_sources = ()

    def configure(self, ctx: ProviderContext, config: dict[str, Any]) -> Any:
        return None


def provider_factory() -> Provider:
    """The provider the plugin serves (called after the handshake)."""
    return KasmProvider()
