"""Services: Kasm's rules for each API area, on top of the storage tables."""
