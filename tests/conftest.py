"""Shared test set-up: offscreen Qt, no real keychain, per-run data/log dirs, qasync for UI tests."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Never touch a real keychain from tests, whatever the machine has.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

import pytest

DATA = Path(__file__).resolve().parent / "data"  # Stripe's spec subset and fixtures, with provenance


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory) -> None:
    """platformdirs on Linux follows XDG_*: point them at a temp dir so history and logs
    written by tests never land in the real profile. One per test, as a new agent's profile:
    a history shared by the session made one test see another's runs of the same practice
    account."""
    base = tmp_path_factory.mktemp("userdirs")
    for var in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        os.environ[var] = str(base / var.lower())


def _qasync_loop() -> asyncio.AbstractEventLoop:
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    return qasync.QEventLoop(app)


def pytest_asyncio_loop_factories(config: pytest.Config, item: pytest.Item):
    """Async tests under tests/ui run on qasync (asyncio on Qt's loop), like the app."""
    if "ui" in Path(str(item.path)).parts:
        return {"qasync": _qasync_loop}
    return {"asyncio": asyncio.new_event_loop}


@pytest.fixture(autouse=True)
def _collect_qt_garbage_on_the_main_thread(request: pytest.FixtureRequest):
    """Qt objects caught in reference cycles must die on the GUI thread. Left to chance, the
    cyclic collector may free them on a practice-server thread ("Timers cannot be stopped
    from another thread") or crash. Collect after every UI test, here, on the main thread."""
    yield
    if "ui" in Path(str(request.node.path)).parts:
        import gc

        gc.collect()


@pytest.fixture(scope="session")
def pg_server():
    """A real PostgreSQL server (initdb + pg_ctl in a temp folder), started on first use."""
    from support.postgres import PostgresServer

    server = PostgresServer()
    server.start()
    yield server
    server.remove()


@pytest.fixture
def team_db(pg_server) -> str:
    """A fresh, empty team database on that server; its URL (with the test password)."""
    import uuid

    name = f"team_{uuid.uuid4().hex[:12]}"
    pg_server.create_database(name)
    return pg_server.url(name)
