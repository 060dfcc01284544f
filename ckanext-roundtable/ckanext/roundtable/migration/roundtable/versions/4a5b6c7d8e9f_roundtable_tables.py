"""roundtable: data requests, supports, comments and feedback, status history

Revision ID: 4a5b6c7d8e9f
Revises:
Create Date: 2026-11-30 14:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "4a5b6c7d8e9f"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "roundtable_request",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("title", sa.UnicodeText, nullable=False),
        sa.Column("description", sa.UnicodeText, nullable=False),
        sa.Column("audience", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("contact", sa.UnicodeText, nullable=True),
        sa.Column("user_id", sa.UnicodeText, nullable=True),
        sa.Column("group_id", sa.UnicodeText, nullable=True),
        sa.Column("organization_id", sa.UnicodeText, nullable=True),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("status_reason", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("visibility", sa.UnicodeText, nullable=False),
        sa.Column("hold_reason", sa.UnicodeText, nullable=True),
        sa.Column("package_id", sa.UnicodeText, nullable=True),
        sa.Column("search_key", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("modified", sa.DateTime, nullable=False),
    )
    op.create_index("roundtable_request_visibility_idx", "roundtable_request", ["visibility"])
    op.create_index("roundtable_request_package_idx", "roundtable_request", ["package_id"])

    op.create_table(
        "roundtable_support",
        sa.Column(
            "request_id",
            sa.UnicodeText,
            sa.ForeignKey("roundtable_request.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("supporter", sa.UnicodeText, primary_key=True),
        sa.Column("created", sa.DateTime, nullable=False),
    )

    op.create_table(
        "roundtable_comment",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column(
            "request_id",
            sa.UnicodeText,
            sa.ForeignKey("roundtable_request.id", ondelete="CASCADE"),
            nullable=True,
        ),
        sa.Column("package_id", sa.UnicodeText, nullable=True),
        sa.Column("parent_id", sa.UnicodeText, nullable=True),
        sa.Column("kind", sa.UnicodeText, nullable=True),
        sa.Column("body", sa.UnicodeText, nullable=False),
        sa.Column("user_id", sa.UnicodeText, nullable=True),
        sa.Column("staff", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("visibility", sa.UnicodeText, nullable=False),
        sa.Column("hold_reason", sa.UnicodeText, nullable=True),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_index("roundtable_comment_request_idx", "roundtable_comment", ["request_id"])
    op.create_index("roundtable_comment_package_idx", "roundtable_comment", ["package_id"])
    op.create_index("roundtable_comment_visibility_idx", "roundtable_comment", ["visibility"])

    op.create_table(
        "roundtable_status_change",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "request_id",
            sa.UnicodeText,
            sa.ForeignKey("roundtable_request.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("reason", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("package_id", sa.UnicodeText, nullable=True),
        sa.Column("actor", sa.UnicodeText, nullable=False),
        sa.Column("mailed", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_index("roundtable_status_change_request_idx", "roundtable_status_change", ["request_id"])


def downgrade():
    op.drop_table("roundtable_status_change")
    op.drop_table("roundtable_comment")
    op.drop_table("roundtable_support")
    op.drop_table("roundtable_request")
