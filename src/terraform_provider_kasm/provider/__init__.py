"""The Kasm provider (settings, configure, resources and data sources) on the ``tfplugin`` layer."""
