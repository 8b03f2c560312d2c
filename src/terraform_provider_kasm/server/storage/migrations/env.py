"""Alembic environment. The server passes its open connection in `config.attributes["connection"]`;
run by hand (`alembic -c <ini>`), it uses the ini's `sqlalchemy.url`."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from terraform_provider_kasm.server.storage.db import make_engine
from terraform_provider_kasm.server.storage.tables import Base

config = context.config


def _run(connection: Connection) -> None:
    # Batch mode lets later migrations ALTER tables on SQLite too.
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as conn:
        _run(conn)
