"""The connected account each run acted as (Stripe Connect, `Stripe-Account`), or null.

A platform's key diagnosing one of its connected accounts reads that account's settings, not
the platform's: its runs keep which account that was, so a report of the run, the History
window and `history --format json` say so. Runs saved before this revision were made on the
key's own account and get null.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("connected_account", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("connected_account")
