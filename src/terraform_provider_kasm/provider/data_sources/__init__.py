"""Data source types, one module each (see ``..resources`` for the shared pieces)."""
