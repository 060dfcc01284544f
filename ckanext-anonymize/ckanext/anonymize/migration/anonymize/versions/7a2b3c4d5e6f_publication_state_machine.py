"""publication state machine: approval, published generation, failure code, attachment,
public file name, stage fingerprints, job bookkeeping

Revision ID: 7a2b3c4d5e6f
Revises: 6f1d2a9c0b01
Create Date: 2026-11-30 09:00:00

"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "7a2b3c4d5e6f"
down_revision = "6f1d2a9c0b01"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "anonymize_resource", sa.Column("approved", sa.Boolean, nullable=False, server_default=sa.false())
    )
    op.add_column("anonymize_resource", sa.Column("published_generation", sa.Integer))
    op.add_column("anonymize_resource", sa.Column("failure_code", sa.UnicodeText))
    op.add_column(
        "anonymize_resource", sa.Column("attachment", sa.Boolean, nullable=False, server_default=sa.false())
    )
    op.add_column("anonymize_resource", sa.Column("public_filename", sa.UnicodeText))
    op.add_column("anonymize_resource", sa.Column("fingerprints", JSONB))
    op.add_column("anonymize_resource", sa.Column("job_id", sa.UnicodeText))
    op.add_column("anonymize_resource", sa.Column("job_enqueued_at", sa.DateTime))
    op.add_column("anonymize_resource", sa.Column("attempts", sa.Integer, nullable=False, server_default="0"))
    op.add_column("anonymize_resource", sa.Column("cache_key", sa.UnicodeText))
    # What was published before this revision was approved by an editor (or auto mode).
    op.execute(
        "UPDATE anonymize_resource SET approved = true, published_generation = generation "
        "WHERE status = 'published'"
    )
    op.create_index("anonymize_resource_status_idx", "anonymize_resource", ["status"])


def downgrade():
    op.drop_index("anonymize_resource_status_idx", "anonymize_resource")
    for column in (
        "cache_key",
        "attempts",
        "job_enqueued_at",
        "job_id",
        "fingerprints",
        "public_filename",
        "attachment",
        "failure_code",
        "published_generation",
        "approved",
    ):
        op.drop_column("anonymize_resource", column)
