"""Round trips of one diagnosis of `big_catalogue` (10 allowed products x 5 prices) under injected
server latency, the real collection side by side with a naive sequential one.

    python benchmarks/bench_round_trips.py [--runs N]

Effective sequential round trips = (T_latency - T_0) / latency: how many latencies the agent
waits for. Target for the real diagnosis: <= 3.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.diagnosis.run import Diagnoser, DiagnosisRequest
from assistant.account.gateway import StripeGateway
from assistant.practice.scenarios import load_scenario
from assistant.practice.server import PracticeServer

SCENARIO = "big_catalogue"
LATENCIES = (0.0, 0.100, 0.250)
TARGET_ROUND_TRIPS = 3.0


async def real(server: PracticeServer, request: DiagnosisRequest) -> int:
    """The app's own path: Diagnoser -> collect_snapshot (two concurrent rounds) -> checks."""
    diagnosis = await Diagnoser(lambda key: StripeGateway(key, api_base=server.base_url)).run(request)
    assert diagnosis.check("portal.products").status.value == "pass", "the catalogue was not read"
    return diagnosis.request_count


async def naive(server: PracticeServer, request: DiagnosisRequest) -> int:
    """The same reads with the same gateway methods, each awaited before the next: no gather."""
    gateway = StripeGateway(request.key, api_base=server.base_url)
    try:
        await gateway.account()
        configurations = await gateway.portal_configurations()
        await gateway.webhook_endpoints()
        assert request.customer
        await gateway.customer(request.customer)
        await gateway.subscriptions(request.customer)
        default = next(c for c in configurations if c.get("is_default"))
        ids = [entry["product"] for entry in default["features"]["subscription_update"]["products"]]
        await gateway.products(ids)
        for product_id in ids:
            await gateway.prices(product_id)
        return gateway.request_count
    finally:
        await gateway.aclose()


async def timed(fn, server: PracticeServer, request: DiagnosisRequest, runs: int) -> tuple[float, int]:
    times, count = [], 0
    for _ in range(runs):
        server.request_log.clear()
        start = time.perf_counter()
        count = await fn(server, request)
        times.append(time.perf_counter() - start)
        assert count == len(server.request_log), "request counting missed an attempt"
    return statistics.median(times), count


async def measure(runs: int) -> dict[str, dict[float, tuple[float, int]]]:
    scenario = load_scenario(SCENARIO)
    request = DiagnosisRequest(key=scenario.primary_key, customer=scenario.customer,
                               return_url=scenario.return_url)
    results: dict[str, dict[float, tuple[float, int]]] = {"real": {}, "naive": {}}
    with PracticeServer(scenario) as server:
        await real(server, request)  # warm-up: imports, TLS-free connection set-up, caches
        for latency in LATENCIES:
            server.latency = latency
            for name, fn in (("real", real), ("naive", naive)):
                results[name][latency] = await timed(fn, server, request, runs)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="runs per cell, median reported")
    args = parser.parse_args()
    results = asyncio.run(measure(args.runs))

    print(f"Scenario {SCENARIO}: diagnosis wall time, median of {args.runs} runs per cell")
    print(f"{'implementation':<16}{'latency':>9}{'wall s':>9}{'requests':>10}{'round trips':>13}")
    verdict = True
    for name in ("real", "naive"):
        t0 = results[name][0.0][0]
        for latency in LATENCIES:
            wall, count = results[name][latency]
            trips = "" if latency == 0 else f"{(wall - t0) / latency:.2f}"
            print(f"{name:<16}{latency * 1000:>7.0f}ms{wall:>9.3f}{count:>10}{trips:>13}")
            if name == "real" and latency:
                verdict &= (wall - t0) / latency <= TARGET_ROUND_TRIPS
    print(f"target: real diagnosis <= {TARGET_ROUND_TRIPS:g} effective round trips: "
          f"{'met' if verdict else 'MISSED'}")
    return 0 if verdict else 1


if __name__ == "__main__":
    sys.exit(main())
