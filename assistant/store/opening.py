"""Which history a command or the window uses: the local file, or the team database behind it.

The team database is chosen by, in order: `--history-url`, `PORTAL_ASSISTANT_HISTORY_URL`, and
(in the window) Settings. Without any of them the history is today's local file and nothing
else changes. The agent's name comes from `PORTAL_ASSISTANT_AGENT` or Settings, else the OS
user name. The password is the URL's own (never stored), else the keychain's entry for that
server, else whatever libpq finds itself (PGPASSWORD, ~/.pgpass).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol

from assistant.store.case_history import CaseHistory
from assistant.store.history import HistoryStore, SqlHistory, default_agent, default_path
from assistant.store.team import TeamHistory
from assistant.store.team_engine import engine_for
from assistant.store.team_url import ENV_AGENT, ENV_URL, describe_failure, parse_team_url


class SecretSource(Protocol):
    def load(self, slot: str = ...) -> str | None: ...


class SecretKeeper(SecretSource, Protocol):
    def save(self, key: str, slot: str = ...) -> Any: ...


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
    keychain: SecretSource | Callable[[], SecretSource] | None = None,
    local_path: Path | None = None,
    deliver_on_read: bool = True,
    deadline: float | None = None,
    said: Callable[[str], None] | None = None,
) -> CaseHistory:
    """The store to use. Raises TeamUrlError (one sentence) for a URL that cannot be used; a
    server that is away is not an error here: runs wait in the local outbox.

    `keychain` may be a function that makes one (a broken keyring install raises there: that is
    the team database's login problem, said when the login fails, never this computer's file's).
    A password written in the URL is moved into the keychain (`said` tells the agent) and used
    for this process; it is never kept anywhere else or printed.

    `deliver_on_read` False: reads never try the team database first (the window delivers on a
    worker thread instead, so its Qt thread never waits on a connection). `deadline`
    (time.monotonic()): a command's end, which bounds every exchange with the team database."""
    local = HistoryStore(local_path or default_path(), agent=agent, outbox=url is not None)
    if url is None:
        return local
    target = parse_team_url(url)
    source, keychain_problem = _keychain(keychain)
    password = target.password
    if password is not None:
        _move_to_keychain(password, target.keychain_slot, source, said)
    elif source is not None:
        try:
            password = source.load(target.keychain_slot)
        except Exception as err:  # a locked keychain: libpq may still find a password itself
            keychain_problem = f"the system keychain could not be read ({type(err).__name__})"
            password = None

    def connect() -> SqlHistory:
        return SqlHistory(engine_for(target, password), agent=agent)

    return TeamHistory(local, connect, where=target.where,
                       describe=lambda err: describe_failure(err, target, keychain_problem),
                       deliver_on_read=deliver_on_read, deadline=deadline)


def _keychain(keychain: SecretSource | Callable[[], SecretSource] | None) -> tuple[SecretSource | None, str]:
    if keychain is None or hasattr(keychain, "load"):
        return keychain, ""
    try:
        return keychain(), ""
    except Exception as err:  # keyring's own set-up failed (a bad backend name, a broken install)
        return None, f"the system keychain could not be opened ({type(err).__name__})"


def _move_to_keychain(password: str, slot: str, source: SecretSource | None,
                      said: Callable[[str], None] | None) -> None:
    """A password typed into the URL goes where passwords belong (said once, when it moves
    there: the URL can then be written without it). Without a keychain it is used for this
    process only, as before."""
    if source is None or not hasattr(source, "save"):
        return
    try:
        if source.load(slot) == password:
            return  # moved by an earlier run
        status = source.save(password, slot)
    except Exception:  # a refusing keychain: the password is used for this run only
        return
    if said is not None and bool(getattr(status, "available", False)):
        said("the password in the team history URL was moved to the system keychain; write the URL "
             "without it from now on.")
