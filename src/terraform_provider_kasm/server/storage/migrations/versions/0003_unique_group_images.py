"""one group_images row per (group_id, image_id)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None

CONSTRAINT = "uq_group_images_group_id_image_id"


def upgrade() -> None:
    # Links stored twice by earlier versions: keep one row per pair (the lowest id).
    op.execute(
        sa.text(
            "DELETE FROM group_images WHERE group_image_id NOT IN "
            "(SELECT MIN(group_image_id) FROM group_images GROUP BY group_id, image_id)"
        )
    )
    with op.batch_alter_table("group_images", schema=None) as batch_op:
        batch_op.create_unique_constraint(CONSTRAINT, ["group_id", "image_id"])


def downgrade() -> None:
    with op.batch_alter_table("group_images", schema=None) as batch_op:
        batch_op.drop_constraint(CONSTRAINT, type_="unique")
