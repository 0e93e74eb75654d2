"""Change batches: the fields one applied fix (or one undo) changed together share a batch.

A guided fix often changes several fields of one object in one request (plan switching needs
the payment-method update switched on with it), and undoing only some of them would leave an
object Stripe refuses. `batch_uid` is the `change_uid` of the batch's first field; changes
recorded before this revision have none and are each a batch of one.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("changes") as batch:
        batch.add_column(sa.Column("batch_uid", sa.String(36), nullable=True))
    op.create_index("changes_by_batch", "changes", ["batch_uid"])


def downgrade() -> None:
    op.drop_index("changes_by_batch", "changes")
    with op.batch_alter_table("changes") as batch:
        batch.drop_column("batch_uid")
