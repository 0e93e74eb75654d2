"""The window's guided-fix work, off the Qt thread: plan, apply, undo, wait for the owner's save.

Every piece runs on the run controller's worker loop (where the gateways live), through the
same fix runner the command line uses; this object only schedules it and reports by signal, so
the window never waits on Stripe or on the case history. One write (apply or undo) or one wait
at a time; a new plan replaces one still being made (only the newest is reported).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine, Mapping
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QObject, Signal

from assistant.ui.state.run_controller import RunController, one_line

if TYPE_CHECKING:
    import asyncio

    from assistant.account.snapshot import ModeCatalogue
    from assistant.diagnosis.fix_runner import FixRunner, Planned, Recorder, WritingGateway
    from assistant.diagnosis.fixes.model import Fix, FixInputs
    from assistant.diagnosis.run import DiagnosisRequest, RunOutcome
    from assistant.store.case_history import CaseHistory

log = logging.getLogger(__name__)

WAIT_SECONDS = 5.0  # how often the configuration is looked for while the owner saves
# The slots: a write, the newest plan, the owner's save, and settling the writes an earlier run
# left open (after each run: it reads only the history file, and never holds up a write).
WORK, PLAN, WAIT, SETTLE = "work", "plan", "wait", "settle"


class FixController(QObject):
    planned = Signal(object)  # Planned: the fixes for the outcome
    applied = Signal(object)  # Applied: what one apply did, and the diagnosis run again
    undone = Signal(object)  # Applied: what the undo did
    failed = Signal(str)  # one sentence: the piece of work could not be done (nothing was sent)
    busy_changed = Signal(bool)
    waiting_changed = Signal(bool)  # waiting for the owner to save the portal settings
    configuration_found = Signal()  # the default configuration exists now
    settled = Signal(object)  # list of intent_log.Resolution: writes an earlier run left open

    def __init__(self, runs: RunController, *, wait_seconds: float = WAIT_SECONDS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runs = runs
        self.wait_seconds = wait_seconds
        # slot -> (the job on the worker loop, the qasync task waiting for it)
        self._slots: dict[str, tuple[Any, asyncio.Future[Any]]] = {}
        self._catalogues: Mapping[str, ModeCatalogue] = {}

    def _running(self, slot: str) -> bool:
        found = self._slots.get(slot)
        return found is not None and not found[1].done()

    @property
    def busy(self) -> bool:
        """A write (apply or undo) is under way."""
        return self._running(WORK)

    @property
    def waiting(self) -> bool:
        return self._running(WAIT)

    def runner(self) -> FixRunner:
        from assistant.diagnosis.fix_runner import FixRunner
        from assistant.diagnosis.run import Diagnoser

        factory = self._runs.gateway_factory
        # The window's gateways (StripeGateway, or one to the practice server) make the writes too.
        writing = cast("Callable[..., WritingGateway]", factory)
        return FixRunner(Diagnoser(factory), writing)

    # -- the pieces of work --------------------------------------------------------------------
    def plan(self, request: DiagnosisRequest, outcome: RunOutcome, inputs: FixInputs | None = None) -> bool:
        """The fixes for `outcome` (the other mode's catalogue is read only for the test/live copy)."""
        runner = self.runner()

        async def work() -> Planned:
            self._catalogues = await runner.catalogues(request, outcome)
            return runner.replan(outcome, inputs, self._catalogues)

        return self._start(PLAN, work(), self.planned.emit)

    def replan(self, outcome: RunOutcome, inputs: FixInputs) -> Planned:
        """The plan again for what the agent typed: pure, no request, fine on the Qt thread."""
        return self.runner().replan(outcome, inputs, self._catalogues)

    def apply(self, request: DiagnosisRequest, planned: Planned, fix: Fix, recorder: Recorder,
              idempotency_key: str) -> bool:
        runner = self.runner()
        work = runner.apply(request, planned, [fix], recorder, idempotency_keys={fix.id: idempotency_key})
        return self._start(WORK, work, self.applied.emit)

    def undo(self, request: DiagnosisRequest, change_id: str, store: CaseHistory, recorder: Recorder,
             idempotency_key: str) -> bool:
        """Read the recorded fix from the history and put its fields back (all on the worker)."""
        from assistant.diagnosis.fixes.undo import UndoRefused
        from assistant.store.fix_log import FixLog

        runner = self.runner()

        async def work() -> Any:
            recorded = FixLog(store).batch(change_id)
            if any(c.undone_by for c in recorded):
                raise UndoRefused("that fix was undone already.")
            return await runner.undo(request, recorded, recorder, idempotency_key=idempotency_key)

        return self._start(WORK, work(), self.undone.emit)

    def settle(self, outcome: RunOutcome, store: Callable[[], CaseHistory]) -> bool:
        """Settle, by what this run read, the writes an earlier run of this computer left open
        (the process was killed, the answer was lost): recorded when Stripe made them, dropped
        when not. `store` is asked for on the worker (the history may still be opening)."""
        from assistant.store.intent_log import settle_open_intents

        if self.busy:
            return False  # this window's own write is in flight: the next run settles what is open

        async def work() -> list[Any]:
            return settle_open_intents(store(), (outcome.snapshot, outcome.other))

        return self._start(SETTLE, work(), self.settled.emit)

    def wait_for_configuration(self, request: DiagnosisRequest) -> bool:
        """Look for the default configuration every `wait_seconds` until the owner has saved the
        portal settings (`configuration_found`) or `stop_waiting` is called."""
        import asyncio

        from assistant.account.snapshot import default_configuration

        factory, every = self._runs.gateway_factory, self.wait_seconds

        async def work() -> None:
            from assistant.diagnosis.run import gateway_for

            while True:
                gateway = gateway_for(factory, request.key, request.connected_account)
                try:
                    found = default_configuration(await gateway.default_portal_configuration())
                except Exception as err:  # a failed look is retried: the owner may still be saving
                    log.info("looking for the configuration failed: %s", type(err).__name__)
                    found = None
                finally:
                    await gateway.aclose()
                if found is not None:
                    return
                await asyncio.sleep(every)

        return self._start(WAIT, work(), lambda _none: self.configuration_found.emit())

    def stop_waiting(self) -> None:
        found = self._slots.get(WAIT)
        if found is not None and not found[1].done():
            found[0].cancel()

    # -- scheduling ----------------------------------------------------------------------------
    def _start(self, slot: str, coro: Coroutine[Any, Any, Any], done: Callable[[Any], Any]) -> bool:
        import asyncio

        if slot in (PLAN, SETTLE):
            old = self._slots.get(slot)
            if old is not None and not old[1].done():
                old[0].cancel()  # superseded: its answer is dropped
        elif self.busy or self.waiting:
            coro.close()
            return False
        job = self._runs.worker.submit(coro)
        self._slots[slot] = (job, asyncio.ensure_future(self._wait(slot, job, done)))
        if slot == WORK:
            self.busy_changed.emit(True)
        elif slot == WAIT:
            self.waiting_changed.emit(True)
        return True

    async def _wait(self, slot: str, job: Any, done: Callable[[Any], Any]) -> None:
        import asyncio

        from assistant.diagnosis.fixes.undo import UndoRefused

        try:
            kind, value = await asyncio.shield(asyncio.wrap_future(job.future))
        except asyncio.CancelledError:  # the window is closing
            job.cancel()
            raise
        current = self._slots.get(slot)
        if current is None or current[0] is not job:
            return  # a plan made stale by a newer one
        del self._slots[slot]
        if slot == WORK:
            self.busy_changed.emit(False)
        elif slot == WAIT:
            self.waiting_changed.emit(False)
        if kind == "ok":
            done(value)
        elif kind == "error":
            log.warning("fix work failed: %s", type(value).__name__)
            self.failed.emit(f"Nothing was sent: {value}" if isinstance(value, UndoRefused) else one_line(value))
