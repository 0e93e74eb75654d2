"""Team history: a stable id and the agent's name on every run, the changes fixes made, and
(in the local file only) the outbox of what still has to reach the team database.

Runs saved before this revision get a fresh stable id each and an empty agent name (nobody
recorded who ran them).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

UID = sa.String(36)


def upgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("run_uid", UID, nullable=True))
        batch.add_column(sa.Column("agent", sa.Text, nullable=False, server_default=""))
    bind = op.get_bind()
    runs = sa.table("runs", sa.column("id", sa.Integer), sa.column("run_uid", UID))
    for (run_id,) in bind.execute(sa.select(runs.c.id)).all():
        bind.execute(runs.update().where(runs.c.id == run_id).values(run_uid=str(uuid.uuid4())))
    with op.batch_alter_table("runs") as batch:
        batch.alter_column("run_uid", existing_type=UID, nullable=False)
        # SQLite reads 0001's "id INTEGER PRIMARY KEY" back as nullable; the copy says NOT NULL.
        batch.alter_column("id", existing_type=sa.Integer, nullable=False)
        batch.create_unique_constraint("runs_run_uid_key", ["run_uid"])

    op.create_table(
        "changes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("change_uid", UID, nullable=False),
        sa.Column("run_uid", UID, nullable=True),
        sa.Column("account_id", sa.Text, nullable=False),
        sa.Column("mode", sa.Text, nullable=True),
        sa.Column("check_id", sa.Text, nullable=False, server_default=""),
        sa.Column("fix_id", sa.Text, nullable=False, server_default=""),
        sa.Column("object_id", sa.Text, nullable=False, server_default=""),
        sa.Column("field", sa.Text, nullable=False),
        sa.Column("before_json", sa.Text, nullable=False),
        sa.Column("after_json", sa.Text, nullable=False),
        sa.Column("summary", sa.Text, nullable=False, server_default=""),
        sa.Column("request_ids_json", sa.Text, nullable=False, server_default="[]"),
        sa.Column("applied_at", sa.Text, nullable=False),
        sa.Column("agent", sa.Text, nullable=False, server_default=""),
        sa.Column("ticket", sa.Text, nullable=False, server_default=""),
        sa.Column("undo_of", UID, nullable=True),
        sa.UniqueConstraint("change_uid", name="changes_change_uid_key"),
    )
    op.create_index("changes_by_account", "changes", ["account_id", "applied_at"])

    if bind.dialect.name == "sqlite":  # the outbox lives on the agent's computer only
        op.create_table(
            "outbox",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("kind", sa.Text, nullable=False),
            sa.Column("uid", UID, nullable=False),
            sa.Column("queued_at", sa.Text, nullable=False),
            sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
            sa.UniqueConstraint("kind", "uid", name="outbox_kind_uid_key"),
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.drop_table("outbox")
    op.drop_index("changes_by_account", "changes")
    op.drop_table("changes")
    with op.batch_alter_table("runs") as batch:
        batch.drop_constraint("runs_run_uid_key", type_="unique")
        batch.drop_column("agent")
        batch.drop_column("run_uid")
