"""Terraform/OpenTofu provider for Kasm Workspaces.

Three parts in one package: ``client`` (the Kasm Developer API client), ``provider`` (the Terraform
provider on our own plugin-protocol layer ``tfplugin``) and ``server`` (a local Kasm-compatible API
server). See DESIGN.md.
"""


def __getattr__(name: str) -> str:
    # The version lives once, in pyproject.toml; read from the installed package's metadata, and only
    # when asked (importlib.metadata is not needed before the plugin handshake).
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("terraform-provider-kasm")
        except PackageNotFoundError:  # a source tree that was never installed
            return "0.0.0+unknown"
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
