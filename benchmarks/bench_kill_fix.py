"""Kill `fix --apply` / `fix --undo` at random moments; after the next command, every change
Stripe holds must be recorded and undoable.

    python benchmarks/bench_kill_fix.py [--runs 50] [--seed 21]

Issue 21, item 2. A practice server (in this process) holds the answer to every write for a
random 0.2–2 s after carrying it out, as a slow network would; each run of `main.py fix` (a
real process) is sent SIGKILL at a random moment of its life, from before its first request to
after its answer. The runs alternate: apply the return URL fix, then undo the change the history
holds. After each kill the next command (`main.py diagnose`, unkilled) settles what was left
open. Then every write the server carried out is looked up by its idempotency key in the
history: recorded (a change id, answered or found by reading) or not. Printed: how many runs
were killed where, and recorded / undoable / unrecorded (the target: 0 unrecorded).
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.practice import PracticeServer
from assistant.practice.scenarios import load_scenario

RETURN_URL = "https://app.practice.example/billing"
CONFIG = "/v1/billing_portal/configurations/"


def cli(env: dict[str, str], server: PracticeServer, *argv: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(ROOT / "main.py"), *argv, "--api-base", server.base_url],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)


def history_rows(path: Path, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    if not path.exists():
        return []
    with sqlite3.connect(path) as db:
        try:
            return db.execute(sql).fetchall()
        except sqlite3.OperationalError:  # no table yet
            return []


def last_open_change(path: Path) -> str | None:
    """The newest recorded fix not undone (what the next undo run undoes)."""
    rows = history_rows(path, "SELECT c.change_uid FROM changes c WHERE c.undo_of IS NULL AND NOT EXISTS "
                              "(SELECT 1 FROM changes u WHERE u.undo_of = c.change_uid) ORDER BY c.id DESC LIMIT 1")
    return rows[0][0] if rows else None


def return_url(server: PracticeServer) -> object:
    [conf] = [c for c in server.store.objects("test", "configurations") if c.get("is_default")]
    return conf.get("default_return_url")


def undoable(path: Path, server: PracticeServer) -> bool:
    """The account holds what the history's newest change says it set (so its undo can run)."""
    rows = history_rows(path, "SELECT after_json FROM changes ORDER BY id DESC LIMIT 1")
    if not rows:
        return return_url(server) is None
    import json

    return json.loads(rows[0][0]) == (return_url(server) or None)


def one_run(env: dict[str, str], server: PracticeServer, history: Path, rng: random.Random,
            life: float) -> str:
    """One killed run and the command after it; where the kill landed."""
    change = last_open_change(history)
    argv = (["fix", "--undo", change, "--yes"] if change else
            ["fix", "--apply", "portal.return_url", "--return-url", RETURN_URL, "--yes"])
    server.clear_faults()
    server.inject_fault(CONFIG, kind="held", delay=rng.uniform(0.2, 2.0), method="POST")
    writes = len(server.writes)
    proc = cli(env, server, *argv)
    time.sleep(rng.uniform(0.0, life))
    finished = proc.poll() is not None
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    time.sleep(0.05)  # a request already on its way reaches the server
    wrote = len(server.writes) > writes
    where = ("finished" if finished else "after its write" if wrote else "before any write")
    server.clear_faults()
    after = cli(env, server, "diagnose", "--format", "json")
    after.communicate(timeout=120)
    return f"{'undo' if change else 'apply'} killed {where}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--seed", type=int, default=21)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp, PracticeServer(load_scenario("no_return_url")) as server:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "PORTAL_ASSISTANT_"))}
        env.update(HOME=tmp, STRIPE_API_KEY=server.scenario.primary_key)
        history = Path(tmp) / ".local" / "share" / "portal-setup-assistant" / "history.sqlite3"
        start = time.monotonic()
        full = cli(env, server, "fix")  # one unkilled plan: how long a run lives
        full.communicate()
        life = (time.monotonic() - start) + 2.5  # a write's run is longer: the apply, its held answer, the checks
        kills: Counter[str] = Counter()
        not_undoable = 0
        for _ in range(args.runs):
            kills[one_run(env, server, history, rng, life)] += 1
            not_undoable += not undoable(history, server)
        recorded_keys = {k for (k,) in history_rows(
            history, "SELECT idempotency_key FROM intents WHERE change_uid IS NOT NULL")}
        writes = [w for w in server.writes if w[0] in ("POST", "DELETE")]
        unrecorded = [w for w in writes if w[2] not in recorded_keys]
        still_open = history_rows(history, "SELECT count(*) FROM intents WHERE state = 'open'")[0][0]
        states = Counter(s for (s,) in history_rows(history, "SELECT state FROM intents"))
        print(f"{args.runs} runs killed at random moments (seed {args.seed}; a run lives up to {life:.1f} s):")
        for what, n in sorted(kills.items()):
            print(f"  {what:<32} {n}")
        print(f"writes Stripe carried out: {len(writes)}; recorded: {len(writes) - len(unrecorded)}; "
              f"unrecorded: {len(unrecorded)}")
        print(f"after each next command, the account as the history's newest change says: "
              f"{args.runs - not_undoable} of {args.runs} (undoable)")
        print(f"intents: {dict(sorted(states.items()))}; still open at the end: {still_open}")
        return 1 if unrecorded or not_undoable else 0


if __name__ == "__main__":
    sys.exit(main())
