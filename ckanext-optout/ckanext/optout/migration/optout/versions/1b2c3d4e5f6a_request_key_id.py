"""optout: remember which secret hashed each request (optout_request.key_id)

Requests filed before this revision get an empty key id: the suppression stage then refuses to
publish (it cannot tell whether their digests still match) until staff re-file or reject them.

Revision ID: 1b2c3d4e5f6a
Revises: 0a1b2c3d4e5f
Create Date: 2026-11-26 13:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "1b2c3d4e5f6a"
down_revision = "0a1b2c3d4e5f"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("optout_request", sa.Column("key_id", sa.UnicodeText, nullable=False, server_default=""))
    op.alter_column("optout_request", "key_id", server_default=None)


def downgrade():
    op.drop_column("optout_request", "key_id")
