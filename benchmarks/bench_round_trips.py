"""Round trips of one diagnosis under injected server latency, the real collection side by side
with a naive sequential one.

    python benchmarks/bench_round_trips.py [--runs N]

Accounts: `big_catalogue` (10 allowed products x 5 prices: the catalogue fits the first page of
100), and the same account grown past one page (120 newer products and prices push the offered
ones off the first page) with a customer whose only subscription was cancelled: the most a
diagnosis ever reads in a second round. Then `configurations_per_visit` (3,002 active portal
configurations made by code, 40 recent sessions each on a new one) beside the same account cut
down to 3 configurations: the number of requests must be the same (issue 23).

The practice server runs in a process of its own, as Stripe runs on machines of its own: in the
same process its JSON encoding would compete with the client for the interpreter lock and be
counted as client time.

Effective sequential round trips = (T_latency - T_0) / latency: how many latencies the agent
waits for. Targets: <= 1.3 for a catalogue that fits one page, <= 2 for any account.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import multiprocessing
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.account.gateway import StripeGateway
from assistant.diagnosis.run import Diagnoser, DiagnosisRequest
from assistant.practice.scenarios import Scenario, load_scenario
from assistant.practice.server import PracticeServer

SCENARIO = "big_catalogue"
PER_VISIT = "configurations_per_visit"
LATENCIES = (0.0, 0.100, 0.250)
TARGETS = {"one page": 1.3, "beyond one page": 2.0}


def beyond_one_page() -> Scenario:
    """`big_catalogue` with 120 newer products and prices, and its customer's only subscription
    cancelled, so both the catalogue and the customer need their second round."""
    scenario = load_scenario(SCENARIO)
    data = scenario.data["test"]
    for n in range(120):
        product = copy.deepcopy(data["products"][0])
        product.update(id=f"prod_Filler{n:04d}xx", name=f"Filler {n}", created=1_800_000_000 + n)
        price = copy.deepcopy(data["prices"][0])
        price.update(id=f"price_1Filler{n:04d}AbCdEfGh", product=product["id"], created=1_800_000_000 + n)
        data["products"].append(product)
        data["prices"].append(price)
    for sub in data["subscriptions"]:
        if sub["customer"] == scenario.customer:
            sub.update(status="canceled", canceled_at=1_716_000_000, ended_at=1_716_000_000)
    return scenario


def three_configurations() -> Scenario:
    """`configurations_per_visit` with the default, the configuration copied and the newest one
    made from it: the generated sessions all name that newest one."""
    scenario = load_scenario(PER_VISIT)
    data = scenario.data["test"]
    made = [c for c in data["configurations"] if not c["is_default"]]
    newest = max(made, key=lambda c: c["created"])
    data["configurations"] = [c for c in data["configurations"] if c["is_default"]] + [made[0], newest]
    for event in data["events"]:
        session = event["data"]["object"]
        if session["configuration"] not in {c["id"] for c in data["configurations"]}:
            session["configuration"] = newest["id"]
    return scenario


class ServedElsewhere:
    """A PracticeServer in a child process, steered through a pipe."""

    def __init__(self, scenario: Scenario) -> None:
        self._conn, child = multiprocessing.get_context("fork").Pipe()
        self._proc = multiprocessing.get_context("fork").Process(target=_serve, args=(scenario, child), daemon=True)

    def __enter__(self) -> ServedElsewhere:
        self._proc.start()
        self.base_url: str = self._conn.recv()
        return self

    def __exit__(self, *exc: object) -> None:
        self._conn.send(("stop", None))
        self._proc.join(5)

    def ask(self, command: str, value: object = None) -> object:
        self._conn.send((command, value))
        return self._conn.recv()


def _serve(scenario: Scenario, conn) -> None:
    with PracticeServer(scenario) as server:
        conn.send(server.base_url)
        while True:
            command, value = conn.recv()
            if command == "stop":
                return
            if command == "latency":
                server.latency = float(value)
            elif command == "clear":
                server.request_log.clear()
            conn.send(len(server.request_log))


async def real(server: ServedElsewhere, request: DiagnosisRequest) -> int:
    """The app's own path: Diagnoser -> collect_snapshot (one round, a second only for what the
    first pages lacked) -> checks."""
    diagnosis = await Diagnoser(lambda key: StripeGateway(key, api_base=server.base_url)).run(request)
    assert diagnosis.check("portal.products").status.value == "pass", "the catalogue was not read"
    return diagnosis.request_count


async def naive(server: ServedElsewhere, request: DiagnosisRequest) -> int:
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


async def timed(fn, server: ServedElsewhere, request: DiagnosisRequest, runs: int) -> tuple[float, int]:
    times, count = [], 0
    for _ in range(runs):
        server.ask("clear")
        start = time.perf_counter()
        count = await fn(server, request)
        times.append(time.perf_counter() - start)
        assert count == server.ask("count"), "request counting missed an attempt"
    return statistics.median(times), count


Results = dict[str, dict[float, tuple[float, int]]]


async def measure(scenario: Scenario, runs: int, kinds: tuple[str, ...]) -> Results:
    request = DiagnosisRequest(key=scenario.primary_key, customer=scenario.customer,
                               return_url=scenario.return_url)
    results: Results = {kind: {} for kind in kinds}
    fns = {"real": real, "naive": naive}
    with ServedElsewhere(scenario) as server:
        await real(server, request)  # warm-up: imports, TLS-free connection set-up, caches
        for latency in LATENCIES:
            server.ask("latency", latency)
            for kind in kinds:
                results[kind][latency] = await timed(fns[kind], server, request, runs)
    return results


def report(title: str, results: Results, target: float) -> bool:
    print(f"{title}")
    print(f"{'implementation':<16}{'latency':>9}{'wall s':>9}{'requests':>10}{'round trips':>13}")
    verdict = True
    for name, cells in results.items():
        t0 = cells[0.0][0]
        for latency in LATENCIES:
            wall, count = cells[latency]
            trips = "" if latency == 0 else f"{(wall - t0) / latency:.2f}"
            print(f"{name:<16}{latency * 1000:>7.0f}ms{wall:>9.3f}{count:>10}{trips:>13}")
            if name == "real" and latency == LATENCIES[-1]:
                verdict &= (wall - t0) / latency <= target
    print(f"target: real diagnosis <= {target:g} effective round trips at "
          f"{LATENCIES[-1] * 1000:.0f} ms: {'met' if verdict else 'MISSED'}\n")
    return verdict


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="runs per cell, median reported")
    args = parser.parse_args()
    one = asyncio.run(measure(load_scenario(SCENARIO), args.runs, ("real", "naive")))
    more = asyncio.run(measure(beyond_one_page(), args.runs, ("real",)))
    ok = report(f"{SCENARIO} (catalogue fits one page): median of {args.runs} runs per cell",
                one, TARGETS["one page"])
    ok &= report(f"{SCENARIO} grown beyond one page, customer with only a cancelled subscription: "
                 f"median of {args.runs} runs per cell", more, TARGETS["beyond one page"])
    few = asyncio.run(measure(three_configurations(), args.runs, ("real",)))
    many = asyncio.run(measure(load_scenario(PER_VISIT), args.runs, ("real",)))
    ok &= report(f"{PER_VISIT} cut down to 3 active configurations: median of {args.runs} runs per cell",
                 few, TARGETS["one page"])
    ok &= report(f"{PER_VISIT}, 3,002 active configurations made by code: median of {args.runs} runs per cell",
                 many, TARGETS["one page"])
    same = {cell[1] for cells in (few["real"], many["real"]) for cell in cells.values()}
    print(f"requests with 3 and with 3,002 configurations: {sorted(same)} "
          f"({'the same' if len(same) == 1 else 'DIFFERENT'})")
    ok &= len(same) == 1
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
