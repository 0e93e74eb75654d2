"""Issue 14, item 8: what holds customer data is private from its first byte: the history
database and its WAL/SHM, the log and saved reports are created 0600 in 0700 folders.

`os.chmod` is made to fail here: a file that is only right after a chmod would be readable by
everyone for a moment, and for good if the process is killed before the chmod.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest
from support.cli import cli

from assistant.report.sample import sample_diagnosis

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


@pytest.fixture
def no_late_chmod(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A permissive umask (as on many desktops), and no chmod on files: modes come from open()."""
    old = os.umask(0o022)

    def refuse(path, mode, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(path).is_file():
            raise AssertionError(f"chmod after creation: {path}")
        return real_chmod(path, mode, *args, **kwargs)

    real_chmod = os.chmod
    monkeypatch.setattr(os, "chmod", refuse)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_history_database_and_its_wal_are_private(no_late_chmod, tmp_path: Path) -> None:
    from assistant.store.history import HistoryStore

    folder = tmp_path / "data" / "portal-setup-assistant"
    store = HistoryStore(folder / "history.sqlite3")
    store.save(sample_diagnosis())
    files = sorted(folder.iterdir())
    assert {p.name for p in files} >= {"history.sqlite3"}
    for path in files:
        assert mode(path) == 0o600, path.name
    assert mode(folder) == 0o700


def test_the_log_file_is_private_also_after_rotation(no_late_chmod, tmp_path: Path) -> None:
    from assistant.store.log_file import setup_logging

    root = logging.getLogger("assistant")
    earlier = [h for h in root.handlers if getattr(h, "_assistant_file", False)]
    for handler in earlier:  # a log an earlier test set up: this test makes its own
        root.removeHandler(handler)
    folder = tmp_path / "logs"
    try:
        log_file = setup_logging(folder)
        assert log_file is not None and log_file.parent == folder
        handler = next(h for h in root.handlers if getattr(h, "_assistant_file", False))
        logging.getLogger("assistant.test_private").warning("a line of the log")
        handler.doRollover()  # type: ignore[attr-defined]
        logging.getLogger("assistant.test_private").warning("after rotation")
        handler.flush()
        assert mode(folder) == 0o700
        names = sorted(p.name for p in folder.iterdir())
        assert len(names) >= 2, names
        for path in folder.iterdir():
            assert mode(path) == 0o600, path.name
    finally:
        for h in [h for h in root.handlers if getattr(h, "_assistant_file", False)]:
            root.removeHandler(h)
            h.close()
        for handler in earlier:
            root.addHandler(handler)


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html", "pdf"])
def test_saved_reports_are_private(no_late_chmod, fmt: str, tmp_path: Path, qapp) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / f"report.{fmt}"
    result = cli(["--demo", "healthy", "--format", fmt, "--output", str(target), "--no-history"])
    assert result.code == 0, result.err
    assert target.stat().st_size > 0
    assert mode(target) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]  # no temporary left over
