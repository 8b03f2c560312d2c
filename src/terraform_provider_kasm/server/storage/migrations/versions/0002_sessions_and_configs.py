"""sessions lifecycle columns, session permissions, cast and staging configs, licenses

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "licenses",
        sa.Column("license_id", sa.String(length=32), nullable=False),
        sa.Column("license_key", sa.Text(), nullable=False),
        sa.Column("expiration", sa.DateTime(), nullable=True),
        sa.Column("issued_at", sa.DateTime(), nullable=True),
        sa.Column("issued_to", sa.String(length=255), nullable=True),
        sa.Column("limit", sa.Integer(), nullable=False),
        sa.Column("is_verified", sa.Boolean(), nullable=False),
        sa.Column("license_type", sa.String(length=64), nullable=False),
        sa.Column("features", sa.JSON(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("license_id"),
    )
    op.create_table(
        "cast_configs",
        sa.Column("cast_config_id", sa.String(length=32), nullable=False),
        sa.Column("casting_config_name", sa.String(length=255), nullable=True),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("image_id", sa.String(length=32), nullable=True),
        sa.Column("group_id", sa.String(length=32), nullable=True),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["groups.group_id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["image_id"], ["images.image_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("cast_config_id"),
        sa.UniqueConstraint("casting_config_name"),
        sa.UniqueConstraint("key"),
    )
    op.create_table(
        "staging_configs",
        sa.Column("staging_config_id", sa.String(length=32), nullable=False),
        sa.Column("zone_id", sa.String(length=32), nullable=False),
        sa.Column("image_id", sa.String(length=32), nullable=False),
        sa.Column("num_sessions", sa.Integer(), nullable=False),
        sa.Column("expiration", sa.Float(), nullable=False),
        sa.Column("server_pool_id", sa.String(length=32), nullable=True),
        sa.Column("autoscale_config_id", sa.String(length=32), nullable=True),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["image_id"], ["images.image_id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["zone_id"], ["zones.zone_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("staging_config_id"),
        sa.UniqueConstraint("zone_id", "image_id"),
    )
    op.create_table(
        "session_permissions",
        sa.Column("session_permission_id", sa.String(length=32), nullable=False),
        sa.Column("kasm_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("access", sa.String(length=8), nullable=False),
        sa.Column("vnc_username", sa.String(length=64), nullable=False),
        sa.Column("vnc_password", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["kasm_id"], ["kasms.kasm_id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.user_id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("session_permission_id"),
        sa.UniqueConstraint("kasm_id", "user_id"),
    )
    with op.batch_alter_table("session_permissions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_session_permissions_kasm_id"), ["kasm_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_session_permissions_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("kasms", schema=None) as batch_op:
        batch_op.add_column(sa.Column("phase_target", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("phase_started_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("phase_ends_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("kasms", schema=None) as batch_op:
        batch_op.drop_column("phase_ends_at")
        batch_op.drop_column("phase_started_at")
        batch_op.drop_column("phase_target")

    with op.batch_alter_table("session_permissions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_permissions_user_id"))
        batch_op.drop_index(batch_op.f("ix_session_permissions_kasm_id"))

    op.drop_table("session_permissions")
    op.drop_table("staging_configs")
    op.drop_table("cast_configs")
    op.drop_table("licenses")
