"""How a saved run reads in the History window, as plain text: each value redacted once more on
its way to the screen and kept to one line where a name from Stripe could break a row, times in
the agent's own zone, counts worst first, and each change since the previous run in words.

No widgets here: the dialog puts these strings in its labels and table cells.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo

from assistant.diagnosis.model import Status
from assistant.diagnosis.status import STATUS_ORDER, worst_counted
from assistant.diagnosis.status import counts_text as status_counts_text
from assistant.report.redaction import RedactionOptions, redact_text
from assistant.store.history import CheckChange

# Worst first, so an agent scanning the changes sees what broke before what got better.
KIND_ORDER = ("regressed", "fixed", "changed", "new", "removed")
KIND_WORDS = {
    "regressed": "REGRESSED",
    "fixed": "FIXED",
    "changed": "CHANGED",
    "new": "NEW",
    "removed": "REMOVED",
}
MODE_WORDS = {"test": "TEST", "live": "LIVE"}
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
_SHOWN = RedactionOptions(mask_emails=True)


def safe(text: str | None) -> str:
    """Text from the store as it may be shown: redacted again, in case an old file holds more."""
    return redact_text(text or "", _SHOWN)


def one_line(text: str | None) -> str:
    """A table cell or combo entry: a name from Stripe must not break the row."""
    return _UNPRINTABLE.sub(" ", safe(text)).strip()


def local_time(generated_at: str, tz: tzinfo | None = None) -> str:
    """Short local time for the list ("2024-06-03 16:07"); an unreadable stamp is shown as is."""
    try:
        when = datetime.fromisoformat(generated_at)
    except (TypeError, ValueError):
        return one_line(generated_at) or "unknown"
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def mode_word(mode: str | None) -> str:
    return MODE_WORDS.get(mode or "", one_line(mode).upper() or "UNKNOWN")


def counts_text(counts: dict[str, int]) -> str:
    """"1 FAIL · 11 PASS · 1 SKIP": worst first, zero counts left out."""
    return status_counts_text(counts, " · ", none="no checks")


def result_cell(counts: dict[str, int]) -> str:
    """The list's result cell: the problems on the first line, the rest on the second (rows
    are two lines tall for the account anyway), so the column stays narrow."""
    problems = {s.value: n for s, n in ((s, counts.get(s.value, 0)) for s in STATUS_ORDER)
                if s.is_problem and n}
    rest = {k: n for k, n in counts.items() if k not in problems}
    lines = [counts_text(problems) if problems else "", counts_text(rest) if any(rest.values()) else ""]
    return "\n".join(line for line in lines if line) or counts_text(counts)


def worst_status(counts: dict[str, int]) -> Status | None:
    return worst_counted(counts)


def connected_text(connected_account: str | None) -> str:
    """"as connected account acct_…" for a run a platform's key made acting for one of its
    connected accounts (Stripe Connect: that account's own settings were checked); "" otherwise."""
    return f"as connected account {one_line(connected_account)}" if connected_account else ""


def account_text(account_id: str | None, account_name: str | None, connected_account: str | None = None) -> str:
    """"acct_… · Name", and ", as connected account acct_…" when the run acted as one."""
    if not account_id:
        text = "No account read"
    else:
        name = one_line(account_name)
        text = f"{one_line(account_id)} · {name}" if name else one_line(account_id)
    return f"{text}, {connected_text(connected_account)}" if connected_account else text


def account_cell(account_id: str | None, account_name: str | None, connected_account: str | None = None) -> str:
    """The list's account cell: the name people say, then the id, on two lines; a third says
    the connected account the run acted as."""
    if not account_id:
        text = "No account read"
    else:
        name = one_line(account_name)
        text = f"{name}\n{one_line(account_id)}" if name else one_line(account_id)
    return f"{text}\n{connected_text(connected_account)}" if connected_account else text


def _status_word(status: Status | None, missing: str) -> str:
    return status.label if status is not None else missing


def change_text(change: CheckChange) -> str:
    """"FIXED Products offered for plan switching can be used: FAIL → PASS; no longer found:
    price.archived (price_1 "Monthly")" — the check by the title the agent knows from the
    window (its id only when a run kept no title), then the problems that came and went."""
    old = _status_word(change.old_status, "not in the previous run")
    new = _status_word(change.new_status, "not in this run")
    name = one_line(change.title) or change.check_id
    text = f"{KIND_WORDS.get(change.kind, change.kind.upper())} {name}: {old} → {new}"
    for words, refs in (("now found", change.appeared), ("no longer found", change.cleared)):
        if refs:
            text += f"; {words}: " + ", ".join(one_line(r.label) for r in refs)
    return text


def change_icon(change: CheckChange) -> str:
    """The icon name: the new status's own shape (a removed check gets the info circle)."""
    return change.new_status.value if change.new_status is not None else "info"


def sorted_changes(changes: list[CheckChange]) -> list[CheckChange]:
    return sorted(changes, key=lambda c: KIND_ORDER.index(c.kind) if c.kind in KIND_ORDER else 99)
