"""The local Kasm-compatible API server (FastAPI + SQLAlchemy; SQLite by default, or PostgreSQL).

`app.create_app(settings)` builds the ASGI app; `cli.main(argv)` runs it under uvicorn. See DESIGN.md,
"Local server".
"""
