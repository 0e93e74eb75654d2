"""Alembic migrations of the case history (local SQLite and team PostgreSQL alike).

Run by `assistant.store.migrate.upgrade`, never by hand: the app opens a history and brings it
to the newest revision in one transaction. `versions/0001_today.py` is the schema the app had
before Alembic (PRAGMA user_version 1); such files are stamped at 0001 and upgraded from there.
"""
