"""Bring a history database to the newest schema, once, safely, whoever else opens it.

Every store calls `upgrade(engine)` when it opens. It is cheap when there is nothing to do (one
query of `alembic_version`), and when there is, the whole migration is one transaction that
holds the database's write lock (SQLite `BEGIN IMMEDIATE`; a PostgreSQL advisory lock), so
twenty agents starting at once on a new team database migrate it exactly once.

A database with none of our tables yet (a new laptop's file, a new team database) is not
taken through every revision: today's tables are created straight from `schema.metadata`
and stamped at `HEAD`, without loading Alembic at all (that took ~0.2 s of an agent's first
run). A test builds a database through the whole chain and checks both are the same schema.

A history file from before migrations (PRAGMA user_version 1, no `alembic_version` table) is
stamped at revision 0001 and upgraded like any other: its runs are kept.
"""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    inspect,
    text,
)

if TYPE_CHECKING:
    from alembic.config import Config

# Every revision in assistant/store/migrations/versions, oldest first (a test compares them).
REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008")
HEAD = REVISIONS[-1]
_LOCK_KEY = 0x7073_6168  # "psah": one advisory lock id for this app's migrations
WRITE_OPTION = "history_write"  # execution option: SQLite begins with BEGIN IMMEDIATE


# Alembic's own bookkeeping table, as `alembic stamp` creates it.
_VERSION_TABLE = Table(
    "alembic_version", MetaData(),
    Column("version_num", String(32), nullable=False),
    PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
)


class SchemaTooNew(Exception):
    """The database was migrated by a newer version of the app than this one."""

    def __init__(self, revision: str) -> None:
        super().__init__(revision)
        self.revision = revision


def _config(connection: Connection) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("assistant.store") / "migrations"))
    cfg.attributes["connection"] = connection
    return cfg


def current_revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _known(revision: str) -> bool:
    return revision in REVISIONS


def _create_new(conn: Connection) -> None:
    """Today's tables from the metadata (the outbox only in a local file), stamped at HEAD."""
    from assistant.store.schema import LOCAL_ONLY, metadata

    local = conn.dialect.name == "sqlite"
    metadata.create_all(conn, tables=[t for t in metadata.sorted_tables
                                      if local or t.name not in LOCAL_ONLY])
    _VERSION_TABLE.create(conn)
    conn.execute(_VERSION_TABLE.insert().values(version_num=HEAD))


def upgrade(engine: Engine, *, create_new: bool = True) -> bool:
    """Migrate if needed; True when a migration ran. Raises SchemaTooNew for a newer database.

    `create_new=False` builds a new database through every revision instead (for the test
    that both ways give one schema)."""
    with engine.connect() as conn:
        revision = current_revision(conn)
    if revision == HEAD:
        return False
    if revision is not None and not _known(revision):
        raise SchemaTooNew(revision)
    with engine.execution_options(**{WRITE_OPTION: True}).connect() as conn:
        if conn.dialect.name == "sqlite":
            # Outside any transaction: a table copied by a migration must not cascade-delete
            # the rows that point at it.
            dbapi = conn.connection.dbapi_connection
            if dbapi is not None:
                dbapi.cursor().execute("PRAGMA foreign_keys=OFF")
        with conn.begin():  # sqlite: BEGIN IMMEDIATE (see history._sqlite_engine)
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
            revision = current_revision(conn)  # someone may have finished while we waited
            if revision == HEAD:
                return False
            if revision is not None and not _known(revision):
                raise SchemaTooNew(revision)
            existing = inspect(conn).has_table("runs")
            if revision is None and not existing and create_new:
                _create_new(conn)
                return True
            from alembic import command

            cfg = _config(conn)
            if revision is None and existing:
                command.stamp(cfg, "0001")  # made by the code before migrations
            command.upgrade(cfg, HEAD)
    return True
