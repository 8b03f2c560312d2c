"""zones.local_manager (the zone of the simulated manager); registries.channel and override_schema

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("zones", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("local_manager", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("registries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("channel", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("override_schema", sa.Text(), nullable=True))
    # Databases made before this revision: the seeded zone holds the manager.
    op.execute(sa.text("UPDATE zones SET local_manager = true WHERE zone_name = 'default'"))


def downgrade() -> None:
    with op.batch_alter_table("registries", schema=None) as batch_op:
        batch_op.drop_column("override_schema")
        batch_op.drop_column("channel")
    with op.batch_alter_table("zones", schema=None) as batch_op:
        batch_op.drop_column("local_manager")
