"""The window's fix work runs on the run controller's worker thread and reports by signal:
plan, apply, undo and the wait for the owner's save, over real HTTP to practice accounts."""

from __future__ import annotations

import asyncio
import threading

import pytest
import shiboken6
from support.practice import practice
from support.window import until

from assistant.account.gateway import StripeGateway
from assistant.diagnosis.run import DiagnosisRequest
from assistant.store.fix_log import FixLog
from assistant.store.history import HistoryStore
from assistant.ui.fix.controller import FixController
from assistant.ui.state.run_controller import RunController


class Caught:
    def __init__(self) -> None:
        self.values: list[object] = []
        self.threads: list[str] = []

    def __call__(self, value: object = None) -> None:
        self.values.append(value)
        self.threads.append(threading.current_thread().name)


@pytest.fixture
def made():
    objects: list[RunController] = []
    yield objects
    for runs in objects:
        runs.shutdown()
        shiboken6.delete(runs)


def controllers(server, made, **kw) -> tuple[RunController, FixController]:
    runs = RunController(lambda key: StripeGateway(key, api_base=server.base_url))
    made.append(runs)
    return runs, FixController(runs, **kw)


async def test_plan_apply_and_undo_come_back_as_signals_on_the_qt_thread(qtbot, tmp_path, made) -> None:
    with practice("archived_product") as (scenario, server):
        runs, fixes = controllers(server, made)
        request = DiagnosisRequest(key=scenario.primary_key)
        outcome = await fixes.runner().diagnoser.run_full(request)  # what the window's run gives
        planned, applied, undone = Caught(), Caught(), Caught()
        fixes.planned.connect(planned)
        fixes.applied.connect(applied)
        fixes.undone.connect(undone)
        assert fixes.plan(request, outcome)
        await until(lambda: bool(planned.values), what="the plan")
        plan = planned.values[0]
        fix = plan.plan.for_check("portal.products")[0]  # the first choice: restore the archived product
        store = HistoryStore(tmp_path / "h.sqlite3", agent="test")
        assert fixes.apply(request, plan, fix, FixLog(store), "key-1")
        assert not fixes.apply(request, plan, fix, FixLog(store), "key-2")  # one piece at a time
        await until(lambda: bool(applied.values), what="the apply")
        done = applied.values[0].outcomes[0]
        assert done.status == "applied" and done.took_effect and done.check.status.value == "pass"
        assert server.writes == [("POST", fix.requests[0].path, "key-1")]
        assert fixes.undo(request, done.change_id, store, FixLog(store), "key-3")
        await until(lambda: bool(undone.values), what="the undo")
        assert undone.values[0].outcomes[0].took_effect
        assert undone.values[0].after.diagnosis.check("portal.products").status.value == "fail"
        assert {*planned.threads, *applied.threads, *undone.threads} == {threading.main_thread().name}


async def test_waiting_for_the_owners_save_stops_when_the_configuration_appears(qtbot, made) -> None:
    with practice("portal_never_saved") as (scenario, server):
        runs, fixes = controllers(server, made, wait_seconds=0.05)
        found, waiting = Caught(), Caught()
        fixes.configuration_found.connect(found)
        fixes.waiting_changed.connect(waiting)
        assert fixes.wait_for_configuration(DiagnosisRequest(key=scenario.primary_key))
        await until(lambda: len(server.request_log) >= 3, what="a few looks")
        assert fixes.waiting and not found.values
        # The owner presses Save in the Dashboard: the default configuration exists.
        conf = dict(server.scenario.templates["billing_portal.configuration"], id="bpc_saved", is_default=True,
                    active=True)
        server.store.put("test", "configurations", conf)
        await until(lambda: bool(found.values), what="the configuration to be found")
        assert waiting.values == [True, False] and not fixes.waiting


async def test_the_agent_can_stop_waiting(qtbot, made) -> None:
    with practice("portal_never_saved") as (scenario, server):
        runs, fixes = controllers(server, made, wait_seconds=0.05)
        found, waiting = Caught(), Caught()
        fixes.configuration_found.connect(found)
        fixes.waiting_changed.connect(waiting)
        fixes.wait_for_configuration(DiagnosisRequest(key=scenario.primary_key))
        await until(lambda: len(server.request_log) >= 2, what="a look")
        fixes.stop_waiting()
        await until(lambda: not fixes.waiting, what="the wait to stop")
        seen = len(server.request_log)
        assert waiting.values == [True, False] and not found.values
        await asyncio.sleep(0.2)
        assert len(server.request_log) == seen
