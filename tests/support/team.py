"""Helpers for team-history tests: the CLI as another agent on another computer (own HOME)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[2]


def agent_env(home: Path, user: str, **extra: str) -> dict[str, str]:
    """A clean environment for one agent: own HOME (so own local history), own OS user name."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("XDG_") and not k.startswith("PORTAL_ASSISTANT_")}
    home.mkdir(parents=True, exist_ok=True)
    env.update(HOME=str(home), USER=user, LOGNAME=user, **extra)
    return env


def cli(home: Path, user: str, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args],
                          env=agent_env(home, user, **extra), capture_output=True, text=True,
                          timeout=120, cwd=ROOT)


def local_history(home: Path) -> Path:
    return home / ".local" / "share" / "portal-setup-assistant" / "history.sqlite3"


def log_file(home: Path) -> Path:
    return home / ".local" / "state" / "portal-setup-assistant" / "log"


def team_rows(url: str, sql: str) -> list[tuple]:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql))]
    finally:
        engine.dispose()
