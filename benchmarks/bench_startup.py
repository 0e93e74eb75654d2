"""Cold start to the first painted window, and peak memory, of `python main.py` against a bare
PySide6 QMainWindow started the same way in the same run. Target: both ratios <= 1.3.

    python benchmarks/bench_startup.py [--runs 5]

Each run is a fresh child process (QT_QPA_PLATFORM=offscreen, temp XDG dirs): time from spawn to
the window's first paint event, and the child's VmHWM (peak RSS) at that moment.
One discarded warm-up per kind fills the OS file cache and the bytecode cache; the kinds
alternate so drift hits both.

Bytecode: an installed app runs from .pyc files, but a source checkout with
PYTHONDONTWRITEBYTECODE=1 (as in this project's dev containers) compiles every module of ours on
every start (~45 ms for the first window's modules), which PySide6's own, precompiled modules
never pay. So the children get a temporary PYTHONPYCACHEPREFIX that the warm-ups fill, for both
kinds alike; `--no-bytecode-cache` measures the compile-every-time case instead.
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
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHILD = HERE / "_startup_child.py"
TARGET = 1.3


def one(kind: str, env: dict[str, str]) -> tuple[float, int]:
    start = time.time()
    proc = subprocess.run([sys.executable, str(CHILD), kind], env=env, capture_output=True, text=True,
                          timeout=60, cwd=HERE.parent)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"{kind} child failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    data = json.loads(lines[-1])
    return data["painted_at"] - start, int(data["vmhwm_kb"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--floor", action="store_true",
                        help="also measure bare + asyncio/qasync/argparse + PySide6's Qt enums (no target)")
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="compile our modules on every start (PYTHONDONTWRITEBYTECODE as set)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        for var in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
            env[var] = str(Path(tmp) / var.lower())
        if not args.no_bytecode_cache:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        results: dict[str, list[tuple[float, int]]] = {"bare": [], "app": []}
        if args.floor:
            results["floor"] = []
        for kind in results:
            one(kind, env)  # warm-up, discarded
        for _ in range(args.runs):
            for kind in results:
                results[kind].append(one(kind, env))

    med = {k: (statistics.median(t for t, _ in v), statistics.median(m for _, m in v)) for k, v in results.items()}
    cache = "no bytecode cache" if args.no_bytecode_cache else "bytecode cached"
    print(f"Start to first paint and peak RSS, median of {args.runs} runs (offscreen, {cache})")
    print(f"{'what':<34}{'start s':>9}{'peak MB':>9}   runs (s)")
    labels = (("bare", "bare PySide6 QMainWindow"), ("floor", "bare + asyncio/qasync/Qt enums"),
              ("app", "python main.py (MainWindow)"))
    for kind, label in labels:
        if kind not in results:
            continue
        runs = " ".join(f"{t:.3f}" for t, _ in results[kind])
        print(f"{label:<34}{med[kind][0]:>9.3f}{med[kind][1] / 1024:>9.1f}   {runs}")
    time_ratio = med["app"][0] / med["bare"][0]
    rss_ratio = med["app"][1] / med["bare"][1]
    print(f"ratio app/bare: start {time_ratio:.2f}x, peak RSS {rss_ratio:.2f}x "
          f"(target <= {TARGET}x: start {'met' if time_ratio <= TARGET else 'MISSED'}, "
          f"memory {'met' if rss_ratio <= TARGET else 'MISSED'})")
    return 0 if time_ratio <= TARGET and rss_ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
