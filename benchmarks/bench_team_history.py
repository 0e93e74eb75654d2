"""Team history under load: many agents' processes saving runs at once, then count what arrived.

    python benchmarks/bench_team_history.py [--agents 20] [--runs 10] [--sqlite-agents 5]

PostgreSQL: starts its own server (initdb + pg_ctl in a temporary folder, fsync on, as in
production), then `--agents` processes, each an agent with its own local history file, save
`--runs` runs each through the app's team store (local file + outbox, then delivered to the
server) all at the same moment. SQLite: `--sqlite-agents` processes save into one shared
local history file. Afterwards the database is counted: lost rows (a save that returned but
whose run is missing) and duplicate rows (one run stored twice) must both be 0. Save latency
is the time `save()` takes in the agent's process, delivery included; p50 and p95 printed.
Each agent connects to the team database before the common start (the window does so at
start-up), so the figures are those of saving, not of logging in.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def _child(args: argparse.Namespace) -> None:
    from assistant.report.sample import sample_diagnosis
    from assistant.store.history import HistoryStore
    from assistant.store.opening import open_history

    agent = f"agent-{args.index:02d}"
    if args.url:
        store = open_history(args.url, agent=agent, local_path=Path(args.local))
    else:
        store = HistoryStore(Path(args.local), agent=agent)
    base = sample_diagnosis()
    if args.url:
        store.deliver()  # connect (and check the schema) first, as the window does at start-up
    while time.time() < args.go:  # every process starts saving at the same moment
        time.sleep(0.001)
    latencies, waiting = [], 0
    for n in range(args.runs):
        run = replace(base, ticket=f"{agent}/run-{n:02d}",
                      generated_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
        t0 = time.perf_counter()
        store.save(run)
        latencies.append(time.perf_counter() - t0)
        if args.url and store.sharing().pending:
            waiting += 1
    print(json.dumps({"latencies": latencies, "waiting": waiting}))


def _spawn(count: int, runs: int, url: str | None, locals_: list[Path]) -> list[dict]:
    go = time.time() + 3.0 + count * 0.15  # time for every interpreter to start and connect
    procs = [
        subprocess.Popen(
            [sys.executable, __file__, "--child", "--index", str(i), "--runs", str(runs),
             "--go", str(go), "--local", str(locals_[i]), *(["--url", url] if url else [])],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i in range(count)
    ]
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=600)
        if p.returncode != 0:
            raise SystemExit(f"an agent process failed:\n{stderr}")
        out.append(json.loads(stdout.strip().splitlines()[-1]))
    return out


def _count(rows: list[tuple[str, int]], agents: int, runs: int) -> tuple[int, int, int]:
    """(rows, lost, duplicates) from (ticket, copies) pairs."""
    expected = {f"agent-{i:02d}/run-{n:02d}" for i in range(agents) for n in range(runs)}
    present = dict(rows)
    lost = len(expected - set(present))
    duplicates = sum(copies - 1 for copies in present.values())
    return sum(present.values()), lost, duplicates


def _report(title: str, results: list[dict], counted: tuple[int, int, int]) -> None:
    latencies = sorted(x * 1000 for r in results for x in r["latencies"])
    total, lost, duplicates = counted
    p50 = statistics.median(latencies)
    p95 = latencies[max(0, round(len(latencies) * 0.95) - 1)]
    print(f"{title}: {total} rows, lost {lost}, duplicates {duplicates}, "
          f"save p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {latencies[-1]:.1f} ms"
          + (f", {sum(r['waiting'] for r in results)} saves left waiting in an outbox"
             if "waiting" in results[0] else ""))


def _postgres(agents: int, runs: int, work: Path) -> None:
    from sqlalchemy import create_engine, text
    from support.postgres import PostgresServer

    from assistant.store.history import SqlHistory

    server = PostgresServer(durable=True)
    try:
        server.start()
        server.create_database("bench")
        url = server.url("bench")
        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        SqlHistory(engine).close()  # migrate once, outside the timings
        results = _spawn(agents, runs, url, [work / f"pg-agent-{i}.sqlite3" for i in range(agents)])
        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.connect() as conn:
            rows = [(t, int(n)) for t, n in conn.execute(
                text("SELECT ticket, count(*) FROM runs GROUP BY ticket"))]
            results_rows = conn.execute(text("SELECT count(*) FROM results")).scalar_one()
        engine.dispose()
        _report(f"PostgreSQL, {agents} agents x {runs} runs", results, _count(rows, agents, runs))
        print(f"  check results stored: {results_rows} (13 per run expected: {13 * agents * runs})")
    finally:
        server.remove()


def _sqlite(agents: int, runs: int, work: Path) -> None:
    import sqlite3

    from assistant.store.history import HistoryStore

    shared = work / "shared.sqlite3"
    HistoryStore(shared)  # create and migrate once
    results = _spawn(agents, runs, None, [shared] * agents)
    for r in results:
        r.pop("waiting", None)
    with sqlite3.connect(shared) as conn:
        rows = conn.execute("SELECT ticket, count(*) FROM runs GROUP BY ticket").fetchall()
    _report(f"SQLite (one file), {agents} processes x {runs} runs", results, _count(rows, agents, runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, default=20)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--sqlite-agents", type=int, default=5)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--index", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--go", type=float, default=0.0, help=argparse.SUPPRESS)
    parser.add_argument("--local", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args)
        return
    print(f"{os.cpu_count()} cores; sample run of 13 checks")
    with tempfile.TemporaryDirectory(prefix="pa-bench-") as tmp:
        work = Path(tmp)
        _postgres(args.agents, args.runs, work)
        _sqlite(args.sqlite_agents, args.runs, work)


if __name__ == "__main__":
    main()
