"""The window's Ask Stripe, off the Qt thread: the asks planned from the last run and sent, all at
once, on the run controller's worker loop, through the same runner the `ask` command uses.

This object only schedules the work and reports by signal, so the window never waits on Stripe
or on the case history. One ask at a time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from assistant.ui.state.run_controller import RunController, one_line

if TYPE_CHECKING:
    import asyncio

    from assistant.diagnosis.ask_runner import AskRecorder
    from assistant.diagnosis.asks.model import AskInputs
    from assistant.diagnosis.run import DiagnosisRequest, RunOutcome

log = logging.getLogger(__name__)


class AskController(QObject):
    asked = Signal(object)  # AskRun: every flow's verdict
    failed = Signal(str)  # one sentence: nothing was sent (the asks cannot be made as given, or no history)
    busy_changed = Signal(bool)

    def __init__(self, runs: RunController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runs = runs
        self._job: Any = None
        self._waiting: asyncio.Future[Any] | None = None

    @property
    def busy(self) -> bool:
        return self._waiting is not None and not self._waiting.done()

    def ask(self, request: DiagnosisRequest, outcome: RunOutcome, inputs: AskInputs,
            recorder: Callable[[], AskRecorder]) -> bool:
        """Plan the asks from `outcome` (at most one read, of a configuration the run did not
        read) and send them; `recorder` (the case history's side) is made on the worker, where
        the history may still be opening. False (nothing happens) while asks are on their way."""
        import asyncio

        from assistant.diagnosis.ask_runner import AskRunner, Prepared
        from assistant.diagnosis.run import Diagnoser

        if self.busy:
            return False
        factory = self._runs.gateway_factory
        runner = AskRunner(Diagnoser(factory), factory)  # type: ignore[arg-type]

        async def work() -> Any:
            plan = await runner.replan(request, outcome, inputs)
            return await runner.ask(request, Prepared(outcome, plan), recorder())

        self._job = self._runs.worker.submit(work())
        self._waiting = asyncio.ensure_future(self._wait(self._job))
        self.busy_changed.emit(True)
        return True

    async def _wait(self, job: Any) -> None:
        import asyncio

        from assistant.diagnosis.asks.model import AskUsageError

        try:
            kind, value = await asyncio.shield(asyncio.wrap_future(job.future))
        except asyncio.CancelledError:  # the window is closing
            job.cancel()
            raise
        self.busy_changed.emit(False)
        if kind == "ok":
            self.asked.emit(value)
        elif kind == "error":
            log.warning("asking Stripe failed: %s", type(value).__name__)
            text = f"Nothing was sent: {value}" if isinstance(value, AskUsageError) else one_line(value)
            self.failed.emit(text.replace("Nothing was sent: nothing was sent", "Nothing was sent"))
