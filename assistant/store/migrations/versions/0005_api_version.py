"""The Stripe API version of each run: what its requests were pinned to, for its reports.

A report of a past run prints the version its checks read, so a run saved before an upgrade of
the pinned version is not taken for one made with today's. Runs saved before this revision get
"" and their reports say the version was not recorded.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("api_version", sa.Text, nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("api_version")
