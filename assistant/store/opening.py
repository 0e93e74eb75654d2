"""Which history a command or the window uses: the local file, or the team database behind it.

The team database is chosen by, in order: `--history-url`, `PORTAL_ASSISTANT_HISTORY_URL`, and
(in the window) Settings. Without any of them the history is today's local file and nothing
else changes. The agent's name comes from `PORTAL_ASSISTANT_AGENT` or Settings, else the OS
user name. The password is the URL's own (never stored), else the keychain's entry for that
server, else whatever libpq finds itself (PGPASSWORD, ~/.pgpass).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from assistant.store.case_history import CaseHistory
from assistant.store.history import HistoryStore, SqlHistory, default_agent, default_path
from assistant.store.team import TeamHistory
from assistant.store.team_url import ENV_AGENT, ENV_URL, describe_failure, parse_team_url


class SecretSource(Protocol):
    def load(self, slot: str = ...) -> str | None: ...


def history_url(flag: str | None, environ: Mapping[str, str], setting: str | None = None) -> str | None:
    """The team URL in force, or None for the local history."""
    for value in (flag, environ.get(ENV_URL), setting):
        if value and value.strip():
            return value.strip()
    return None


def agent_name(environ: Mapping[str, str], setting: str | None = None) -> str:
    for value in (environ.get(ENV_AGENT), setting):
        if value and value.strip():
            return value.strip()
    return default_agent()


def open_history(
    url: str | None,
    *,
    agent: str,
    keychain: SecretSource | None = None,
    local_path: Path | None = None,
    deliver_on_read: bool = True,
) -> CaseHistory:
    """The store to use. Raises TeamUrlError (one sentence) for a URL that cannot be used; a
    server that is away is not an error here: runs wait in the local outbox.

    `deliver_on_read` False: reads never try the team database first (the window delivers on a
    worker thread instead, so its Qt thread never waits on a connection)."""
    local = HistoryStore(local_path or default_path(), agent=agent, outbox=url is not None)
    if url is None:
        return local
    target = parse_team_url(url)
    password = target.password
    if password is None and keychain is not None:
        try:
            password = keychain.load(target.keychain_slot)
        except Exception:  # a locked keychain: libpq may still find a password itself
            password = None

    def connect() -> SqlHistory:
        return SqlHistory(target.engine(password), agent=agent)

    return TeamHistory(local, connect, where=target.where,
                       describe=lambda err: describe_failure(err, target), deliver_on_read=deliver_on_read)

