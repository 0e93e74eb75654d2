"""Write assistant/resources/practice/read_params.json and write_params.json from Stripe's spec.

Run: python scripts/derive_practice_params.py [--check]
The input is tests/data/spec3.2026-05-27.subset.json (provenance in tests/data/README.md); the
derivation is tests/support/spec_params.py, which tests/test_practice_spec.py runs again to
compare with the shipped files. `--check` writes nothing and exits 1 when a file differs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from support.spec_params import documents

OUT = ROOT / "assistant" / "resources" / "practice"


def render(document: dict[str, object]) -> str:
    return json.dumps(document, indent=1, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 on a difference")
    args = parser.parse_args(argv)
    stale = []
    for name, document in documents().items():
        path, text = OUT / name, render(document)
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(name)
        if not args.check:
            path.write_text(text, encoding="utf-8")
    verb = "differ" if args.check else "written"
    print(f"{', '.join(stale)} {verb}" if stale else "up to date")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
