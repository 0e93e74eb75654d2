"""Start a practice account for a test and run the real diagnosis against it over HTTP."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from assistant.account.gateway import StripeGateway
from assistant.diagnosis.run import Diagnoser, DiagnosisRequest, RunOutcome
from assistant.practice.scenarios import Scenario, load_scenario
from assistant.practice.server import PracticeServer


@contextlib.contextmanager
def practice(name: str, *, latency: float = 0.0) -> Iterator[tuple[Scenario, PracticeServer]]:
    scenario = load_scenario(name)
    with PracticeServer(scenario, latency=latency) as server:
        yield scenario, server


def diagnoser_for(server: PracticeServer, **gateway_options: object) -> Diagnoser:
    def make(key: str, *, connected_account: str | None = None) -> StripeGateway:
        return StripeGateway(key, api_base=server.base_url, connected_account=connected_account,
                             **gateway_options)  # type: ignore[arg-type]

    return Diagnoser(make)


def scenario_request(scenario: Scenario, **overrides: object) -> DiagnosisRequest:
    fields: dict[str, object] = {
        "key": scenario.primary_key,
        "second_key": scenario.second_key,
        "customer": scenario.customer,
        "return_url": scenario.return_url,
        "connected_account": scenario.connected_account,
    }
    fields.update(overrides)
    return DiagnosisRequest(**fields)


async def run_scenario(name: str, **overrides: object) -> RunOutcome:
    with practice(name) as (scenario, server):
        return await diagnoser_for(server).run_full(scenario_request(scenario, **overrides))
