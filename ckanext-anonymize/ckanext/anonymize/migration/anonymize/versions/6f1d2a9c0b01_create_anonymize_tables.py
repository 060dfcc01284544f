"""create anonymize tables

Revision ID: 6f1d2a9c0b01
Revises:
Create Date: 2026-11-26 12:40:00

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "6f1d2a9c0b01"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "anonymize_resource",
        sa.Column("resource_id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("generation", sa.Integer, nullable=False, server_default="0"),
        sa.Column("reason_ja", sa.UnicodeText),
        sa.Column("reason_en", sa.UnicodeText),
        sa.Column("original_name", sa.UnicodeText),
        sa.Column("original_size", sa.BigInteger),
        sa.Column("original_sha256", sa.UnicodeText),
        sa.Column("report", JSONB),
        sa.Column("columns", JSONB),
        sa.Column("override_block", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("updated", sa.DateTime, nullable=False),
        sa.Column("published_at", sa.DateTime),
        sa.Column("published_by", sa.UnicodeText),
    )
    op.create_table(
        "anonymize_audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("resource_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("package_id", sa.UnicodeText),
        sa.Column("actor", sa.UnicodeText, nullable=False),
        sa.Column("action", sa.UnicodeText, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("detail", JSONB),
    )


def downgrade():
    op.drop_table("anonymize_audit")
    op.drop_table("anonymize_resource")
