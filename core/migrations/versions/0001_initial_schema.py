"""schema of the release before migrations (7173b83)

Revision ID: 0001
Revises:
Create Date: 2026-12-06 22:17:47.726757
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "app_setting",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "upload",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("uploader", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("file_name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("form", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("inserted", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("reverted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("warnings", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("upload", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_upload_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_upload_form"), ["form"], unique=False)
        batch_op.create_index(batch_op.f("ix_upload_sha256"), ["sha256"], unique=False)

    op.create_table(
        "institution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("upload_id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("province", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("level", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("ownership", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("authority", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("city", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["upload_id"],
            ["upload.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code", name="uq_institution_key"),
    )
    with op.batch_alter_table("institution", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_institution_code"), ["code"], unique=False)
        batch_op.create_index(batch_op.f("ix_institution_upload_id"), ["upload_id"], unique=False)

    op.create_table(
        "record_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("record_key", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("upload_id", sa.Integer(), nullable=True),
        sa.Column("replaced_by_upload_id", sa.Integer(), nullable=False),
        sa.Column("replaced_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["replaced_by_upload_id"],
            ["upload.id"],
        ),
        sa.ForeignKeyConstraint(
            ["upload_id"],
            ["upload.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("record_history", schema=None) as batch_op:
        batch_op.create_index("ix_record_history_form_key", ["form", "record_key"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_record_history_replaced_by_upload_id"), ["replaced_by_upload_id"], unique=False
        )

    op.create_table(
        "project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("upload_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("category", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("batch", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("stage", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("updated", sa.Date(), nullable=True),
        sa.Column("lead", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.ForeignKeyConstraint(
            ["code"],
            ["institution.code"],
        ),
        sa.ForeignKeyConstraint(
            ["upload_id"],
            ["upload.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("project_id", name="uq_project_key"),
    )
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_project_code"), ["code"], unique=False)
        batch_op.create_index(batch_op.f("ix_project_upload_id"), ["upload_id"], unique=False)

    op.create_table(
        "screening",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("upload_id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("year", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("term", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("target", sa.Integer(), nullable=False),
        sa.Column("screened", sa.Integer(), nullable=False),
        sa.Column("high", sa.Integer(), nullable=False),
        sa.Column("medium", sa.Integer(), nullable=False),
        sa.Column("watch", sa.Integer(), nullable=False),
        sa.Column("interviewed", sa.Integer(), nullable=False),
        sa.Column("referred", sa.Integer(), nullable=False),
        sa.Column("crisis", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["code"],
            ["institution.code"],
        ),
        sa.ForeignKeyConstraint(
            ["upload_id"],
            ["upload.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code", "year", "term", "kind", name="uq_screening_key"),
    )
    with op.batch_alter_table("screening", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_screening_code"), ["code"], unique=False)
        batch_op.create_index(batch_op.f("ix_screening_upload_id"), ["upload_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_screening_year"), ["year"], unique=False)

    op.create_table(
        "staffing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("upload_id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("year", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("undergrad", sa.Integer(), nullable=False),
        sa.Column("postgrad", sa.Integer(), nullable=False),
        sa.Column("counselors_ft", sa.Integer(), nullable=False),
        sa.Column("counselors_pt", sa.Integer(), nullable=False),
        sa.Column("ideo_teachers", sa.Integer(), nullable=True),
        sa.Column("psy_teachers", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["code"],
            ["institution.code"],
        ),
        sa.ForeignKeyConstraint(
            ["upload_id"],
            ["upload.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code", "year", name="uq_staffing_key"),
    )
    with op.batch_alter_table("staffing", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staffing_code"), ["code"], unique=False)
        batch_op.create_index(batch_op.f("ix_staffing_upload_id"), ["upload_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_staffing_year"), ["year"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("staffing", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staffing_year"))
        batch_op.drop_index(batch_op.f("ix_staffing_upload_id"))
        batch_op.drop_index(batch_op.f("ix_staffing_code"))

    op.drop_table("staffing")
    with op.batch_alter_table("screening", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_screening_year"))
        batch_op.drop_index(batch_op.f("ix_screening_upload_id"))
        batch_op.drop_index(batch_op.f("ix_screening_code"))

    op.drop_table("screening")
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_upload_id"))
        batch_op.drop_index(batch_op.f("ix_project_code"))

    op.drop_table("project")
    with op.batch_alter_table("record_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_history_replaced_by_upload_id"))
        batch_op.drop_index("ix_record_history_form_key")

    op.drop_table("record_history")
    with op.batch_alter_table("institution", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_institution_upload_id"))
        batch_op.drop_index(batch_op.f("ix_institution_code"))

    op.drop_table("institution")
    with op.batch_alter_table("upload", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_upload_sha256"))
        batch_op.drop_index(batch_op.f("ix_upload_form"))
        batch_op.drop_index(batch_op.f("ix_upload_created_at"))

    op.drop_table("upload")
    op.drop_table("app_setting")
