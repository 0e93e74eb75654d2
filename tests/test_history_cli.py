"""`history` listing as text and JSON."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.cli.history import run_history
from assistant.diagnosis.model import AccountInfo
from assistant.diagnosis.status import counts_text, status_counts
from assistant.knowledge.checklist import check_ids
from assistant.report.sample import sample_diagnosis
from assistant.store.history import HistoryStore


@pytest.fixture
def store(tmp_path: Path) -> HistoryStore:
    s = HistoryStore(tmp_path / "history.sqlite3")
    s.save(sample_diagnosis())
    s.save(replace(sample_diagnosis(ticket=""), generated_at="2024-06-04T09:00:00Z",
                   account=AccountInfo("acct_other", "Evil\x1b[2J Corp"), mode="live",
                   masked_key="sk_live_…0000"))
    return s


def run(store: HistoryStore, account: str | None, fmt: str) -> tuple[int, str]:
    out = io.StringIO()
    code = run_history(account, fmt, store, out)
    return code, out.getvalue()


def test_text_lists_newest_first_with_counts(store: HistoryStore) -> None:
    code, out = run(store, None, "text")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["ID", "When", "(UTC)"]
    assert lines[2].startswith("2 ") and lines[3].startswith("1 ")
    assert "2024-06-04 09:00:00" in lines[2] and "live" in lines[2]
    assert "acct_1PrCtc3Coffee00 (Practice Coffee Co.)" in lines[3]
    assert "sk_test_…Xy9Q" in lines[3] and "ZD-48213" in lines[3]
    said = counts_text(status_counts(c.status for c in sample_diagnosis().checks))
    assert said.startswith("2 FAIL, 1 ERROR") and said in lines[3]  # worst first, as everywhere
    assert "\x1b" not in out  # an account name cannot drive the terminal


def test_text_filtered_by_account_and_empty(store: HistoryStore, tmp_path: Path) -> None:
    code, out = run(store, "acct_other", "text")
    assert code == 0 and "acct_other" in out and "acct_1PrCtc3Coffee00" not in out
    assert run(store, "acct_none", "text") == (0, "No saved runs for acct_none.\n")
    assert run(HistoryStore(tmp_path / "empty.sqlite3"), None, "text") == (
        0, "No saved runs yet.\n")


def test_json_output(store: HistoryStore) -> None:
    code, out = run(store, None, "json")
    assert code == 0
    data = json.loads(out)
    assert data["schema"] == 1 and data["account"] is None
    assert [r["id"] for r in data["runs"]] == [2, 1]
    first = data["runs"][1]
    assert first["account"] == {"id": "acct_1PrCtc3Coffee00", "name": "Practice Coffee Co."}
    assert first["mode"] == "test" and first["key"] == "sk_test_…Xy9Q"
    assert first["counts"] == {s.value: n for s, n in
                               status_counts(c.status for c in sample_diagnosis().checks).items()}
    assert first["total"] == len(check_ids()) and first["ticket"] == "ZD-48213"
    assert first["created_at"] == "2024-06-03T14:07:31Z"
    filtered = json.loads(run(store, "acct_other", "json")[1])
    assert [r["account"]["id"] for r in filtered["runs"]] == ["acct_other"]


def test_unknown_format(store: HistoryStore, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(store, None, "yaml") == (2, "")
    assert "yaml" in capsys.readouterr().err
