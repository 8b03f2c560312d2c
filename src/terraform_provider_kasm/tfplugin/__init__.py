"""Our Terraform plugin-protocol 6 layer (see DESIGN.md, "The protocol layer's API").

Import the submodules you need (``schema``, ``types``, ``resource``, ``provider``, ``diagnostics``,
``server``); this package imports nothing itself so that the plugin's start stays fast.
"""
