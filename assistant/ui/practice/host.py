"""Runs at most one practice server for the window: started on demand, stopped on switch/quit."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PracticeAccount:
    scenario: Any  # assistant.practice.scenarios.Scenario
    base_url: str


class PracticeHost:
    """Owns the running PracticeServer. The window asks it to open or close one by name."""

    def __init__(self, latency: float = 0.0) -> None:
        self.latency = latency
        self._server: Any | None = None

    @property
    def server(self) -> Any | None:
        return self._server

    def open(self, name: str) -> PracticeAccount:
        """Stop the current server (if any) and serve `name`; raises LookupError if unknown."""
        from assistant.practice.scenarios import load_scenario
        from assistant.practice.server import PracticeServer

        scenario = load_scenario(name)  # before stopping: an unknown name keeps the old one
        self.close()
        server = PracticeServer(scenario, latency=self.latency)
        base_url = server.start()
        self._server = server
        log.info("practice account %s on %s", name, base_url)
        return PracticeAccount(scenario, base_url)

    def save_portal_settings(self, mode: str) -> bool:
        """Practice only: save the mode's portal settings as the owner would in the Dashboard
        (False when no practice account is served). Real Stripe has no such call."""
        from assistant.practice.owner import save_portal_settings

        if self._server is None:
            return False
        save_portal_settings(self._server.store, mode)
        return True

    def close(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.stop()
