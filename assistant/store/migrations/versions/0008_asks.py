"""Stripe's verdict on each portal flow an ask sent (`main.py ask`, the window's Ask Stripe).

One row per flow: which customer, configuration, subscription and price, what the checks
expected, what Stripe answered (its words kept exactly) and the finding that explains a
refusal. Shared with the team database like changes, so a colleague sees what Stripe said.
Never a portal session's URL: the gateway drops it before anything else sees it.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

UID = sa.String(36)


def upgrade() -> None:
    op.create_table(
        "asks",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("ask_uid", UID, nullable=False),
        sa.Column("batch_uid", UID, nullable=False),
        sa.Column("run_uid", UID, nullable=True),
        sa.Column("account_id", sa.Text, nullable=False),
        sa.Column("mode", sa.Text, nullable=True),
        sa.Column("customer_id", sa.Text, nullable=False),
        sa.Column("configuration_id", sa.Text, nullable=False, server_default=""),
        sa.Column("flow", sa.Text, nullable=False),
        sa.Column("subscription_id", sa.Text, nullable=False, server_default=""),
        sa.Column("price_id", sa.Text, nullable=False, server_default=""),
        sa.Column("outcome", sa.Text, nullable=False),
        sa.Column("predicted", sa.Text, nullable=False, server_default=""),
        sa.Column("finding_code", sa.Text, nullable=False, server_default=""),
        sa.Column("said", sa.Text, nullable=False, server_default=""),
        sa.Column("stripe_error_json", sa.Text, nullable=True),
        sa.Column("request_id", sa.Text, nullable=False, server_default=""),
        sa.Column("asked_at", sa.Text, nullable=False),
        sa.Column("agent", sa.Text, nullable=False, server_default=""),
        sa.Column("ticket", sa.Text, nullable=False, server_default=""),
        sa.UniqueConstraint("ask_uid", name="asks_ask_uid_key"),
    )
    op.create_index("asks_by_account", "asks", ["account_id", "asked_at"])
    op.create_index("asks_by_batch", "asks", ["batch_uid"])


def downgrade() -> None:
    op.drop_index("asks_by_batch", table_name="asks")
    op.drop_index("asks_by_account", table_name="asks")
    op.drop_table("asks")
