"""Issue 21, item 2: every write is recorded before it is sent, and one left open (the process
was killed while its POST was in flight, or every answer was lost) is settled at the next start
by reading the object: a write Stripe made becomes a recorded, undoable change; the agent is
told either way, and a lost answer never reads "Nothing was changed"."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from support.fix_cli import fix_cli
from support.practice import practice

from assistant.practice import PracticeServer
from assistant.store.history import HistoryStore, default_path

ROOT = Path(__file__).resolve().parents[1]
RETURN_URL = "https://app.practice.example/billing"
CONFIG = "/v1/billing_portal/configurations/"


def main_py(*argv: str, server: PracticeServer) -> subprocess.Popen[str]:
    env = {**os.environ, "STRIPE_API_KEY": server.scenario.primary_key}
    return subprocess.Popen([sys.executable, str(ROOT / "main.py"), *argv, "--api-base", server.base_url],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)


def return_url_of(server: PracticeServer) -> object:
    [conf] = [c for c in server.store.objects("test", "configurations") if c.get("is_default")]
    return conf.get("default_return_url")


def until(condition, seconds: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.02)


def killed_while_in_flight(server: PracticeServer, *argv: str) -> None:
    """Run `main.py ARGV`, and SIGKILL it once the practice server has carried out its write
    (the answer is being held back, as a slow network would)."""
    writes = len(server.writes)
    server.inject_fault(CONFIG, kind="held", delay=60, method="POST")
    proc = main_py(*argv, server=server)
    try:
        until(lambda: len(server.writes) > writes)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
    server.clear_faults()


def test_a_fix_killed_while_its_post_is_in_flight_is_recorded_and_undoable_at_the_next_start() -> None:
    with practice("no_return_url") as (_, server):
        killed_while_in_flight(server, "fix", "--apply", "portal.return_url", "--return-url", RETURN_URL, "--yes")
        assert return_url_of(server) == RETURN_URL  # Stripe made the change; the process died before the answer

        code, out, err = fix_cli([], server)  # the next command: here, the plan
        assert code == 0 and "Nothing to fix" in out
        assert "left open when the assistant stopped while writing" in err and "It was made" in err
        [change] = HistoryStore(default_path()).changes()
        assert change.after == RETURN_URL and change.before is None
        assert f"main.py fix --undo {change.change_uid} --yes" in err

        code, out, err = fix_cli(["--undo", change.change_uid, "--yes"], server)
        assert code == 0, out + err
        assert not return_url_of(server)


def test_an_undo_killed_while_its_post_is_in_flight_is_recorded_at_the_next_start() -> None:
    with practice("no_return_url") as (_, server):
        code, out, _ = fix_cli(["--apply", "portal.return_url", "--return-url", RETURN_URL, "--yes",
                                "--format", "json"], server)
        change_id = json.loads(out)["applied"][0]["change_id"]
        killed_while_in_flight(server, "fix", "--undo", change_id, "--yes")
        assert not return_url_of(server)

        code, out, err = fix_cli(["--undo", change_id, "--yes"], server)  # the agent tries again
        assert code == 2 and "already undone" in err, err
        assert "left open" in err and "It was made" in err
        assert HistoryStore(default_path()).change(change_id).undone_by


def test_a_write_that_never_reached_stripe_is_dropped_and_said() -> None:
    """Killed after the intent was written, before the request left: nothing changed; the next
    command says so (once the request can no longer be on its way) and the plan offers the fix."""
    from assistant.store import intent_log

    with practice("no_return_url") as (_, server):
        server.inject_fault(CONFIG, kind="status", status=500, times=10, method="POST")
        code, out, err = fix_cli(["--apply", "portal.return_url", "--return-url", RETURN_URL, "--yes"], server)
        assert code == 1 and "may have been changed — checked" in out and "it was not made" in out
        assert "Nothing was changed" not in out
        store = HistoryStore(default_path())
        assert store.open_intents() == [] and store.changes() == []

        # The same write as a killed process would leave it: open, the request never sent.
        old = intent_log.IN_FLIGHT_S
        intent_log.IN_FLIGHT_S = 0.0
        try:
            _leave_open(store, server)
            code, out, err = fix_cli([], server)
        finally:
            intent_log.IN_FLIGHT_S = old
        assert "It was not made" in err and "portal.return_url.set_default" in out
        assert store.open_intents() == []


def _leave_open(store: HistoryStore, server: PracticeServer) -> None:
    from assistant.diagnosis.fixes.model import FieldChange, Fix, Request
    from assistant.store.fix_log import FixLog

    [conf] = [c for c in server.store.objects("test", "configurations") if c.get("is_default")]
    fix = Fix(id="portal.return_url.set_default", check="portal.return_url", title="Set it", kind="api",
              mode="test", summary="", requests=(Request("POST", CONFIG + conf["id"], {}),),
              changes=(FieldChange(conf["id"], "default_return_url", None, RETURN_URL),))
    FixLog(store).intend(fix, account_id=server.scenario.account["id"], masked_key="sk_test_…4242",
                         idempotency_key="k-1")


def test_every_lost_answer_after_a_write_says_what_reading_it_back_showed() -> None:
    """Stripe carried the write out and every retry's answer was lost: the app reads the object
    and records the change; it never says "Nothing was changed"."""
    with practice("no_return_url") as (_, server):
        server.inject_fault(CONFIG, kind="lost", status=500, times=3, method="POST")
        code, out, _ = fix_cli(["--apply", "portal.return_url", "--return-url", RETURN_URL, "--yes",
                                "--format", "json"], server)
        [applied] = json.loads(out)["applied"]
        assert applied["status"] == "applied" and applied["answer_lost"] and applied["change_id"]
        assert "holds https://app.practice.example/billing" in applied["checked"]
        assert return_url_of(server) == RETURN_URL and code == 0
        code, out, _ = fix_cli(["--undo", applied["change_id"], "--yes"], server)
        assert code == 0 and not return_url_of(server)


def test_a_dropped_connection_after_a_created_endpoint_finds_it_by_reading() -> None:
    with practice("no_webhooks") as (_, server):
        server.inject_fault("/v1/webhook_endpoints", kind="dropped", times=3, method="POST")
        code, out, _ = fix_cli(["--apply", "webhooks.events", "--webhook-url", "https://app.practice.example/hooks",
                                "--yes", "--format", "json"], server)
        [applied] = json.loads(out)["applied"]
        assert applied["status"] == "applied" and applied["answer_lost"], out
        [endpoint] = server.store.objects("test", "webhook_endpoints")
        assert endpoint["id"] in applied["checked"]
        code, _, err = fix_cli(["--undo", applied["change_id"], "--yes"], server)
        assert code == 0, err
        assert server.store.objects("test", "webhook_endpoints") == []


def test_intents_are_stored_without_the_key(tmp_path: Path) -> None:
    with practice("no_return_url") as (scenario, server):
        killed_while_in_flight(server, "fix", "--apply", "portal.return_url", "--return-url", RETURN_URL, "--yes")
        key = scenario.primary_key
    with sqlite3.connect(default_path()) as db:
        rows = db.execute("SELECT * FROM intents").fetchall()
    assert rows and key not in repr(rows) and key.split("_", 2)[2] not in repr(rows)


def test_a_detail_holding_a_key_is_refused_and_nothing_is_sent() -> None:
    with practice("no_return_url") as (scenario, server):
        code, out, _ = fix_cli(["--apply", "portal.return_url", "--return-url",
                                f"https://app.practice.example/?k={scenario.primary_key}", "--yes"], server)
    assert code != 0
    assert server.writes == []


def test_history_names_writes_still_open() -> None:
    with practice("no_return_url") as (_, server):
        _leave_open(HistoryStore(default_path()), server)
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "history"], capture_output=True, text=True,
                          cwd=ROOT, env=dict(os.environ), timeout=60)
    assert proc.returncode == 0
    assert "1 change on acct_" in proc.stderr and "left open" in proc.stderr


def test_a_write_settled_meanwhile_by_another_process_is_recorded_once() -> None:
    """The window settled this write (it read the new value) while the process that sent it
    was still waiting for the answer; when the answer comes, that process records nothing new."""
    from assistant.diagnosis.fixes.model import FieldChange, Fix, Request
    from assistant.store.fix_log import FixLog

    store = HistoryStore(default_path())
    fix = Fix(id="portal.return_url.set_default", check="portal.return_url", title="Set it", kind="api",
              mode="test", summary="", requests=(Request("POST", CONFIG + "bpc_1", {}),),
              changes=(FieldChange("bpc_1", "default_return_url", None, RETURN_URL),))
    log = FixLog(store)
    intent = log.intend(fix, account_id="acct_1", masked_key="sk_test_…4242", idempotency_key="k-2")
    found = log.record(fix, fix.changes, (), account_id="acct_1", intent=intent, intent_state="found")
    answered = log.record(fix, fix.changes, ("req_1",), account_id="acct_1", intent=intent)
    assert answered == found and len(store.changes()) == 1
