"""The SQLAlchemy engine for a team database: psycopg 3, pooled, with the session limits and
TCP keepalives every team connection uses.

Kept apart from the URL (`team_url.py`, no SQLAlchemy) so reading and checking a URL, which the
window does before its first paint, never loads SQLAlchemy; only opening the history does.
"""

from __future__ import annotations

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import URL

from assistant.store.team_url import LOCK_TIMEOUT_MS, STATEMENT_TIMEOUT_MS, TeamTarget

CONNECT_TIMEOUT_S = 3
# TCP keepalives and the kernel's limit on unacknowledged data: a server that vanished (a cable,
# a sleeping laptop's Wi-Fi, a dropped VPN) is noticed in seconds, not after the system's hours.
KEEPALIVE = {"keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5, "keepalives_count": 3,
             "tcp_user_timeout": 15_000}


def engine_for(target: TeamTarget, password: str | None = None) -> Engine:
    """A pooled engine for psycopg 3; stale connections (a restarted server) are replaced."""
    query: dict[str, str | list[str]] = {}
    for name, value in target.url.query:  # a repeated option keeps every value, as SQLAlchemy's parser does
        before = query.get(name)
        query[name] = value if before is None else [*([before] if isinstance(before, str) else before), value]
    url = URL.create("postgresql+psycopg", username=target.url.username,
                     password=password or target.password or None, host=target.url.host,
                     port=target.url.port, database=target.url.database, query=query)
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=2,
        max_overflow=3,
        connect_args=connect_args(),
    )


def connect_args() -> dict[str, object]:
    """libpq's connection parameters every team session uses (see the limits in team_url.py)."""
    return {
        "connect_timeout": CONNECT_TIMEOUT_S,
        "application_name": "portal-setup-assistant",
        "options": f"-c statement_timeout={STATEMENT_TIMEOUT_MS} -c lock_timeout={LOCK_TIMEOUT_MS}",
        **KEEPALIVE,
    }
