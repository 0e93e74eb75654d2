"""What an ask leaves in the case history: the sessions announced before they are sent (a
write-ahead intent closed when Stripe answers), each flow's verdict as a row shared with the
team, never a session URL; an ask killed mid-flight is closed by the next run of its account."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from support.ask_cli import SESSIONS, ask_cli
from support.practice import diagnoser_for, practice, scenario_request
from support.team import team_rows

from assistant.account.gateway import StripeGateway
from assistant.diagnosis.ask_runner import AskRunner
from assistant.diagnosis.asks.model import AskInputs
from assistant.diagnosis.checks.ask_codes import ASK_FEATURE_OFF
from assistant.store.ask_log import AskLog
from assistant.store.history import HistoryStore, default_path
from assistant.store.intent_log import CLOSED, settle_open_intents, waiting_elsewhere
from assistant.store.opening import open_history
from assistant.store.records import ASK_INTENT, DONE
from assistant.store.team import TeamHistory

ROOT = Path(__file__).resolve().parents[1]


def test_the_verdicts_are_kept_per_flow_and_the_intent_closed_with_the_count() -> None:
    with practice("deep_link_plan_switching_off") as (_scenario, server):
        result = ask_cli([], server)
    assert result.code == 1
    store = HistoryStore(default_path())
    kept = store.asks()
    assert sorted((a.flow, a.outcome) for a in kept) == [
        ("payment_method_update", "accepted"), ("subscription_cancel", "accepted"),
        ("subscription_update", "refused")]
    refused = next(a for a in kept if a.outcome == "refused")
    assert refused.finding_code == ASK_FEATURE_OFF and refused.predicted == "refused"
    assert refused.stripe_error and "subscription update feature" in refused.stripe_error["message"]
    assert len({a.batch_uid for a in kept}) == 1 and all(a.run_uid for a in kept)
    assert store.list_runs()[0].run_uid == kept[0].run_uid  # the run the asks were planned from
    assert store.open_intents() == []
    with store.engine.connect() as conn:
        intents = conn.exec_driver_sql("SELECT kind, state, path, note, detail_json FROM intents").all()
    assert [(k, s, p) for k, s, p, _n, _d in intents] == [(ASK_INTENT, DONE, SESSIONS)]
    assert intents[0][3] == "2 portal sessions created, 1 refused, 0 not answered"
    assert '"count": 3' in intents[0][4] and "url" not in intents[0][4].lower()


def test_an_ask_killed_in_flight_is_closed_by_the_next_run_and_never_named_as_a_change() -> None:
    with practice("healthy") as (scenario, server):
        server.inject_fault(SESSIONS, kind="held", delay=60, method="POST", times=10)
        env = {**os.environ, "STRIPE_API_KEY": scenario.primary_key}
        proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "ask", "--customer", str(scenario.customer),
                                 "--api-base", server.base_url], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, cwd=ROOT)
        try:
            end = time.monotonic() + 30
            while len(server.write_attempts) < 3:
                assert time.monotonic() < end, "the asks were never sent"
                time.sleep(0.02)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=30)
        server.clear_faults()
        store = HistoryStore(default_path())
        [left] = store.open_intents()
        assert left.kind == ASK_INTENT and waiting_elsewhere(store) == []
        after = asyncio.run(diagnoser_for(server).run_full(scenario_request(scenario)))
    [closed] = settle_open_intents(store, (after.snapshot,))
    assert closed.outcome == CLOSED and store.open_intents() == []
    assert "cannot be read back" in closed.sentence and "nothing to undo" in closed.sentence
    assert "3 portal flows for cus_6xSYYFpYc5wPHe" in closed.sentence


def test_the_answers_reach_the_team_database(tmp_path: Path, team_db: str) -> None:
    team = open_history(team_db, agent="sam", local_path=tmp_path / "local.sqlite3")
    assert isinstance(team, TeamHistory)
    with practice("features_off") as (scenario, server):
        def make(key: str, *, connected_account: str | None = None) -> StripeGateway:
            return StripeGateway(key, api_base=server.base_url, connected_account=connected_account)

        runner = AskRunner(diagnoser_for(server), make)
        request = scenario_request(scenario)

        async def ask() -> None:
            prepared = await runner.prepare(request, AskInputs(customer=str(scenario.customer)))
            run_uid = team.run_uid(team.save(prepared.outcome.diagnosis, deliver=False))
            await runner.ask(request, prepared, AskLog(team, run_uid=run_uid, deliver=True))

        asyncio.run(ask())
    assert team.sharing().pending == 0
    assert team_rows(team_db, "SELECT flow, outcome, finding_code FROM asks ORDER BY id") == [
        ("payment_method_update", "refused", ASK_FEATURE_OFF), ("subscription_cancel", "refused", ASK_FEATURE_OFF),
        ("subscription_update", "refused", ASK_FEATURE_OFF)]
    team.close()
    alex = open_history(team_db, agent="alex", local_path=tmp_path / "alex.sqlite3")  # a colleague's computer
    assert [(a.agent, a.flow) for a in alex.asks(str(scenario.account["id"]))][:1] == [("sam", "payment_method_update")]
    assert alex.list_runs()[0].asks == {"refused": 3}  # the colleague's listing says Stripe refused
    alex.close()


def test_a_saved_runs_report_lists_what_stripe_said_from_the_history() -> None:
    """The History window's report of a run: its asks, read back from the case history."""
    from assistant.report.asked import asked_lines
    from assistant.store.ask_log import asked

    with practice("deep_link_plan_switching_off") as (_scenario, server):
        assert ask_cli([], server).code == 1
    lines = asked_lines(asked(HistoryStore(default_path()).asks()))
    assert lines[0].endswith(" UTC: Update the payment method: Stripe opens it")  # when it was asked, first
    assert ("Plan change of sub_1Prcj5Ad0gKHaMyQU7OdrZIP: Stripe refuses — Stripe refuses the plan-change deep "
            "link") in lines[2]
    assert 'Stripe said: "This subscription cannot be updated because the subscription update feature' in lines[2]


def test_the_listing_says_what_stripe_refused_beside_the_checks(capsys) -> None:
    """A run whose checks all passed but whose asks Stripe refused is not listed as a clean run:
    `history` and the History window's list say the refusal beside the counts."""
    from assistant.cli.history import run_history
    from assistant.store.summaries import run_line

    with practice("ask_already_cancelling") as (_scenario, server):
        assert ask_cli([], server).code == 1
    store = HistoryStore(default_path())
    [run] = store.list_runs()
    assert run.counts["fail"] == 0 and run.asks == {"accepted": 2, "refused": 1}
    assert run_line(run, []).endswith("no problems · Stripe refused 1 flow")
    assert run_history(None, "text", store, sys.stdout) == 0
    row = capsys.readouterr().out.splitlines()[2]
    assert "15 PASS, 1 SKIP; Stripe refused 1 flow" in row
    assert run_history(None, "json", store, sys.stdout) == 0
    assert json.loads(capsys.readouterr().out)["runs"][0]["asks"] == {"accepted": 2, "refused": 1, "error": 0}
