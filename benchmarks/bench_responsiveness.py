"""How long can the window freeze while "Run all checks" reads a slow Stripe?

    python benchmarks/bench_responsiveness.py [--scenario big_catalogue] [--latency 0.25] [--runs 3]
                                              [--all-pages]

Opens the real main window on a practice account whose server waits `latency` seconds before
every answer, presses "Run all checks", and records the longest gap between ticks of a 5 ms
QTimer heartbeat meanwhile. Target: the longest stall stays at or under 50 ms.

The window builds step pages on first visit; `--all-pages` builds all seven first (an agent who
has looked at every step) and also reports how long showing each stale page takes afterwards
(a click on a step, not a stall during the run).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

from PySide6.QtCore import QSettings, QTemporaryDir, QTimer

TARGET_MS = 50.0


async def measure(scenario: str, latency: float, runs: int,
                  all_pages: bool = False) -> list[tuple[float, float, int]]:
    from assistant.ui.practice.host import PracticeHost
    from assistant.ui.window.main_window import MainWindow

    tmp = QTemporaryDir()
    window = MainWindow(settings=QSettings(str(Path(tmp.path()) / "bench.ini"), QSettings.Format.IniFormat),
                        practice=PracticeHost(latency=latency))
    if all_pages:
        window.ensure_all_pages()
    window.show()
    window.open_practice(scenario, run=False)
    await window.controller.warm_up()  # as run_app does at start-up
    await asyncio.sleep(0.2)

    results = []
    for _ in range(runs):
        last = time.perf_counter()
        longest = 0.0

        def tick() -> None:
            nonlocal last, longest
            now = time.perf_counter()
            longest = max(longest, now - last)
            last = now

        heartbeat = QTimer()
        heartbeat.setInterval(5)
        heartbeat.timeout.connect(tick)
        heartbeat.start()
        await asyncio.sleep(0.05)
        last, longest = time.perf_counter(), 0.0
        started = time.perf_counter()
        window.run_action.trigger()
        while window.controller.busy:
            await asyncio.sleep(0.005)
        elapsed = time.perf_counter() - started
        await asyncio.sleep(0.05)
        heartbeat.stop()
        outcome = window.outcome
        count = outcome.diagnosis.request_count if outcome else 0
        results.append((longest * 1000, elapsed, count))
    if all_pages:
        for row in range(1, window.sidebar.count()):
            started = time.perf_counter()
            window.go_to_step(row)
            shown = (time.perf_counter() - started) * 1000
            print(f"showing step {row + 1} ({window.pages[row].step_id}) after the run: {shown:.1f} ms")
            await asyncio.sleep(0.05)
    window.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", default="big_catalogue")
    parser.add_argument("--latency", type=float, default=0.25)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--all-pages", action="store_true", help="build every step page first")
    args = parser.parse_args()

    import qasync

    from assistant.ui.app import make_application

    app = make_application([sys.argv[0]])
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        results = loop.run_until_complete(measure(args.scenario, args.latency, args.runs, args.all_pages))
    print(f"scenario {args.scenario}, server latency {args.latency * 1000:.0f} ms per request")
    for i, (stall, elapsed, count) in enumerate(results, 1):
        print(f"run {i}: longest stall {stall:.1f} ms, run time {elapsed:.2f} s, {count} requests")
    worst = max(r[0] for r in results)
    verdict = "OK" if worst <= TARGET_MS else "OVER TARGET"
    print(f"longest stall: {worst:.1f} ms (target <= {TARGET_MS:.0f} ms) {verdict}")
    return 0 if worst <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
