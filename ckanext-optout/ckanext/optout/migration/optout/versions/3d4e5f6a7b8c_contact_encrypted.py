"""optout: the resident's contact is encrypted at rest (AES-256-GCM, key from ckanext.optout.secret)

Contacts stored in clear by earlier revisions are encrypted here, in place (``optout_request.contact``
keeps its name and type; encrypted values start with ``gcm1:``). This needs the configured
``ckanext.optout.secret`` (``ckan db upgrade`` loads the CKAN configuration). Downgrading
decrypts them again.

Revision ID: 3d4e5f6a7b8c
Revises: 2c3d4e5f6a7b
Create Date: 2026-11-30 09:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "3d4e5f6a7b8c"
down_revision = "2c3d4e5f6a7b"
branch_labels = None
depends_on = None

ROWS = sa.text("SELECT id, contact FROM optout_request WHERE contact IS NOT NULL AND contact <> ''")
SET = sa.text("UPDATE optout_request SET contact = :contact WHERE id = :id")


def _secret() -> str:
    import ckan.plugins.toolkit as tk

    secret = tk.config.get("ckanext.optout.secret")
    if not secret:
        raise RuntimeError("ckanext.optout.secret must be set to encrypt the stored contacts")
    return secret


def upgrade():
    from ckanext.optout import contact

    bind = op.get_bind()
    rows = [r for r in bind.execute(ROWS) if not contact.is_encrypted(r.contact)]
    if not rows:
        return
    secret = _secret()
    for row in rows:
        bind.execute(SET, {"id": row.id, "contact": contact.encrypt(row.contact, row.id, secret)})


def downgrade():
    from ckanext.optout import contact

    bind = op.get_bind()
    rows = [r for r in bind.execute(ROWS) if contact.is_encrypted(r.contact)]
    if not rows:
        return
    secret = _secret()
    for row in rows:
        try:
            clear = contact.decrypt(row.contact, row.id, secret)
        except contact.ContactUnreadable:
            clear = None  # another secret: nothing readable to give back
        bind.execute(SET, {"id": row.id, "contact": clear})
