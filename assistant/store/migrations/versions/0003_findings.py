"""Findings: each result keeps what its check found (codes, subjects, values), not only words.

`results.findings_json` holds the result's findings as the `diagnose` JSON prints them (see
`assistant.store.finding_json`). Results saved before this revision get "[]": they load with
no findings, and comparisons with them fall back to statuses.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("results") as batch:
        batch.add_column(sa.Column("findings_json", sa.Text, nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("results") as batch:
        batch.drop_column("findings_json")
