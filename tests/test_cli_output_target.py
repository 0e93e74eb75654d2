"""`diagnose --output` onto something that is not a file: refused before anything is read or
written. The report writer writes a temporary file and renames it over the target, so as root
`--output /dev/full` replaced the device node with a regular file.

No real device is ever at risk here: the FIFO is a temporary one, and for /dev/null both writers
are replaced by recorders, so even without the refusal nothing would be written to it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from support.cli import cli
from support.practice import practice

SENTENCE = "is not a regular file: give a file name for the report"


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html", "pdf"])
def test_a_fifo_as_output_is_refused_and_left_as_it_was(fmt: str, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = cli(["--demo", "healthy", "--format", fmt, "--output", str(fifo), "--no-history"])
    assert result.code == 2 and result.out == ""
    assert result.err == f"{fifo} {SENTENCE}"
    assert stat.S_ISFIFO(fifo.lstat().st_mode)  # still the FIFO, not a report file renamed over it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]  # no temporary file left behind


def test_a_folder_as_output_is_refused_the_same_way(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    result = cli(["--demo", "healthy", "--output", str(folder), "--no-history"])
    assert result.code == 2 and result.err == f"{folder} {SENTENCE}"
    assert list(folder.iterdir()) == []


def test_dev_null_is_refused_before_any_request_or_write(monkeypatch: pytest.MonkeyPatch) -> None:
    writes: list[object] = []
    monkeypatch.setattr("assistant.store.private_files.write_private", lambda *a: writes.append(a))
    monkeypatch.setattr("assistant.report.pdf.write_pdf", lambda *a, **k: writes.append(a))
    with practice("healthy") as (scenario, server):
        result = cli(["--api-base", server.base_url, "--output", "/dev/null", "--no-history"],
                     env={"STRIPE_API_KEY": scenario.primary_key})
        sent = list(server.request_log)
    assert result.code == 2 and result.err == f"/dev/null {SENTENCE}"
    assert sent == [] and writes == []


def test_a_symlink_to_a_file_is_still_a_report_file(tmp_path: Path) -> None:
    """Only what is not a file is refused: a link to a report file is written as before."""
    real = tmp_path / "report.md"
    real.write_text("old")
    link = tmp_path / "latest.md"
    link.symlink_to(real)
    result = cli(["--demo", "healthy", "--format", "markdown", "--output", str(link), "--no-history"])
    assert result.code == 0 and "Customer portal" in link.read_text()


def test_the_report_writer_itself_never_replaces_what_is_not_a_file(tmp_path: Path) -> None:
    """The window's Save goes through the same writer without the command's check."""
    from assistant.store.private_files import write_private

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="not a regular file"):
        write_private(fifo, "report")
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]
