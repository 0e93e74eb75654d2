"""`main.py history`: list saved runs, newest first, as an aligned table or as JSON."""

from __future__ import annotations

import json
import re
import sys
from typing import TextIO

from assistant.diagnosis.model import Status
from assistant.store.history import HistoryStore, RunSummary

FORMATS = ("text", "json")
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_COLUMNS = ("ID", "When (UTC)", "Mode", "Account", "Key", "Result", "Ticket")
_MAX_NAME = 28


def _clean(text: str | None, limit: int | None = None) -> str:
    """One terminal-safe line: an account name must not be able to move the cursor."""
    text = _UNPRINTABLE.sub(" ", text or "").strip()
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def _when(created_at: str) -> str:
    return created_at.replace("T", " ").removesuffix("Z")[:19]


def _result(run: RunSummary) -> str:
    parts = [f"{run.count(s)} {s.label}" for s in Status if run.count(s)]
    return ", ".join(parts) or "no checks"


def _row(run: RunSummary) -> tuple[str, ...]:
    account = _clean(run.account_id) or "-"
    if run.account_name:
        account += f" ({_clean(run.account_name, _MAX_NAME)})"
    return (
        str(run.id),
        _clean(_when(run.created_at)),
        _clean(run.mode) or "-",
        account,
        _clean(run.masked_key) or "-",
        _result(run),
        _clean(run.ticket, 20) or "-",
    )


def _write_text(runs: list[RunSummary], out: TextIO) -> None:
    rows = [_COLUMNS, *(_row(r) for r in runs)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_COLUMNS))]
    for n, row in enumerate(rows):
        out.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() + "\n")
        if n == 0:
            out.write("  ".join("-" * w for w in widths) + "\n")


def run_history(account: str | None, fmt: str, store: HistoryStore, out: TextIO) -> int:
    """Print the history listing; 0 on success, 2 for an unknown format."""
    if fmt not in FORMATS:
        print(f"Unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}.", file=sys.stderr)
        return 2
    runs = store.list_runs(account_id=account)
    if fmt == "json":
        json.dump(
            {"schema": 1, "account": account, "runs": [r.to_dict() for r in runs]},
            out,
            ensure_ascii=False,
            indent=2,
        )
        out.write("\n")
        return 0
    if not runs:
        out.write(
            f"No saved runs for {_clean(account)}.\n" if account else "No saved runs yet.\n"
        )
        return 0
    _write_text(runs, out)
    return 0
