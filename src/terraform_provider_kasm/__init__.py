"""Terraform/OpenTofu provider for Kasm Workspaces.

Three parts in one package: ``client`` (the Kasm Developer API client), ``provider`` (the Terraform
provider on our own plugin-protocol layer ``tfplugin``) and ``server`` (a local Kasm-compatible API
server). See DESIGN.md.
"""

# The version is written once, in _version.py (pyproject.toml reads it there); a plain module, so the
# frozen release build, which has no package metadata, knows it too.
from ._version import __version__

__all__ = ["__version__"]
