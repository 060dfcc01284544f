"""optout: registry, subject keys, audit log, dataset lifecycle, resource subject columns

Revision ID: 0a1b2c3d4e5f
Revises:
Create Date: 2026-11-26 12:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0a1b2c3d4e5f"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "optout_request",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("reference", sa.UnicodeText, nullable=False, unique=True),
        sa.Column("token_hash", sa.UnicodeText, nullable=False),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("package_id", sa.UnicodeText, nullable=True),
        sa.Column("attributes", sa.UnicodeText, nullable=False),
        sa.Column("contact", sa.UnicodeText, nullable=True),
        sa.Column("note", sa.UnicodeText, nullable=True),
        sa.Column("decided_by", sa.UnicodeText, nullable=True),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("modified", sa.DateTime, nullable=False),
    )
    op.create_index("optout_request_status_idx", "optout_request", ["status"])
    op.create_index("optout_request_package_idx", "optout_request", ["package_id"])

    op.create_table(
        "optout_subject_key",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "request_id",
            sa.UnicodeText,
            sa.ForeignKey("optout_request.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("combination", sa.UnicodeText, nullable=False),
        sa.Column("digest", sa.UnicodeText, nullable=False),
    )
    op.create_index("optout_subject_key_lookup_idx", "optout_subject_key", ["combination", "digest"])
    op.create_index("optout_subject_key_request_idx", "optout_subject_key", ["request_id"])

    op.create_table(
        "optout_audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("actor", sa.UnicodeText, nullable=False),
        sa.Column("action", sa.UnicodeText, nullable=False),
        sa.Column("request_id", sa.UnicodeText, nullable=True),
        sa.Column("package_id", sa.UnicodeText, nullable=True),
        sa.Column("resource_id", sa.UnicodeText, nullable=True),
        sa.Column("detail", sa.JSON, nullable=True),
    )
    op.create_index("optout_audit_request_idx", "optout_audit", ["request_id"])

    op.create_table(
        "optout_dataset",
        sa.Column("package_id", sa.UnicodeText, primary_key=True),
        sa.Column("state", sa.UnicodeText, nullable=False),
        sa.Column("deadline", sa.Date, nullable=True),
        sa.Column("held", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("modified", sa.DateTime, nullable=False),
        sa.Column("modified_by", sa.UnicodeText, nullable=True),
    )
    op.create_index("optout_dataset_state_idx", "optout_dataset", ["state"])

    op.create_table(
        "optout_resource",
        sa.Column("resource_id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, nullable=False),
        sa.Column("subject_columns", sa.JSON, nullable=False),
        sa.Column("modified", sa.DateTime, nullable=False),
        sa.Column("modified_by", sa.UnicodeText, nullable=True),
    )
    op.create_index("optout_resource_package_idx", "optout_resource", ["package_id"])


def downgrade():
    op.drop_table("optout_resource")
    op.drop_table("optout_dataset")
    op.drop_table("optout_audit")
    op.drop_table("optout_subject_key")
    op.drop_table("optout_request")
