"""Alembic environment: always handed an open connection (inside the caller's transaction)
by `assistant.store.migrate`, so a migration and the check that needed it are one unit."""

from __future__ import annotations

from alembic import context

from assistant.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable by running `alembic` by hand
    raise RuntimeError("Run migrations through assistant.store.migrate.upgrade(engine).")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
