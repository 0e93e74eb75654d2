"""A local, stateful stand-in for the Stripe API, so the assistant can be practised and tested offline."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assistant.practice.scenarios import (
    Scenario,
    ScenarioInfo,
    UnknownScenario,
    list_scenarios,
    load_scenario,
)

if TYPE_CHECKING:
    from assistant.practice.server import PracticeServer


def __getattr__(name: str) -> Any:
    # The server (http.server, socketserver) loads only when asked for: the window lists the
    # practice accounts before its first paint but starts a server only when one is opened.
    if name == "PracticeServer":
        from assistant.practice.server import PracticeServer

        return PracticeServer
    raise AttributeError(name)

__all__ = [
    "PracticeServer",
    "Scenario",
    "ScenarioInfo",
    "UnknownScenario",
    "list_scenarios",
    "load_scenario",
]
