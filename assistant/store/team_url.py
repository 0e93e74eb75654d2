"""Where the team's case history lives: a PostgreSQL URL, its password, and plain sentences.

The URL comes from `--history-url`, `PORTAL_ASSISTANT_HISTORY_URL` or Settings in the window,
always written without a password (`postgresql://agent@db.example:5432/support`). The password
is looked up in the OS keychain under `keychain_slot`, never kept in settings or logs; a URL
pasted with a password in it is split here so the password goes to the keychain only.
Everything shown to a person names the server as `where` (user@host:port/db), never the URL.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

ENV_URL = "PORTAL_ASSISTANT_HISTORY_URL"
ENV_AGENT = "PORTAL_ASSISTANT_AGENT"
_SCHEMES = {"postgresql", "postgres", "postgresql+psycopg"}
CONNECT_TIMEOUT_S = 3


class TeamUrlError(ValueError):
    """A history URL this app cannot use; the message is one sentence for the agent."""


@dataclass(frozen=True)
class TeamTarget:
    url: URL  # without password
    password: str | None = None  # only when the URL given had one

    @property
    def where(self) -> str:
        host = self.url.host or "localhost"
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
            connect_args={"connect_timeout": CONNECT_TIMEOUT_S,
                          "application_name": "portal-setup-assistant"},
        )


def parse_team_url(text: str) -> TeamTarget:
    text = (text or "").strip()
    try:
        url = make_url(text)
    except ArgumentError:
        raise TeamUrlError(
            "The team history URL is not a URL; write it as postgresql://user@host:5432/database."
        ) from None
    if url.drivername not in _SCHEMES:
        raise TeamUrlError(
            f"The team history must be a PostgreSQL database (postgresql://user@host/database), "
            f"not '{url.drivername}'."
        )
    if not url.database:
        raise TeamUrlError("The team history URL names no database: add /database at its end.")
    return TeamTarget(url._replace(drivername="postgresql", password=None), url.password)


def describe_failure(err: BaseException, target: TeamTarget) -> str:
    """One sentence for anything that went wrong reaching or preparing the team database."""
    from assistant.store.migrate import SchemaTooNew

    where = target.where
    if isinstance(err, SchemaTooNew):
        return (f"The team database {where} was set up by a newer Portal Setup Assistant "
                f"(schema {err.revision}); update this app to share runs there.")
    text = str(getattr(err, "orig", None) or err).lower()
    user = target.url.username or "this user"
    if "password authentication failed" in text or "no password supplied" in text:
        return (f"The team database {where} refused the login for {user}: check the password "
                "in Settings (it is kept in the system keychain).")
    if "does not exist" in text and "database" in text:
        return (f"The team database {target.url.database} does not exist on "
                f"{target.url.host or 'localhost'}: ask whoever runs the server to create it.")
    if "permission denied" in text:
        return (f"The team database {where} does not let {user} create the history tables: "
                "the role must own the database (see 'For teams' in the README).")
    return f"The team database {where} cannot be reached right now."
