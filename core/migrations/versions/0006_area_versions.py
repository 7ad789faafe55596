"""area versions: the data version at each area's last change (core.freshness)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 04:35:44.376473
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "data_area_version",
        sa.Column("area", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("area"),
    )
    # Every area starts at the data version of now (the floor row "*").
    op.execute(
        "INSERT INTO data_area_version (area, version) SELECT '*', version FROM data_version WHERE id = 1"
    )


def downgrade() -> None:
    op.drop_table("data_area_version")
