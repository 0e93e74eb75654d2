"""Write-ahead intents, and the object a fix created as it was left.

Every write to the owner's account (a fix, an undo) is recorded in `intents` before it is sent
and closed when Stripe answers; one left open (the process was killed, the answer was lost) is
settled at the next start by reading the object. Local file only, like the outbox: it is this
computer's record of what it sent. `changes.left_json` keeps a created object whole, so its undo
can refuse to delete it after someone else edited it; changes recorded before have none.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

UID = sa.String(36)


def upgrade() -> None:
    with op.batch_alter_table("changes") as batch:
        batch.add_column(sa.Column("left_json", sa.Text, nullable=True))
    if op.get_bind().dialect.name == "sqlite":  # the intents live on the agent's computer only
        op.create_table(
            "intents",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("intent_uid", UID, nullable=False),
            sa.Column("kind", sa.Text, nullable=False),
            sa.Column("state", sa.Text, nullable=False),
            sa.Column("account_id", sa.Text, nullable=False),
            sa.Column("mode", sa.Text, nullable=True),
            sa.Column("masked_key", sa.Text, nullable=False, server_default=""),
            sa.Column("object_id", sa.Text, nullable=False, server_default=""),
            sa.Column("method", sa.Text, nullable=False),
            sa.Column("path", sa.Text, nullable=False),
            sa.Column("idempotency_key", sa.Text, nullable=False),
            sa.Column("detail_json", sa.Text, nullable=False, server_default="{}"),
            sa.Column("run_uid", UID, nullable=True),
            sa.Column("agent", sa.Text, nullable=False, server_default=""),
            sa.Column("created_at", sa.Text, nullable=False),
            sa.Column("resolved_at", sa.Text, nullable=True),
            sa.Column("change_uid", UID, nullable=True),
            sa.Column("note", sa.Text, nullable=False, server_default=""),
            sa.UniqueConstraint("intent_uid", name="intents_intent_uid_key"),
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.drop_table("intents")
    with op.batch_alter_table("changes") as batch:
        batch.drop_column("left_json")
