"""Terraform/OpenTofu provider for Kasm Workspaces.

Three parts in one package: ``client`` (the Kasm Developer API client), ``provider`` (the Terraform
provider on our own plugin-protocol layer ``tfplugin``) and ``server`` (a local Kasm-compatible API
server). See DESIGN.md.
"""

__version__ = "0.1.0"
