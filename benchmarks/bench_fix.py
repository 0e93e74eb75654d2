"""Guided fixes over real HTTP to practice accounts: how long plan, apply (with the checks run
again) and undo take, and how many requests each sends. Latency per request is injected (the
practice server's `latency`) so the figures resemble a call to Stripe."""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.account.gateway import StripeGateway
from assistant.diagnosis.fix_runner import FixRunner
from assistant.diagnosis.fixes.model import FixInputs
from assistant.diagnosis.run import Diagnoser, DiagnosisRequest
from assistant.practice import PracticeServer, load_scenario
from assistant.store.fix_log import FixLog
from assistant.store.history import HistoryStore

CASES = [("archived_product", "portal.products", {}),
         ("no_return_url", "portal.return_url", {"return_url": "https://app.practice.example/billing"}),
         ("webhook_events_missing", "webhooks.events", {}),
         ("features_off", "portal.features", {})]
RUNS = 5
LATENCY = 0.08  # seconds per request, about a round trip to api.stripe.com from Europe


async def once(name: str, check: str, inputs: dict[str, str], store: HistoryStore) -> tuple[float, ...]:
    scenario = load_scenario(name)
    with PracticeServer(scenario, latency=LATENCY) as server:
        counted: list[StripeGateway] = []

        def factory(key: str) -> StripeGateway:
            gateway = StripeGateway(key, api_base=server.base_url)
            counted.append(gateway)
            return gateway

        runner = FixRunner(Diagnoser(factory), factory)
        request = DiagnosisRequest(key=scenario.primary_key, customer=scenario.customer)
        t0 = time.perf_counter()
        planned = await runner.plan(request, FixInputs(**inputs))
        t1 = time.perf_counter()
        plan_requests = sum(g.request_count for g in counted)
        fixes = planned.plan.for_check(check)
        applied = await runner.apply(request, planned, fixes, FixLog(store))
        t2 = time.perf_counter()
        apply_requests = sum(g.request_count for g in counted) - plan_requests
        change = applied.outcomes[0].change_id
        assert change and applied.outcomes[0].took_effect, name
        undone = await runner.undo(request, store.change_batch(change), FixLog(store))
        t3 = time.perf_counter()
        assert undone.outcomes[0].took_effect, name
        return t1 - t0, t2 - t1, t3 - t2, plan_requests, apply_requests


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = HistoryStore(Path(tmp) / "history.sqlite3", agent="bench")
        print(f"latency {LATENCY * 1000:.0f} ms per request, {RUNS} runs each; medians")
        for name, check, inputs in CASES:
            rows = [asyncio.run(once(name, check, inputs, store)) for _ in range(RUNS)]
            plan, apply, undo = (statistics.median(r[i] for r in rows) for i in range(3))
            print(f"{name:<24} plan {plan:5.2f} s ({rows[0][3]} requests)   "
                  f"apply + checks again {apply:5.2f} s ({rows[0][4]} requests)   undo {undo:5.2f} s")


if __name__ == "__main__":
    main()
