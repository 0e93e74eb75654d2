"""Asking Stripe about every flow of a customer with three subscriptions, over real HTTP to the
practice server with 250 ms injected per request: the asks go out at once, so the whole ask
costs about one round trip, not one per flow. Printed beside one round trip (a single ask) and
the same asks sent one after another.

    python benchmarks/bench_ask.py [--latency 0.25] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.account.gateway import StripeGateway
from assistant.diagnosis.ask_runner import AskRunner, Prepared
from assistant.diagnosis.asks.model import AskInputs
from assistant.diagnosis.run import Diagnoser, DiagnosisRequest
from assistant.practice import PracticeServer, load_scenario
from assistant.store.ask_log import AskLog
from assistant.store.history import HistoryStore

SCENARIO = "ask_three_subscriptions"


async def measure(latency: float, runs: int, store: HistoryStore) -> tuple[list[float], list[float], list[float], int]:
    scenario = load_scenario(SCENARIO)
    with PracticeServer(scenario) as server:
        def make(key: str, *, connected_account: str | None = None) -> StripeGateway:
            return StripeGateway(key, api_base=server.base_url, connected_account=connected_account)

        runner = AskRunner(Diagnoser(make), make)
        request = DiagnosisRequest(key=scenario.primary_key, customer=scenario.customer)
        prepared = await runner.prepare(request, AskInputs(customer=str(scenario.customer)))
        assert prepared.plan is not None
        server.latency = latency
        together, one, in_turn = [], [], []
        for _ in range(runs):
            server.reset()
            t0 = time.perf_counter()
            run = await runner.ask(request, prepared, AskLog(store))
            together.append(time.perf_counter() - t0)
            assert all(r.outcome == "accepted" for r in run.results), [r.outcome for r in run.results]
            one.append(await _one_after_another(make, request, prepared, first_only=True))
            in_turn.append(await _one_after_another(make, request, prepared))
        return together, one, in_turn, len(prepared.plan.asks)


async def _one_after_another(make: object, request: DiagnosisRequest, prepared: Prepared, *,
                             first_only: bool = False) -> float:
    plan = prepared.plan
    assert plan is not None
    gateway = make(request.key)  # type: ignore[operator]
    asks = plan.asks[:1] if first_only else plan.asks
    t0 = time.perf_counter()
    try:
        for i, ask in enumerate(asks):
            await gateway.ask_portal_session(plan.customer_id, flow_data=dict(ask.flow_data),
                                             configuration=plan.configuration_id, return_url=plan.return_url,
                                             idempotency_key=f"bench-{time.time_ns()}-{i}")
    finally:
        await gateway.aclose()
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=float, default=0.25)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = HistoryStore(Path(tmp) / "history.sqlite3", agent="bench")
        together, one, in_turn, count = asyncio.run(measure(args.latency, args.runs, store))
    median = statistics.median
    print(f"{SCENARIO}: {count} asks (3 subscriptions), server latency {args.latency * 1000:.0f} ms per request, "
          f"{args.runs} runs, medians")
    print(f"  one round trip (a single ask)     {median(one):6.3f} s")
    print(f"  every ask, sent at once (ask)     {median(together):6.3f} s   "
          f"= {median(together) / median(one):.2f} round trips (history written before and after included)")
    print(f"  every ask, one after another      {median(in_turn):6.3f} s   "
          f"= {median(in_turn) / median(one):.2f} round trips")


if __name__ == "__main__":
    main()
