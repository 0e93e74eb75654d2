"""Runs Stripe work for the window on the asyncio (qasync) loop and reports by signals.

Nothing here blocks the Qt thread: `start` and `open_portal` schedule a Task and return at
once. Views only listen to signals, so a test can drive the controller with a stub gateway.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from assistant.diagnosis import ClosableGateway, Diagnoser, DiagnosisRequest, GatewayFactory
from assistant.errors import GatewayError, scrub
from assistant.keys import classify_key

log = logging.getLogger(__name__)

DiagnoserFactory = Callable[[GatewayFactory], Diagnoser]
POLL_MS = 100


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
    portal_failed = Signal(str)

    def __init__(
        self,
        gateway_factory: GatewayFactory,
        diagnoser_factory: DiagnoserFactory = Diagnoser,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._gateway_factory = gateway_factory
        self._diagnoser_factory = diagnoser_factory
        self._task: asyncio.Future[Any] | None = None
        self._portal_task: asyncio.Future[Any] | None = None
        self._gateways: list[ClosableGateway] = []
        self._prebuilt: dict[str, list[ClosableGateway]] = {}
        self._started_at = 0.0
        self.elapsed = 0.0  # seconds the last run took
        self.request: DiagnosisRequest | None = None  # the last request started
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

    def set_gateway_factory(self, factory: GatewayFactory) -> None:
        """Switching to (or away from) a practice server changes where requests go."""
        self._gateway_factory = factory

    # -- a diagnosis --------------------------------------------------------------------------

    def start(self, request: DiagnosisRequest) -> bool:
        """Schedule a run; False (and nothing happens) while another is in flight."""
        if self.busy:
            return False
        self.request = request
        self._gateways = []
        self._started_at = time.monotonic()
        self.elapsed = 0.0
        diagnoser = self._diagnoser_factory(self._tracked_gateway)
        self._task = asyncio.ensure_future(self._run(diagnoser, request))
        self._poll.start()
        self.busy_changed.emit(True)
        self.started.emit()
        return True

    def cancel(self) -> None:
        """Ask the run to stop; `cancelled` follows once its requests are torn down."""
        if self._task is not None and not self._task.done():
            self._task.cancel()

    def _tracked_gateway(self, key: str) -> ClosableGateway:
        ready = self._prebuilt.get(key)
        gateway = ready.pop() if ready else self._gateway_factory(key)
        self._gateways.append(gateway)
        return gateway

    async def _prebuild(self, request: DiagnosisRequest) -> None:
        """Build the gateways on a worker thread: the first one imports stripe and loads TLS
        certificates (~0.5 s), which would otherwise freeze the window."""
        keys = [k for k in (request.key, request.second_key) if k and classify_key(k).usable]
        loop = asyncio.get_running_loop()
        factory = self._gateway_factory
        built = await asyncio.gather(*(loop.run_in_executor(None, factory, k) for k in keys))
        for key, gateway in zip(keys, built):
            self._prebuilt.setdefault(key, []).append(gateway)

    async def _close_unused(self) -> None:
        unused = [g for gs in self._prebuilt.values() for g in gs]
        self._prebuilt = {}
        await asyncio.gather(*(g.aclose() for g in unused), return_exceptions=True)

    async def warm_up(self) -> None:
        """Pay the one-off cost of importing stripe off the Qt thread, before the first run."""
        loop = asyncio.get_running_loop()
        try:
            gateway = await loop.run_in_executor(None, self._gateway_factory, "sk_test_warmup_0000")
            await gateway.aclose()
        except Exception as err:  # warming up is an optimisation only
            log.debug("warm-up failed: %s", type(err).__name__)

    async def _run(self, diagnoser: Diagnoser, request: DiagnosisRequest) -> None:
        try:
            await self._prebuild(request)
            outcome = await diagnoser.run_full(request)
        except asyncio.CancelledError:
            self._settle()
            self.cancelled.emit()
            return
        except Exception as err:
            log.warning("diagnosis failed: %s", type(err).__name__)
            self._settle()
            self.failed.emit(one_line(err))
            return
        self._settle()
        self.finished.emit(outcome)

    def _settle(self) -> None:
        if self._prebuilt:
            asyncio.ensure_future(self._close_unused())
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
        key = self.request.key if self.request else ""
        info = classify_key(key)
        if not info.usable:
            self.portal_failed.emit("Connect with a working key first, then open the portal.")
            return False
        if info.mode == "live" and not live:
            self.portal_failed.emit("A live portal session needs the agent's confirmation first.")
            return False
        if self._portal_task is not None and not self._portal_task.done():
            return False
        self._portal_task = asyncio.ensure_future(self._portal(info.key, customer_id, return_url))
        return True

    async def _portal(self, key: str, customer_id: str, return_url: str | None) -> None:
        gateway = await asyncio.get_running_loop().run_in_executor(None, self._gateway_factory, key)
        try:
            session = await gateway.create_portal_session(customer_id, return_url=return_url)  # type: ignore[attr-defined]
        except asyncio.CancelledError:
            raise
        except Exception as err:
            self.portal_failed.emit(one_line(err))
            return
        finally:
            await gateway.aclose()
        url = str(session.get("url") or "")
        if url:
            self.portal_ready.emit(url)
        else:
            self.portal_failed.emit("Stripe created the session but sent no URL.")

    def shutdown(self) -> None:
        """Stop anything in flight (window closing)."""
        self.cancel()
        if self._portal_task is not None and not self._portal_task.done():
            self._portal_task.cancel()
        self._poll.stop()
