"""The window's guided-fix work, off the Qt thread: plan, apply, undo, wait for the owner's save.

Every piece runs on the run controller's worker loop (where the gateways live), through the
same fix runner the command line uses; this object only schedules it and reports by signal, so
the window never waits on Stripe or on the case history. One piece at a time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine, Mapping
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QObject, Signal

from assistant.ui.controller import RunController, one_line

if TYPE_CHECKING:
    import asyncio

    from assistant.account.snapshot import ModeCatalogue
    from assistant.diagnosis.fix_runner import FixRunner, Planned, Recorder, WritingGateway
    from assistant.diagnosis.fixes.model import Fix, FixInputs
    from assistant.diagnosis.run import DiagnosisRequest, RunOutcome

log = logging.getLogger(__name__)

WAIT_SECONDS = 5.0  # how often the configuration is looked for while the owner saves


class FixController(QObject):
    planned = Signal(object)  # Planned: the fixes for the outcome
    applied = Signal(object)  # Applied: what one apply did, and the diagnosis run again
    undone = Signal(object)  # Applied: what the undo did
    failed = Signal(str)  # one sentence: the piece of work could not be done (nothing was sent)
    busy_changed = Signal(bool)
    waiting_changed = Signal(bool)  # waiting for the owner to save the portal settings
    configuration_found = Signal()  # the default configuration exists now

    def __init__(self, runs: RunController, *, wait_seconds: float = WAIT_SECONDS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runs = runs
        self.wait_seconds = wait_seconds
        self._task: asyncio.Future[Any] | None = None
        self._job: Any = None
        self._waiting = False
        self._catalogues: Mapping[str, ModeCatalogue] = {}

    @property
    def busy(self) -> bool:
        return self._task is not None and not self._task.done()

    @property
    def waiting(self) -> bool:
        return self._waiting

    def runner(self) -> FixRunner:
        from assistant.diagnosis.fix_runner import FixRunner
        from assistant.diagnosis.run import Diagnoser

        factory = self._runs.gateway_factory
        # The window's gateways (StripeGateway, or one to the practice server) make the writes too.
        writing = cast("Callable[[str], WritingGateway]", factory)
        return FixRunner(Diagnoser(factory), writing)

    # -- the pieces of work --------------------------------------------------------------------
    def plan(self, request: DiagnosisRequest, outcome: RunOutcome, inputs: FixInputs | None = None) -> bool:
        """The fixes for `outcome` (the other mode's catalogue is read only for the test/live copy)."""
        runner = self.runner()

        async def work() -> Planned:
            self._catalogues = await runner.catalogues(request, outcome)
            return runner.replan(outcome, inputs, self._catalogues)

        return self._start(work(), self.planned.emit, busy=False)

    def replan(self, outcome: RunOutcome, inputs: FixInputs) -> Planned:
        """The plan again for what the agent typed: pure, no request, fine on the Qt thread."""
        return self.runner().replan(outcome, inputs, self._catalogues)

    def apply(self, request: DiagnosisRequest, planned: Planned, fix: Fix, recorder: Recorder,
              idempotency_key: str) -> bool:
        runner = self.runner()
        work = runner.apply(request, planned, [fix], recorder, idempotency_keys={fix.id: idempotency_key})
        return self._start(work, self.applied.emit)

    def undo(self, request: DiagnosisRequest, change_id: str, store: Any, recorder: Recorder,
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

        return self._start(work(), self.undone.emit)

    def wait_for_configuration(self, request: DiagnosisRequest) -> bool:
        """Look for the default configuration every `wait_seconds` until the owner has saved the
        portal settings (`configuration_found`) or `stop_waiting` is called."""
        import asyncio

        from assistant.account.snapshot import default_configuration

        factory, every = self._runs.gateway_factory, self.wait_seconds

        async def work() -> None:
            while True:
                gateway = factory(request.key)
                try:
                    found = default_configuration(await gateway.portal_configurations())
                except Exception as err:  # a failed look is retried: the owner may still be saving
                    log.info("looking for the configuration failed: %s", type(err).__name__)
                    found = None
                finally:
                    await gateway.aclose()
                if found is not None:
                    return
                await asyncio.sleep(every)

        started = self._start(work(), lambda _none: self.configuration_found.emit(), busy=False)
        if started:
            self._set_waiting(True)
        return started

    def stop_waiting(self) -> None:
        if self._waiting and self._job is not None:
            self._job.cancel()

    def _set_waiting(self, waiting: bool) -> None:
        if waiting != self._waiting:
            self._waiting = waiting
            self.waiting_changed.emit(waiting)

    # -- scheduling ----------------------------------------------------------------------------
    def _start(self, coro: Coroutine[Any, Any, Any], done: Callable[[Any], Any], *, busy: bool = True) -> bool:
        import asyncio

        if self.busy:
            coro.close()
            return False
        self._job = self._runs.worker.submit(coro)
        self._task = asyncio.ensure_future(self._wait(self._job, done, busy))
        if busy:
            self.busy_changed.emit(True)
        return True

    async def _wait(self, job: Any, done: Callable[[Any], Any], busy: bool) -> None:
        import asyncio

        from assistant.diagnosis.fixes.undo import UndoRefused

        try:
            kind, value = await asyncio.shield(asyncio.wrap_future(job.future))
        except asyncio.CancelledError:  # the window is closing
            job.cancel()
            raise
        self._task = None
        self._job = None
        if busy:
            self.busy_changed.emit(False)
        self._set_waiting(False)
        if kind == "ok":
            done(value)
        elif kind == "error":
            log.warning("fix work failed: %s", type(value).__name__)
            self.failed.emit(f"Nothing was sent: {value}" if isinstance(value, UndoRefused) else one_line(value))
