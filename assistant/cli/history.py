"""`main.py history`: list saved runs, newest first, as an aligned table or as JSON.

With a team database it lists every agent's runs (each with the agent's name) and the changes
guided fixes made to the accounts; when the team database is away it says so in one line on
standard error and lists this computer's runs instead.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from collections.abc import Mapping
from typing import TextIO

from assistant.cli.open_writes import say_waiting
from assistant.cli.shared import EXIT_FAILED, UsageError, deadline_after, open_history_for
from assistant.diagnosis.status import counts_text
from assistant.report.asked import asks_news
from assistant.report.redaction import CONTROL_CHARS, escape_controls
from assistant.store.case_history import CaseHistory
from assistant.store.records import AccountChange, RunSummary
from assistant.store.summaries import change_detail, change_phrase

log = logging.getLogger(__name__)

FORMATS = ("text", "json")
# Every control and bidi character (redaction's list) and the tab and newline it allows.
_UNPRINTABLE = re.compile(f"[{CONTROL_CHARS}\t\n]")
_COLUMNS = ("ID", "When (UTC)", "Agent", "Mode", "Account", "Key", "Result", "Ticket")
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
    """The checks' counts, and what Stripe refused when asked from the run."""
    news = asks_news(run.asks)
    counts = counts_text(run.counts, none="no checks")
    return f"{counts}; {news}" if news else counts


def _row(run: RunSummary) -> tuple[str, ...]:
    account = _clean(run.account_id) or "-"
    if run.account_name:
        account += f" ({_clean(run.account_name, _MAX_NAME)})"
    return (
        str(run.id),
        _clean(_when(run.created_at)),
        _clean(run.agent, 20) or "-",
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
        out.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() + "\n")
        if n == 0:
            out.write("  ".join("-" * w for w in widths) + "\n")


def _write_changes(changes: list[AccountChange], out: TextIO) -> None:
    out.write("\nChanges made to the account" + ("s" if len({c.account_id for c in changes}) > 1 else "")
              + " (newest first)\n")
    for c in changes:
        out.write(f"  {_clean(_when(c.applied_at))}  {_clean(c.account_id)}  "
                  f"{_clean(change_phrase(c))}: {_clean(change_detail(c), 160)}\n")


def _team_note(store: CaseHistory, err: TextIO) -> dict[str, object]:
    """What the JSON says about where the listing came from; a line on stderr when it is local."""
    if not store.is_team:
        return {"source": "local"}
    sharing = store.sharing()
    if not store.is_shared_view:
        waiting = f" {sharing.message}" if sharing.pending else ""
        err.write(f"portal-assistant: {sharing.problem or 'The team database cannot be reached.'} "
                  f"Showing the runs saved on this computer.{waiting}\n")
    return {"source": "team" if store.is_shared_view else "local", "team": store.where,
            "pending": sharing.pending}


def run_history_command(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    """`main.py history`: the listing of the history this command uses; a history that cannot
    be read is named in one line (exit 1), never a traceback."""
    from assistant.store.history import default_path
    from assistant.store.unreadable import history_problem

    try:
        store = open_history_for(args, environ, deadline=deadline_after(getattr(args, "timeout", None)))
        say_waiting(store, sys.stderr)
        return run_history(args.account, args.format, store, sys.stdout, err=sys.stderr)
    except (UsageError, BrokenPipeError):
        raise
    except Exception as err:  # a damaged or unreadable file: name it, never a traceback
        log.warning("could not read the history: %s", type(err).__name__)
        print(f"portal-assistant: the case history cannot be read: "
              f"{history_problem(err, default_path())}", file=sys.stderr)
        return EXIT_FAILED


def run_history(account: str | None, fmt: str, store: CaseHistory, out: TextIO,
                err: TextIO | None = None) -> int:
    """Print the history listing; 0 on success, 2 for an unknown format."""
    if fmt not in FORMATS:
        print(f"Unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}.", file=sys.stderr)
        return 2
    runs: list[RunSummary] = store.list_runs(account_id=account)
    changes: list[AccountChange] = store.changes(account)
    where = _team_note(store, err or sys.stderr)
    if fmt == "json":
        statuses = store.statuses(r.id for r in runs)
        data = {
            "schema": 1,
            "account": account,
            **where,
            "runs": [{**r.to_dict(), "statuses": statuses.get(r.id, {})} for r in runs],
            "changes": [c.to_dict() for c in changes],
        }
        # Whole values, with every control and invisible character escaped as in every JSON output.
        out.write(escape_controls(json.dumps(data, ensure_ascii=False, indent=2)) + "\n")
        return 0
    if not runs:
        out.write(
            f"No saved runs for {_clean(account)}.\n" if account else "No saved runs yet.\n"
        )
    else:
        _write_text(runs, out)
    if changes:
        _write_changes(changes, out)
    return 0
