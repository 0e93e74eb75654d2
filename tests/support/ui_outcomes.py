"""Real RunOutcomes for UI tests: a diagnosis run against the practice server on a scenario,
on the test's own (qasync) loop like the window does. Outcomes are plain data, so they are cached.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from assistant.account.gateway.client import StripeGateway
from assistant.diagnosis.run import Diagnoser, DiagnosisRequest, RunOutcome
from assistant.practice.scenarios import Scenario, load_scenario
from assistant.practice.server import PracticeServer

_CACHE: dict[tuple[str, tuple[tuple[str, Any], ...]], RunOutcome] = {}


async def run_scenario(name: str, **overrides: Any) -> tuple[RunOutcome, Scenario]:
    """Diagnose scenario `name` the way the window does; `overrides` change the request."""
    scenario = load_scenario(name)
    key = (name, tuple(sorted(overrides.items())))
    if key not in _CACHE:
        request = DiagnosisRequest(
            key=scenario.primary_key, second_key=scenario.second_key,
            customer=scenario.customer, return_url=scenario.return_url,
        )
        request = replace(request, **overrides)
        _CACHE[key] = await _diagnose(scenario, request)
    return _CACHE[key], scenario


async def _diagnose(scenario: Scenario, request: DiagnosisRequest) -> RunOutcome:
    with PracticeServer(scenario) as server:
        diagnoser = Diagnoser(lambda k: StripeGateway(k, api_base=server.base_url, max_retries=0))
        return await diagnoser.run_full(request)


class FakeClipboard:
    """Stands in for QClipboard: records text and mime data."""

    def __init__(self) -> None:
        self._text = ""
        self.mime: Any = None

    def setText(self, text: str) -> None:
        self._text = text
        self.mime = None

    def text(self) -> str:
        return self._text

    def setMimeData(self, mime: Any) -> None:
        self.mime = mime
        self._text = mime.text() if mime is not None else ""

    def mimeData(self) -> Any:
        return self.mime


class FakeClock:
    def __init__(self, now: float = 1_714_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
