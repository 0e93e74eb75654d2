"""A local, stateful stand-in for the Stripe API, so the assistant can be practised and tested offline."""

from __future__ import annotations

from assistant.practice.scenarios import Scenario, ScenarioInfo, UnknownScenario, list_scenarios, load_scenario
from assistant.practice.server import PracticeServer

__all__ = [
    "PracticeServer",
    "Scenario",
    "ScenarioInfo",
    "UnknownScenario",
    "list_scenarios",
    "load_scenario",
]
