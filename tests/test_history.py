"""Case history: runs come back as saved, compare correctly, and survive a killed process."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from support.report_samples import PLANTED_BODY, PLANTED_KEY, planted_diagnosis

from assistant.diagnosis.model import AccountInfo, CheckResult, Finding, Status, Subject
from assistant.diagnosis.status import status_counts
from assistant.knowledge.checklist import check_ids
from assistant.report.redaction import RedactionOptions, redact_diagnosis
from assistant.report.sample import sample_diagnosis
from assistant.store.history import CheckChange, HistoryStore, RunNotFound, default_path

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def store(tmp_path: Path) -> HistoryStore:
    return HistoryStore(tmp_path / "data" / "history.sqlite3")


def with_statuses(base, **statuses: Status):
    checks = tuple(
        replace(c, status=statuses.get(c.id.replace(".", "_"), c.status)) for c in base.checks
    )
    return replace(base, checks=checks)


def test_default_path_is_in_the_user_data_dir() -> None:
    path = default_path()
    assert path.name == "history.sqlite3"
    assert "portal-setup-assistant" in path.parts


def stored_form(d):
    """What the history keeps: the run, findings and all, minus keys and session links (e-mails
    masked)."""
    return redact_diagnosis(d, RedactionOptions(mask_emails=True))


def test_a_saved_run_loads_back_as_saved_minus_secrets(store: HistoryStore) -> None:
    d = replace(sample_diagnosis(), fatal="Could not reach Stripe: timed out")
    run_id = store.save(d)
    loaded = store.load(run_id)
    # Every field, including Stripe errors, glossary terms and the fatal line...
    assert loaded == stored_form(d)
    # ...and the e-mails and session link are what changed: nothing else was lost.
    assert loaded.checks != d.checks and len(loaded.checks) == len(d.checks)
    assert [c.status for c in loaded.checks] == [c.status for c in d.checks]
    assert "[portal session link removed]" in loaded.notes


def test_store_uses_wal_and_private_file(store: HistoryStore) -> None:
    store.save(sample_diagnosis())
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    if os.name == "posix":
        assert store.path.stat().st_mode & 0o077 == 0


def test_list_runs_newest_first_with_counts_and_account_filter(store: HistoryStore) -> None:
    first = store.save(sample_diagnosis())
    other = store.save(replace(sample_diagnosis(), account=AccountInfo("acct_other", "Other")))
    last = store.save(with_statuses(sample_diagnosis(), portal_products=Status.PASS))
    runs = store.list_runs()
    assert [r.id for r in runs] == [last, other, first]
    fixed = with_statuses(sample_diagnosis(), portal_products=Status.PASS)
    assert runs[0].counts == {s.value: n for s, n in status_counts(c.status for c in fixed.checks).items()}
    assert runs[0].count(Status.FAIL) == runs[-1].count(Status.FAIL) - 1
    assert runs[-1].count(Status.FAIL) == 2 and runs[-1].total == len(check_ids())
    assert runs[0].masked_key == "sk_test_…Xy9Q" and runs[0].ticket == "ZD-48213"
    assert [r.id for r in store.list_runs("acct_1PrCtc3Coffee00")] == [last, first]
    assert [r.id for r in store.list_runs(limit=1)] == [last]


def test_previous_run_is_same_account_and_same_mode(store: HistoryStore) -> None:
    a1 = store.save(sample_diagnosis())
    store.save(replace(sample_diagnosis(), account=AccountInfo("acct_other", "Other")))
    store.save(replace(sample_diagnosis(), mode="live", masked_key="sk_live_…0000"))
    a2 = store.save(sample_diagnosis())
    no_account = store.save(replace(sample_diagnosis(), account=None, mode=None))
    assert store.previous_run(a2) == a1
    assert store.previous_run(a1) is None
    assert store.previous_run(no_account) is None
    with pytest.raises(RunNotFound):
        store.previous_run(999)


def test_diff_names_fixed_regressed_new_and_removed(store: HistoryStore) -> None:
    before = sample_diagnosis()
    after = with_statuses(
        before,
        portal_products=Status.PASS,  # fail -> pass: fixed
        portal_return_url=Status.WARN,  # fail -> warn: still a problem
        key_accepted=Status.FAIL,  # pass -> fail: regressed
    )
    after = replace(
        after,
        checks=tuple(c for c in after.checks if c.id != "parity.test_live")
        + (CheckResult("customer.tax", "Customer tax IDs", Status.PASS, "Tax ID present."),),
    )
    old_id, new_id = store.save(before), store.save(after)
    changes = store.diff(old_id, new_id)
    by_id = {c.check_id: c for c in changes}
    assert set(by_id) == {"portal.products", "portal.return_url", "key.accepted",
                          "customer.tax", "parity.test_live"}
    assert by_id["portal.products"] == CheckChange(
        "portal.products", before.check("portal.products").title, Status.FAIL, Status.PASS)
    assert by_id["portal.products"].kind == "fixed"
    assert by_id["key.accepted"].kind == "regressed"
    assert by_id["portal.return_url"].kind == "changed"
    assert by_id["customer.tax"].kind == "new" and by_id["customer.tax"].old_status is None
    assert by_id["parity.test_live"].kind == "removed"
    assert by_id["parity.test_live"].new_status is None
    assert store.diff(new_id, new_id) == []


def test_update_notes_and_ticket(store: HistoryStore) -> None:
    run_id = store.save(sample_diagnosis())
    store.update_notes(run_id, f"Called back; key was {PLANTED_KEY}", "ZD-99")
    d = store.load(run_id)
    assert d.ticket == "ZD-99"
    assert d.notes == "Called back; key was sk_live_…6789"
    with pytest.raises(RunNotFound):
        store.update_notes(12345, "x", "y")
    with pytest.raises(RunNotFound):
        store.load(12345)


def test_a_planted_key_never_reaches_the_database_file(store: HistoryStore) -> None:
    d = planted_diagnosis()
    planted = Finding("key.works", subject=Subject("account", "acct_1", f"Shop {PLANTED_KEY}"),
                      seen=PLANTED_KEY, facts={"said": f"key {PLANTED_KEY}", "ids": [PLANTED_KEY]})
    checks = list(d.checks)
    checks[2] = replace(checks[2], findings=(*checks[2].findings, planted))
    run_id = store.save(replace(d, checks=tuple(checks)))
    store.update_notes(run_id, f"again {PLANTED_KEY}", PLANTED_KEY)
    files = [p for p in store.path.parent.iterdir() if p.name.startswith(store.path.name)]
    assert store.path in files
    for path in files:  # the database, its WAL and shared-memory files
        data = path.read_bytes()
        assert PLANTED_BODY.encode() not in data, path.name
        assert b"YWNjdF8xUGxhbnRlZFNlc3Npb24" not in data, path.name  # session link
    loaded = store.load(run_id)
    assert loaded.masked_key == "sk_live_…6789"
    kept = loaded.checks[2].findings[-1]
    assert kept.seen == kept.fact("ids")[0] == "sk_live_…6789" and "…6789" in kept.subject.name
    assert "[portal session link removed]" in (loaded.customer_query or "")


def test_emails_are_masked_unless_the_store_is_told_to_keep_them(tmp_path: Path) -> None:
    keep = HistoryStore(tmp_path / "keep.sqlite3", redaction=RedactionOptions(mask_emails=False))
    mask = HistoryStore(tmp_path / "mask.sqlite3")
    assert keep.load(keep.save(sample_diagnosis())).customer_query == "jane.doe@example.com"
    assert mask.load(mask.save(sample_diagnosis())).customer_query == "j***@example.com"
    assert b"jane.doe@example.com" not in (tmp_path / "mask.sqlite3").read_bytes()


_WRITER = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from assistant.store.history import HistoryStore
from assistant.report.sample import sample_diagnosis
store = HistoryStore(Path(sys.argv[1]))
d = sample_diagnosis()
store.save(d)
print("ready", flush=True)
while True:
    store.save(d)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
@pytest.mark.parametrize("delay", [0.05, 0.2, 0.45])
def test_killed_process_mid_save_leaves_a_readable_database(tmp_path: Path, delay: float) -> None:
    path = tmp_path / "history.sqlite3"
    proc = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path), str(ROOT)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read() if proc.stderr else ""
        time.sleep(delay)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    assert proc.returncode == -signal.SIGKILL

    store = HistoryStore(path)
    assert store.integrity_ok()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    runs = store.list_runs(limit=100_000)
    assert runs, "the run saved before 'ready' must survive"
    expected = stored_form(sample_diagnosis())
    for run in runs:
        assert run.total == len(check_ids())
        assert store.load(run.id) == expected
    # And the store still takes new runs after the crash.
    new_id = store.save(expected)
    assert store.list_runs(limit=1)[0].id == new_id


def test_store_default_path_is_reachable_from_the_class() -> None:
    assert HistoryStore.default_path() == default_path()
