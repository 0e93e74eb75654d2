"""Write tests/data/practice_served_before.json.xz: everything every practice account serves.

Run: python scripts/capture_practice_served.py [--out PATH]
The stored capture was made once, before the scenario files could extend each other, and is
what `tests/test_practice_served_unchanged.py` compares today's accounts with; write to another
path to look at a difference, never over the stored file (unless a change of what an account
serves is meant, and then say so in the commit).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from support.practice_served import CAPTURE, capture, write


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=CAPTURE)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    data = capture()
    write(data, args.out)
    requests = sum(len(answers) for account in data.values() for answers in account["served"].values())
    print(f"{len(data)} accounts, {requests} answers, {time.perf_counter() - started:.1f} s -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
