"""Where the team's case history lives: a PostgreSQL URL, its password, and plain sentences.

The URL comes from `--history-url`, `PORTAL_ASSISTANT_HISTORY_URL` or Settings in the window,
always written without a password (`postgresql://agent@db.example:5432/support`). The password
is looked up in the OS keychain under `keychain_slot`, never kept in settings or logs; a URL
pasted with a password in it is split here so the password goes to the keychain only.
Everything shown to a person names the server as `where` (user@host:port/db), never the URL.

No SQLAlchemy here: the window reads `--history-url` (and its Settings check a typed URL)
before its first paint, and SQLAlchemy loads only when the history is opened, on a worker
thread. The engine is built from a `TeamTarget` by `store/team_engine.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote

ENV_URL = "PORTAL_ASSISTANT_HISTORY_URL"
ENV_AGENT = "PORTAL_ASSISTANT_AGENT"
_SCHEMES = {"postgresql", "postgres", "postgresql+psycopg"}
# Server-side limits on every session: a statement (a lock held by another session, a huge
# listing) or a wait for a lock cannot hold a command or the window for minutes. The command's
# own deadline (TeamHistory's watchdog) bounds what these cannot see: a proxy that stops
# forwarding after the login.
STATEMENT_TIMEOUT_MS = 10_000
LOCK_TIMEOUT_MS = 3_000


class TeamUrlError(ValueError):
    """A history URL this app cannot use; the message is one sentence for the agent."""


@dataclass(frozen=True)
class ServerUrl:
    """The parts of a team URL without its password, as SQLAlchemy's URL parser reads them (the
    engine is built from these: `team_engine.engine_for`)."""

    username: str | None
    host: str | None  # None: the local socket; an IPv6 address without its brackets
    port: int | None
    database: str | None
    query: tuple[tuple[str, str], ...] = ()  # libpq options (`?sslmode=require`), in order


@dataclass(frozen=True)
class TeamTarget:
    url: ServerUrl  # without password
    password: str | None = field(default=None, repr=False)  # only when the URL given had one

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


# What follows the user and password, read as SQLAlchemy's URL parser reads it: host (or [v6]),
# :port, /database, ?query, each optional.
_SERVER = re.compile(
    r"(?:(?:\[(?P<ipv6host>[^/?]+)\]|(?P<ipv4host>[^/:?]+))?(?::(?P<port>[^/?]*))?)?"
    r"(?:/(?P<database>[^?]*))?(?:\?(?P<query>.*))?"
)
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
    server = _SERVER.match(hostpart)  # always matches: every part is optional
    try:  # the port is checked here, not when the first connection is made
        port = int(server["port"]) if server is not None and server["port"] else None
    except ValueError:
        server = None
    if server is None:
        raise TeamUrlError(
            "The team history URL's server part is not host:port/database (the port must be a "
            "number); write it as postgresql://user@host:5432/database."
        )
    database = unquote(server["database"]) if server["database"] is not None else None
    if not database:
        raise TeamUrlError("The team history URL names no database: add /database at its end.")
    query = tuple(parse_qsl(server["query"])) if server["query"] is not None else ()
    host = server["ipv4host"] or server["ipv6host"]
    return TeamTarget(ServerUrl(user, host, port, database, query), password)


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
