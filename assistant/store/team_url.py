"""Where the team's case history lives: a PostgreSQL URL, its password, and plain sentences.

The URL comes from `--history-url`, `PORTAL_ASSISTANT_HISTORY_URL` or Settings in the window,
always written without a password (`postgresql://agent@db.example:5432/support`). The password
is looked up in the OS keychain under `keychain_slot`, never kept in settings or logs; a URL
pasted with a password in it is split here so the password goes to the keychain only.
Everything shown to a person names the server as `where` (user@host:port/db), never the URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

ENV_URL = "PORTAL_ASSISTANT_HISTORY_URL"
ENV_AGENT = "PORTAL_ASSISTANT_AGENT"
_SCHEMES = {"postgresql", "postgres", "postgresql+psycopg"}
CONNECT_TIMEOUT_S = 3
# Server-side limits on every session: a statement (a lock held by another session, a huge
# listing) or a wait for a lock cannot hold a command or the window for minutes. The command's
# own deadline (TeamHistory's watchdog) bounds what these cannot see: a proxy that stops
# forwarding after the login.
STATEMENT_TIMEOUT_MS = 10_000
LOCK_TIMEOUT_MS = 3_000
# TCP keepalives and the kernel's limit on unacknowledged data: a server that vanished (a cable,
# a sleeping laptop's Wi-Fi, a dropped VPN) is noticed in seconds, not after the system's hours.
KEEPALIVE = {"keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5, "keepalives_count": 3,
             "tcp_user_timeout": 15_000}


class TeamUrlError(ValueError):
    """A history URL this app cannot use; the message is one sentence for the agent."""


@dataclass(frozen=True)
class TeamTarget:
    url: URL  # without password
    password: str | None = None  # only when the URL given had one

    @property
    def where(self) -> str:
        host = self.url.host or "localhost"
        if ":" in host:
            host = f"[{host}]"  # an IPv6 address, written as a URL writes it
        port = f":{self.url.port}" if self.url.port else ""
        user = f"{self.url.username}@" if self.url.username else ""
        return f"{user}{host}{port}/{self.url.database}"

    @property
    def display(self) -> str:
        """The URL as settings keep it and the window shows it: no password, ever."""
        return f"postgresql://{self.where}"

    @property
    def keychain_slot(self) -> str:
        return f"history-db:{self.where}"

    def engine(self, password: str | None = None) -> Engine:
        """A pooled engine for psycopg 3; stale connections (a restarted server) are replaced."""
        url = self.url.set(drivername="postgresql+psycopg")
        secret = password or self.password
        if secret:
            url = url.set(password=secret)
        return create_engine(
            url,
            pool_pre_ping=True,
            pool_size=2,
            max_overflow=3,
            connect_args=connect_args(),
        )


def connect_args() -> dict[str, object]:
    """libpq's connection parameters every team session uses (see the limits above)."""
    return {
        "connect_timeout": CONNECT_TIMEOUT_S,
        "application_name": "portal-setup-assistant",
        "options": f"-c statement_timeout={STATEMENT_TIMEOUT_MS} -c lock_timeout={LOCK_TIMEOUT_MS}",
        **KEEPALIVE,
    }


# host, host:port, [v6]:port, or nothing (the local socket), then the path: what may follow the
# `@` that ends the user and password.
_HOST_PART = re.compile(r"(?:\[[0-9A-Fa-f:.]*\]|[A-Za-z0-9._~%-]*)(?::[^/?#@]*)?(?=[/?#]|$)")


def _split_userinfo(rest: str) -> tuple[str | None, str | None, str]:
    """(user, password, what follows the @) of `user:pass@host:port/db?query`. The password may
    hold any character, `@`, `:`, `/` and `%` included: the user and password end at the last
    `@` that a host (and then the path) follows, and the user at the first `:`."""
    at = len(rest)
    while True:
        at = rest.rfind("@", 0, at)
        if at < 0:
            return None, None, rest
        if _HOST_PART.match(rest, at + 1):
            break
    user, sep, password = rest[:at].partition(":")
    return unquote(user) or None, (unquote(password) if sep else None), rest[at + 1:]


def parse_team_url(text: str) -> TeamTarget:
    """The server the URL names, with its password (if it held one) taken out of it.

    Raises TeamUrlError (one sentence, never repeating the password) for anything unusable: not
    a URL, another scheme, no database, a port that is not a number."""
    text = (text or "").strip()
    scheme, sep, rest = text.partition("://")
    if not sep:
        raise TeamUrlError(
            "The team history URL is not a URL; write it as postgresql://user@host:5432/database."
        )
    user, password, hostpart = _split_userinfo(rest)
    scheme = scheme.lower()
    if scheme not in _SCHEMES:
        raise TeamUrlError(
            f"The team history must be a PostgreSQL database (postgresql://user@host/database), "
            f"not '{scheme[:40]}'."
        )
    try:
        url = make_url(f"postgresql://{hostpart}")
        url.port  # noqa: B018  (checked here, not when the first connection is made)
    except (ArgumentError, ValueError):
        raise TeamUrlError(
            "The team history URL's server part is not host:port/database (the port must be a "
            "number); write it as postgresql://user@host:5432/database."
        ) from None
    if not url.database:
        raise TeamUrlError("The team history URL names no database: add /database at its end.")
    return TeamTarget(url.set(username=user, password=None), password)


class TeamTimedOut(TimeoutError):
    """The team database did not answer within the time the command (or the window) allows."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"no answer within {seconds:g} s")
        self.seconds = seconds


def describe_failure(err: BaseException, target: TeamTarget, keychain_problem: str = "") -> str:
    """One sentence for anything that went wrong reaching or preparing the team database: never
    the password, never "history.sqlite3 could not be written" (this computer's file is fine)."""
    from assistant.store.case_history import no_answer_in_time
    from assistant.store.migrate import SchemaTooNew

    where = target.where
    if isinstance(err, SchemaTooNew):
        return (f"The team database {where} was set up by a newer Portal Setup Assistant "
                f"(schema {err.revision}); update this app to share runs there.")
    if isinstance(err, TeamTimedOut):
        return no_answer_in_time(where, err.seconds)
    text = str(getattr(err, "orig", None) or err).lower()
    user = target.url.username or "this user"
    if "lock timeout" in text:
        return no_answer_in_time(where, LOCK_TIMEOUT_MS / 1000, "another session holds a lock on its tables")
    if "statement timeout" in text:
        return no_answer_in_time(where, STATEMENT_TIMEOUT_MS / 1000)
    if "password authentication failed" in text or "no password supplied" in text:
        if keychain_problem:
            return (f"The team database {where} refused the login for {user}: {keychain_problem}, so no "
                    "password could be given (PGPASSWORD or ~/.pgpass would also do).")
        return (f"The team database {where} refused the login for {user}: check the password "
                "in Settings (it is kept in the system keychain).")
    if "does not exist" in text and "database" in text:
        return (f"The team database {target.url.database} does not exist on "
                f"{target.url.host or 'localhost'}: ask whoever runs the server to create it.")
    if "permission denied" in text or "insufficientprivilege" in type(getattr(err, "orig", err)).__name__.lower():
        return (f"The team database {where} does not let {user} create or write the history tables: "
                "the role must own the database (see 'For teams' in the README).")
    return f"The team database {where} cannot be reached right now."
