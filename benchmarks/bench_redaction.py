"""Redaction of 1 MB of hostile account names: a whole run saved to the history and rendered.

With a key registered, as in every run (issue 21): any 12-character piece of it is looked for too.

    python benchmarks/bench_redaction.py [--megabytes 1] [--runs 5]

Issue 14: one 100 KB product name took 125 s to save because the e-mail pattern retried every
position of a long run. Target: 1 MB of names through `redact_diagnosis` (what the history,
the reports and the log do) in under 1 s, and time linear in the input (2 MB about twice 1 MB).
Three kinds of name, about a third of the megabyte each: one unbroken run of address
characters (the old worst case), many names with spaces, and names full of URL, key and
e-mail look-alikes.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.account.secret_pieces import remember
from assistant.report.redaction import RedactionOptions, redact_diagnosis
from assistant.report.sample import sample_diagnosis
from assistant.store.history import HistoryStore


def hostile_names(total: int) -> list[str]:
    third = total // 3
    run = "x" * third  # no @ anywhere: every position used to be scanned to the end
    spaced = " ".join(f"Gold plan {i}" for i in range(third // 13))[:third]
    lookalike = ("billing.stripe.com/billing/ https://evil.example\\@stripe.com/ sk_test_ "
                 "ann.lee%40shop a@b ")
    mixed = (lookalike * (third // len(lookalike) + 1))[:third]
    return [run, spaced, mixed]


def diagnosis_with(names: list[str]):  # type: ignore[no-untyped-def]
    d = sample_diagnosis()
    checks = list(d.checks)
    for i, name in enumerate(names):
        checks[i] = replace(checks[i], details=(f"Offered product “{name}”: archived",))
    return replace(d, checks=tuple(checks))


def seconds(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--megabytes", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    size = int(args.megabytes * 1_000_000)
    options = RedactionOptions()
    # A key registered, as in every run of the app (issue 21): every piece of 12 characters of it
    # is searched for as well. The names hold none of it, so this is the pieces' whole cost.
    remember("sk_test_51Pq7RtX2mZ9kLw4BcHd83kQpz0YwVn5TgR2xLm9AeCj4Ub7Ns1Fv6Ki0Oq3Pw8Za2Xy5Mt9Rb4Lc7Nd1Ge6Hj3K")
    for label, total in (("1x", size), ("2x", 2 * size)):
        d = diagnosis_with(hostile_names(total))
        chars = sum(len(c.summary) + sum(map(len, c.details)) for c in d.checks)
        redact = seconds(partial(redact_diagnosis, d, options), args.runs)
        with tempfile.TemporaryDirectory() as tmp:
            store = HistoryStore(Path(tmp) / "history.sqlite3")
            save = seconds(partial(store.save, d), args.runs)
        print(f"{label}: {chars / 1e6:.2f} MB of names  redact_diagnosis {redact:.3f} s  "
              f"history save {save:.3f} s  (median of {args.runs})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
