"""Typed client for the Kasm Workspaces Developer API (see DESIGN.md, "Client")."""
