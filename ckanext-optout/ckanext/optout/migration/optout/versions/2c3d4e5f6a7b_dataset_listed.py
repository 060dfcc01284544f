"""optout: staff choose which datasets in stock are listed publicly (optout_dataset.listed)

Datasets put in stock by staff before this revision stay listed, as they were; those put in stock
automatically (``ckanext.optout.stock_by_default``, audited with ``via = stock_by_default``) and
never stocked again by staff are no longer listed until staff choose to.

Revision ID: 2c3d4e5f6a7b
Revises: 1b2c3d4e5f6a
Create Date: 2026-11-30 09:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "2c3d4e5f6a7b"
down_revision = "1b2c3d4e5f6a"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "optout_dataset", sa.Column("listed", sa.Boolean, nullable=False, server_default=sa.false())
    )
    # Listed as before unless the latest stock entry of the dataset was the automatic one.
    op.execute("""
        UPDATE optout_dataset d SET listed = NOT EXISTS (
            SELECT 1 FROM optout_audit a
            WHERE a.id = (SELECT max(b.id) FROM optout_audit b
                          WHERE b.package_id = d.package_id AND b.action = 'dataset_stock')
              AND (a.detail::jsonb ->> 'via') = 'stock_by_default')
    """)


def downgrade():
    op.drop_column("optout_dataset", "listed")
