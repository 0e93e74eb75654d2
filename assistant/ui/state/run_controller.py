"""Runs Stripe work for the window and reports by signals.

Nothing here blocks the Qt thread: `start` and `open_portal` schedule a Task and return at
once. Views only listen to signals, so a test can drive the controller with a stub gateway.

The Stripe work itself (building the HTTP client and its TLS context, parsing responses into
Stripe objects, running the checks) happens on an asyncio loop of its own in a worker thread,
so a big account never freezes the window for longer than a GIL switch; the qasync loop only
waits for the result.
"""

from __future__ import annotations

import concurrent.futures
import gc
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from assistant.account.errors import GatewayError, scrub
from assistant.account.keys import classify_key

# asyncio (~60 ms to import) is imported inside the functions that run on a loop: the window
# paints before any loop exists (see ui/app.py), and this module is needed to draw it.
if TYPE_CHECKING:  # the diagnosis is imported on the first run, not to draw the window
    import asyncio

    from assistant.diagnosis.run import (
        ClosableGateway,
        Diagnoser,
        DiagnosisRequest,
        GatewayFactory,
        ReadingGatewayFactory,
    )

    DiagnoserFactory = Callable[[ReadingGatewayFactory], Diagnoser]

log = logging.getLogger(__name__)

POLL_MS = 100
DEFAULT_RUN_TIMEOUT = 30.0  # = diagnosis.model.DEFAULT_RUN_TIMEOUT (not imported to draw the window)
WARM_UP_KEY = "sk_test_warmup_0000"


def default_diagnoser(factory: ReadingGatewayFactory) -> Diagnoser:
    from assistant.diagnosis.run import Diagnoser

    return Diagnoser(factory)


GC_CHECK_MS = 100


