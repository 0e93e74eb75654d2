"""The case history's tables, one definition for the local SQLite file and the team PostgreSQL.

The Alembic migrations in `assistant/store/migrations/` create exactly these tables (a test
compares the migrated database with this metadata on both servers); queries are written with
SQLAlchemy Core against them, so both stores run the same statements.

- `runs`: one diagnosis. `id` is this database's number for it (shown as "Run #7"); `run_uid`
  is the run's stable id everywhere (the local file, the outbox, the team database), which is
  what makes delivering a run twice harmless.
- `results`: the checks of a run, in order, each with its findings as JSON (`findings_json`,
  "[]" for results saved before findings were kept).
- `changes`: one field of the owner's Stripe account changed by a guided fix (or its undo),
  with the values before and after, so an undo can put the old value back; the fields one fix
  changed together share a `batch_uid` and are undone together.
- `outbox` (local file only): what this computer still has to send to the team database.
- `intents` (local file only, revision 0007): every write to the owner's account, recorded
  before it is sent and closed when Stripe answers (or, when the answer never came, settled at
  the next start by reading the object). `kind` says whose record `detail_json` is: "fix" and
  "undo" today; any later write the app makes (a portal session an `ask` command creates)
  adds a kind, never a table. Never a key, and never a portal session's URL.
- `asks` (revision 0008): Stripe's verdict on each portal flow an ask sent (`main.py ask`, the
  window's Ask Stripe), one row per flow, those sent together sharing a `batch_uid`; shared
  with the team like changes. Never a session's URL (none ever reaches the store) nor a key.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

UID = String(36)  # uuid4 as text: the same on every database engine

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_uid", UID, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("account_id", Text, nullable=True),
    Column("account_name", Text, nullable=True),
    Column("mode", Text, nullable=True),
    Column("masked_key", Text, nullable=False),
    Column("notes", Text, nullable=False, server_default=""),
    Column("ticket", Text, nullable=False, server_default=""),
    Column("app_version", Text, nullable=False, server_default=""),
    Column("api_version", Text, nullable=False, server_default=""),  # revision 0005
    Column("request_count", Integer, nullable=False, server_default="0"),
    Column("customer_query", Text, nullable=True),
    Column("fatal", Text, nullable=True),
    Column("agent", Text, nullable=False, server_default=""),
    Column("connected_account", Text, nullable=True),  # revision 0006
    UniqueConstraint("run_uid", name="runs_run_uid_key"),
    Index("runs_by_account", "account_id", "mode", "id"),
)

results = Table(
    "results",
    metadata,
    Column("run_id", Integer, ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("check_id", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("summary", Text, nullable=False),
    Column("details_json", Text, nullable=False, server_default="[]"),
    Column("fix_json", Text, nullable=False, server_default="[]"),
    Column("glossary_json", Text, nullable=False, server_default="[]"),
    Column("stripe_error_json", Text, nullable=True),
    Column("findings_json", Text, nullable=False, server_default="[]"),
    PrimaryKeyConstraint("run_id", "position"),
)

changes = Table(
    "changes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("change_uid", UID, nullable=False),
    Column("run_uid", UID, nullable=True),  # the run whose findings the fix answered
    Column("account_id", Text, nullable=False),
    Column("mode", Text, nullable=True),
    Column("check_id", Text, nullable=False, server_default=""),
    Column("fix_id", Text, nullable=False, server_default=""),
    Column("object_id", Text, nullable=False, server_default=""),  # e.g. bpc_… (a portal configuration)
    Column("field", Text, nullable=False),  # e.g. default_return_url, features.invoice_history.enabled
    Column("before_json", Text, nullable=False),
    Column("after_json", Text, nullable=False),
    Column("summary", Text, nullable=False, server_default=""),  # "return URL set"
    Column("request_ids_json", Text, nullable=False, server_default="[]"),
    Column("applied_at", Text, nullable=False),
    Column("agent", Text, nullable=False, server_default=""),
    Column("ticket", Text, nullable=False, server_default=""),
    Column("undo_of", UID, nullable=True),  # change_uid of the change this one reverted
    # change_uid of the first field of the fix (or undo) that changed this one with others
    Column("batch_uid", UID, nullable=True),
    # revision 0007: an object the fix created, whole, as the app left it ({} as JSON: null);
    # its undo deletes it only while every field is still as it was left
    Column("left_json", Text, nullable=True),
    UniqueConstraint("change_uid", name="changes_change_uid_key"),
    Index("changes_by_account", "account_id", "applied_at"),
    Index("changes_by_batch", "batch_uid"),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", Text, nullable=False),  # "run", "notes" or "change"
    Column("uid", UID, nullable=False),
    Column("queued_at", Text, nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    UniqueConstraint("kind", "uid", name="outbox_kind_uid_key"),
)

intents = Table(
    "intents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("intent_uid", UID, nullable=False),
    Column("kind", Text, nullable=False),  # "fix", "undo" (later kinds reuse the table)
    Column("state", Text, nullable=False),  # open, done, refused, found, not_made
    Column("account_id", Text, nullable=False),
    Column("mode", Text, nullable=True),
    Column("masked_key", Text, nullable=False, server_default=""),  # which key can settle it
    Column("object_id", Text, nullable=False, server_default=""),  # "" for an object the write creates
    Column("method", Text, nullable=False),
    Column("path", Text, nullable=False),
    Column("idempotency_key", Text, nullable=False),
    Column("detail_json", Text, nullable=False, server_default="{}"),
    Column("run_uid", UID, nullable=True),
    Column("agent", Text, nullable=False, server_default=""),
    Column("created_at", Text, nullable=False),
    Column("resolved_at", Text, nullable=True),
    Column("change_uid", UID, nullable=True),  # the change it became
    Column("note", Text, nullable=False, server_default=""),  # what settling it found
    UniqueConstraint("intent_uid", name="intents_intent_uid_key"),
)

asks = Table(
    "asks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("ask_uid", UID, nullable=False),
    Column("batch_uid", UID, nullable=False),  # the asks sent together
    Column("run_uid", UID, nullable=True),  # the run the asks were planned from
    Column("account_id", Text, nullable=False),
    Column("mode", Text, nullable=True),
    Column("customer_id", Text, nullable=False),
    Column("configuration_id", Text, nullable=False, server_default=""),
    Column("flow", Text, nullable=False),  # payment_method_update, subscription_cancel, ...
    Column("subscription_id", Text, nullable=False, server_default=""),
    Column("price_id", Text, nullable=False, server_default=""),
    Column("outcome", Text, nullable=False),  # accepted, refused, error
    Column("predicted", Text, nullable=False, server_default=""),  # what the checks expected
    Column("finding_code", Text, nullable=False, server_default=""),
    Column("said", Text, nullable=False, server_default=""),  # the finding's sentence
    Column("stripe_error_json", Text, nullable=True),  # Stripe's words, exactly
    Column("request_id", Text, nullable=False, server_default=""),
    Column("asked_at", Text, nullable=False),
    Column("agent", Text, nullable=False, server_default=""),
    Column("ticket", Text, nullable=False, server_default=""),
    UniqueConstraint("ask_uid", name="asks_ask_uid_key"),
    Index("asks_by_account", "account_id", "asked_at"),
    Index("asks_by_batch", "batch_uid"),
)

LOCAL_ONLY = frozenset({"outbox", "intents"})  # tables the team database does not have
