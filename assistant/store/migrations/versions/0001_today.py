"""The case history as it was before migrations (SQLite PRAGMA user_version 1).

A history file made by that code already has these tables and is stamped at this revision
instead of running it; a new database (a new laptop, a new team server) is created by it.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("account_id", sa.Text, nullable=True),
        sa.Column("account_name", sa.Text, nullable=True),
        sa.Column("mode", sa.Text, nullable=True),
        sa.Column("masked_key", sa.Text, nullable=False),
        sa.Column("notes", sa.Text, nullable=False, server_default=""),
        sa.Column("ticket", sa.Text, nullable=False, server_default=""),
        sa.Column("app_version", sa.Text, nullable=False, server_default=""),
        sa.Column("request_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("customer_query", sa.Text, nullable=True),
        sa.Column("fatal", sa.Text, nullable=True),
    )
    op.create_table(
        "results",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("check_id", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("details_json", sa.Text, nullable=False, server_default="[]"),
        sa.Column("fix_json", sa.Text, nullable=False, server_default="[]"),
        sa.Column("glossary_json", sa.Text, nullable=False, server_default="[]"),
        sa.Column("stripe_error_json", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("run_id", "position"),
    )
    op.create_index("runs_by_account", "runs", ["account_id", "mode", "id"])


def downgrade() -> None:
    op.drop_index("runs_by_account", "runs")
    op.drop_table("results")
    op.drop_table("runs")
