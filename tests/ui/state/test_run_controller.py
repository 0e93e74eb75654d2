"""RunController on its own, with stub gateways: never blocks, one clear line on failure."""

from __future__ import annotations

import asyncio
import threading

import pytest
import shiboken6
from support.window import until

from assistant.account.errors import NetworkFailed
from assistant.diagnosis.run import Diagnoser, DiagnosisRequest
from assistant.ui.state.run_controller import RunController, one_line

KEY = "sk_test_secretsecret_1234"


@pytest.fixture
def controllers():
    """Controllers made by a test, deleted on the Qt thread when it ends (left to the garbage
    collector, a QObject may be destroyed from whichever thread happens to collect)."""
    made: list[RunController] = []

    def make(*args, **kwargs) -> RunController:
        made.append(RunController(*args, **kwargs))
        return made[-1]

    yield make
    for controller in made:
        controller.shutdown()
        shiboken6.delete(controller)


class Exploding(Diagnoser):
    def __init__(self, exc: Exception) -> None:
        super().__init__(lambda key: None)
        self._exc = exc

    async def run_full(self, request):
        await asyncio.sleep(0)
        raise self._exc


class Slow(Diagnoser):
    def __init__(self, factory) -> None:
        super().__init__(factory)
        self.started = threading.Event()  # set on the controller's worker thread

    async def run_full(self, request):
        self.started.set()
        await asyncio.sleep(30)


async def test_failure_is_one_scrubbed_line(qtbot, controllers) -> None:
    controller = controllers(lambda k: None, lambda f: Exploding(RuntimeError(f"boom {KEY}\nline 2")))
    with qtbot.waitSignal(controller.failed, timeout=2000) as blocker, \
            qtbot.assertNotEmitted(controller.finished):
        controller.start(DiagnosisRequest(key=KEY))
        await asyncio.sleep(0.05)
    message = blocker.args[0]
    assert "\n" not in message and KEY not in message
    assert "RuntimeError" in message
    assert not controller.busy


def test_gateway_errors_read_as_their_summary() -> None:
    err = NetworkFailed(f"Connection refused for {KEY}")
    text = one_line(err)
    assert text.startswith("Could not reach Stripe") and KEY not in text


async def test_start_returns_at_once_and_cancel_emits_cancelled(qtbot, controllers) -> None:
    slow: list[Slow] = []

    def make(factory):
        slow.append(Slow(factory))
        return slow[0]

    controller = controllers(lambda k: None, make)
    busy: list[bool] = []
    controller.busy_changed.connect(busy.append)
    assert controller.start(DiagnosisRequest(key=KEY))
    assert controller.busy and busy == [True]
    assert not controller.start(DiagnosisRequest(key=KEY))  # one run at a time
    await until(lambda: bool(slow) and slow[0].started.is_set(), 2, "the run to start")
    with qtbot.waitSignal(controller.cancelled, timeout=2000):
        controller.cancel()
        await asyncio.sleep(0.05)
    assert not controller.busy and busy == [True, False]


async def test_open_portal_needs_a_usable_key(qtbot, controllers) -> None:
    controller = controllers(lambda k: None)
    with qtbot.waitSignal(controller.portal_failed, timeout=1000) as blocker:
        assert not controller.open_portal("cus_123", None, live=False)
    assert "Connect" in blocker.args[0]
