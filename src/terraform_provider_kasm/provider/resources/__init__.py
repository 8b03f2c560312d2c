"""Managed resource types, one module each holding the whole behaviour of its type.

Shared pieces: ``..context`` (``kasm(ctx)`` → the client and the read cache; wrap writes in
``with data.writing():``) and ``..helpers`` (error translation, "gone" handling, id checks, import
id parsing). Register a new type in ``..provider.KasmProvider.resources``.
"""