class MainThreadCollector(QObject):
    """Run Python's cyclic garbage collector on the Qt thread only.

    Stripe answers are parsed on the worker thread, and the collector normally runs on whichever
    thread happens to allocate; a Qt object caught in a reference cycle would then be destroyed
    from the worker ("Timers cannot be stopped from another thread", or a crash). So automatic
    collection is off and this timer collects, with the interpreter's own thresholds, on the Qt
    thread.
    """

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(GC_CHECK_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> None:
        counts = gc.get_count()
        if counts[0] <= self._thresholds[0]:
            return
        generation = 0
        if counts[1] > self._thresholds[1]:
            generation = 2 if counts[2] > self._thresholds[2] else 1
        gc.collect(generation)


def install_main_thread_gc() -> None:
    """Once per process, when there is a Qt application to own the timer."""
    app = QCoreApplication.instance()
    if app is not None and app.findChild(MainThreadCollector) is None:
        MainThreadCollector(app)


class _Job:
    """One coroutine running on the worker loop; `future` resolves to (kind, value) with kind
    "ok", "error" or "cancelled", only once the coroutine has really ended (torn down)."""

    def __init__(self, loop: asyncio.AbstractEventLoop, coro: Coroutine[Any, Any, Any]) -> None:
        self.future: concurrent.futures.Future[tuple[str, Any]] = concurrent.futures.Future()
        self._loop = loop
        self._task: asyncio.Task[Any] | None = None
        self._cancel_asked = False
        self._coro = coro
        loop.call_soon_threadsafe(self._begin, coro)

    def _begin(self, coro: Coroutine[Any, Any, Any]) -> None:
        self._task = self._loop.create_task(_guarded(coro))
        self._task.add_done_callback(self._done)
        if self._cancel_asked:
            self._task.cancel()

    def _done(self, task: asyncio.Task[Any]) -> None:
        if self.future.done():
            return
        if task.cancelled():
            self._coro.close()  # cancelled before it began: never awaited, so close it here
            self.future.set_result(("cancelled", None))
        elif task.exception() is not None:
            self.future.set_result(("error", task.exception()))
        else:
            self.future.set_result(task.result())

    def cancel(self) -> None:
        self._loop.call_soon_threadsafe(self._cancel)

    def _cancel(self) -> None:
        self._cancel_asked = True
        if self._task is not None:
            self._task.cancel()


async def _guarded(coro: Awaitable[Any]) -> tuple[str, Any]:
    import asyncio
    try:
        return "ok", await coro
    except asyncio.CancelledError:
        return "cancelled", None
    except Exception as err:
        return "error", err


class WorkerLoop:
    """An asyncio loop in a daemon thread: where the gateways live and Stripe answers are parsed."""

    def __init__(self) -> None:
        import asyncio
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._serve, name="stripe-worker", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        import asyncio
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_forever()
        finally:
            self._loop.close()

    def submit(self, coro: Coroutine[Any, Any, Any]) -> _Job:
        return _Job(self._loop, coro)

    def stop(self) -> None:
        """Cancel what is running, let it tear down (close its HTTP clients), then stop."""
        import asyncio

        async def wind_down() -> None:
            me = asyncio.current_task()
            tasks = [t for t in asyncio.all_tasks() if t is not me]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self._loop.stop()

        if self._loop.is_running() and not self._loop.is_closed():
            asyncio.run_coroutine_threadsafe(wind_down(), self._loop)


def one_line(err: BaseException) -> str:
    """What the agent reads when a run dies: one scrubbed sentence, never a traceback."""
    if isinstance(err, GatewayError):
        text = err.summary
    else:
        text = f"The checks stopped because of a problem inside the assistant ({type(err).__name__})."
    first = (text or "").strip().splitlines()[0] if text and text.strip() else "The checks stopped."
    return scrub(first)


class RunController(QObject):
    """One diagnosis at a time, plus the app's single write (a portal session)."""

    started = Signal()
    finished = Signal(object)  # RunOutcome
    failed = Signal(str)
    cancelled = Signal()
    busy_changed = Signal(bool)
    activity = Signal(int)  # requests sent so far in this run, polled while busy
    portal_ready = Signal(str)  # the portal session URL
    portal_failed = Signal(str, object)  # one line, and Stripe's own words (StripeErrorInfo) when it refused

    def __init__(
        self,
        gateway_factory: GatewayFactory,
        diagnoser_factory: DiagnoserFactory | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._gateway_factory = gateway_factory
        self._diagnoser_factory = diagnoser_factory or default_diagnoser
        self._worker: WorkerLoop | None = None
        self._job: _Job | None = None
        self._task: asyncio.Future[Any] | None = None
        self._portal_task: asyncio.Future[Any] | None = None
        self._gateways: list[ClosableGateway] = []
        self._started_at = 0.0
        self.elapsed = 0.0  # seconds the last run took
        self.request: DiagnosisRequest | None = None  # the last request started
        # The whole run's deadline; the Connect page's time limit sets it. Past it the worker's
        # run stops waiting and reports what it has, so the window is never held by a server.
        self.run_timeout = DEFAULT_RUN_TIMEOUT
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._emit_activity)

    # -- state ------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._task is not None and not self._task.done()

    @property
    def request_count(self) -> int:
        return sum(getattr(g, "request_count", 0) for g in self._gateways)

    def set_run_timeout(self, seconds: float) -> None:
        if seconds > 0:
            self.run_timeout = float(seconds)

    @property
    def gateway_factory(self) -> GatewayFactory:
        """Where this window's requests go now (Stripe, or the practice account's server)."""
        return self._gateway_factory

    def set_gateway_factory(self, factory: GatewayFactory) -> None:
        """Switching to (or away from) a practice server changes where requests go."""
        self._gateway_factory = factory

    # -- a diagnosis --------------------------------------------------------------------------

    def start(self, request: DiagnosisRequest) -> bool:
        """Schedule a run; False (and nothing happens) while another is in flight."""
        import asyncio
        import dataclasses
        if self.busy:
            return False
        request = dataclasses.replace(request, timeout=self.run_timeout)
        self.request = request
        self._gateways = []
        self._started_at = time.monotonic()
        self.elapsed = 0.0
        diagnoser = self._diagnoser_factory(self._tracked_gateway)
        self._job = self.worker.submit(diagnoser.run_full(request))
        self._task = asyncio.ensure_future(self._wait_for(self._job))
        self._poll.start()
        self.busy_changed.emit(True)
        self.started.emit()
        return True

    def cancel(self) -> None:
        """Ask the run to stop; `cancelled` follows once its requests are torn down."""
        if self._task is not None and not self._task.done() and self._job is not None:
            self._job.cancel()  # the wait ends when the worker's task has wound down

    @property
    def worker(self) -> WorkerLoop:
        """The worker thread's loop, started on first use."""
        if self._worker is None:
            self._worker = WorkerLoop()
        return self._worker

    def _tracked_gateway(self, key: str, *, connected_account: str | None = None) -> ClosableGateway:
        from assistant.diagnosis.run import gateway_for

        gateway = gateway_for(self._gateway_factory, key, connected_account)
        self._gateways.append(gateway)
        return gateway

    async def warm_up(self) -> None:
        """Pay the one-off cost of importing stripe off the Qt thread, before the first run."""
        import asyncio

        await asyncio.wrap_future(self.warm_up_in_background().future)

    def warm_up_in_background(self) -> _Job:
        """Import stripe, the diagnosis and the checks on the worker thread (needs no asyncio
        loop on the Qt side: the window calls this after its first paint)."""
        factory = self._gateway_factory

        async def warm() -> None:
            try:
                import assistant.diagnosis.run  # noqa: F401  (and the checks it runs)

                gateway = factory(WARM_UP_KEY)
                await gateway.aclose()
            except Exception as err:  # warming up is an optimisation only
                log.debug("warm-up failed: %s", type(err).__name__)

        return self.worker.submit(warm())

    async def _wait_for(self, job: _Job) -> None:
        """The qasync side of a background run: wait, then report on the Qt thread."""
        import asyncio
        try:
            kind, value = await asyncio.shield(asyncio.wrap_future(job.future))
        except asyncio.CancelledError:  # the window is closing: stop the worker's run too
            job.cancel()
            raise
        finally:
            if self._job is job:
                self._job = None
        self._report(kind, value)

    def _report(self, kind: str, value: Any) -> None:
        if kind == "cancelled":
            self._settle()
            self.cancelled.emit()
        elif kind == "error":
            log.warning("diagnosis failed: %s", type(value).__name__)
            self._settle()
            self.failed.emit(one_line(value))
        else:
            self._settle()
            self.finished.emit(value)

    def _settle(self) -> None:
        self.elapsed = time.monotonic() - self._started_at
        self._poll.stop()
        self._emit_activity()
        self._task = None
        self.busy_changed.emit(False)

    def _emit_activity(self) -> None:
        self.activity.emit(self.request_count)

    # -- the one write: a portal session --------------------------------------------------

    def open_portal(self, customer_id: str, return_url: str | None, live: bool) -> bool:
        """Create a portal session with the last run's key.

        `live` is the caller's statement that it knows the key is live and the agent confirmed;
        a live key without it is refused here too, so no path creates a live session silently.
        """
        import asyncio
        key = self.request.key if self.request else ""
        info = classify_key(key)
        if not info.usable:
            self.portal_failed.emit("Connect with a working key first, then open the portal.", None)
            return False
        if info.live and not live:
            self.portal_failed.emit("A live portal session needs the agent's confirmation first.", None)
            return False
        if self._portal_task is not None and not self._portal_task.done():
            return False
        connected = self.request.connected_account if self.request else None
        self._portal_task = asyncio.ensure_future(self._portal(info.key, customer_id, return_url, connected))
        return True

    async def _portal(self, key: str, customer_id: str, return_url: str | None, connected_account: str | None) -> None:
        import asyncio
        # The session is created on the worker loop; the signals are sent from here.
        job = self.worker.submit(self._create_session(key, customer_id, return_url, connected_account))
        try:
            kind, value = await asyncio.shield(asyncio.wrap_future(job.future))
        except asyncio.CancelledError:
            job.cancel()
            raise
        if kind == "ok":
            self._portal_result(value)
        elif kind == "error":
            self.portal_failed.emit(one_line(value), value.info if isinstance(value, GatewayError) else None)

    async def _create_session(self, key: str, customer_id: str, return_url: str | None,
                              connected_account: str | None = None) -> Any:
        """On the connected account the last run acted as, if any: its customer lives there."""
        from assistant.diagnosis.run import gateway_for

        gateway = gateway_for(self._gateway_factory, key, connected_account)
        try:
            return await gateway.create_portal_session(customer_id, return_url=return_url)
        finally:
            await gateway.aclose()

    def _portal_result(self, session: Any) -> None:
        url = str(session.get("url") or "")
        if url:
            self.portal_ready.emit(url)
        else:
            self.portal_failed.emit("Stripe created the session but sent no URL.", None)

    def shutdown(self) -> None:
        """Stop anything in flight (window closing)."""
        self.cancel()
        if self._portal_task is not None and not self._portal_task.done():
            self._portal_task.cancel()
        self._poll.stop()
        if self._worker is not None:
            self._worker.stop()
            self._worker = None
