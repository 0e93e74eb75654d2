"""`fix` in a terminal: the plan, field by field, and what applying (or undoing) did.

Account data (product names, URLs) reaches these lines, so every line loses its control and
bidi characters (nothing can move the cursor, recolour the terminal or reorder the text) and
overlong runs are shortened; the JSON keeps whole values with those characters escaped.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Mapping, Sequence

from assistant.account.api_version import STRIPE_API_VERSION
from assistant.diagnosis.fix_runner import APPLIED, UNKNOWN, Applied, FixOutcome
from assistant.diagnosis.fixes.display import NONE, Line, preview, value_text
from assistant.diagnosis.fixes.model import GUIDED, FieldChange, Fix, Plan
from assistant.report.redaction import escape_controls, shorten, strip_controls

_WIDTH = 100
_IN = "   "


def clean(text: str) -> str:
    """One display-safe line of account data."""
    return shorten(strip_controls(text).replace("\n", " ").replace("\r", " "))


def json_text(data: dict[str, object]) -> str:
    return escape_controls(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


def _wrap(text: str, indent: str = _IN) -> list[str]:
    return textwrap.wrap(clean(text), width=_WIDTH, initial_indent=indent, subsequent_indent=indent + "  ",
                         break_long_words=False, break_on_hyphens=False) or [indent]


def change_lines(change: FieldChange, indent: str = _IN, names: Mapping[str, str] | None = None) -> list[str]:
    """One field in the owner's words: its Dashboard name, the values before and after (list
    entries one a line, marked added or removed in words), and the ids in a detail line."""
    shown = preview(change, names)
    lines = _wrap(shown.label, indent)
    for word, column in (("before", 0), ("after", 1)):
        side = shown.side(column)
        if len(shown.rows) == 1 and len(side) == 1:
            lines += _wrap(f"{word + ':':8}{side[0].shown}", indent + "  ")
            continue
        lines += _wrap(f"{word}:", indent + "  ")
        for line in side or [Line(NONE)]:
            lines += _wrap(line.shown, indent + "    ")
    lines += _wrap(shown.detail, indent + "  ")
    return lines


def render_plan(plan: Plan) -> str:
    acct = plan.account
    who = f"{acct.id} ({acct.name})" if acct and acct.name else (acct.id if acct else "unknown account")
    lines = [clean(f"Fixes for {who}, {plan.mode or 'unknown'} mode, key {plan.masked_key or '(none)'}")]
    if plan.connected_account:
        lines.append(clean(f"Sent as the connected account {plan.connected_account} (Stripe-Account)."))
    lines.append("")
    if not plan.fixes:
        lines.append("Nothing to fix: no check that warns or fails has a fix the assistant can apply.")
    for n, fix in enumerate(plan.fixes, 1):
        lines += fix_lines(fix, n, plan.choices(fix))
        lines.append("")
    if any(f.ready for f in plan.fixes):
        lines.append("Nothing has been written. To apply: main.py fix --apply FIX_OR_CHECK --yes"
                     + (" --live-confirm ACCOUNT_ID" if any(f.live and f.ready for f in plan.fixes) else ""))
    return "\n".join(lines).rstrip() + "\n"


def fix_lines(fix: Fix, n: int, choices: Sequence[Fix] = ()) -> list[str]:
    lines = [clean(f"{n}. {fix.id} [{fix.kind}, {fix.mode or 'unknown'} mode]: {fix.title}")]
    if len(choices) > 1:
        place = next(i for i, c in enumerate(choices, 1) if c is fix)
        first = " (first choice: --apply all and the check id pick it)" if place == 1 else ""
        lines += _wrap(f"Choice {place} of {len(choices)} for the same problem; apply one of them{first}.")
    lines += _wrap(fix.summary)
    if fix.for_customer:
        lines += _wrap(f"For customers: {fix.for_customer}")
    for change in fix.changes:
        lines += change_lines(change, names=fix.names)
    for request in fix.requests:
        lines += _wrap(f"sends: {request.method} {request.path}")
    if fix.kind == GUIDED:
        lines += [*(ln for i, step in enumerate(fix.steps, 1) for ln in _wrap(f"{i}. {step}"))]
    for note in fix.notes:
        lines += _wrap(f"Note: {note}")
    blocker = fix.blocker() if fix.kind != GUIDED else None
    if blocker:
        lines += _wrap(f"Not ready: {blocker}")
    return lines


def outcome_lines(outcome: FixOutcome, *, undo: bool = False) -> list[str]:
    fix = outcome.fix
    word = "UNDONE" if undo and outcome.status == APPLIED else outcome.status.upper()
    lines = [clean(f"[{word}] {fix.id}: {fix.title}")]
    if outcome.status != APPLIED:
        return lines + _not_applied_lines(outcome)
    if outcome.answer_lost:
        lines += _wrap(outcome.lost_sentence)
    for change in outcome.changes:
        lines += change_lines(change, names=fix.names)
    if outcome.request_ids:
        lines += _wrap("Stripe request: " + ", ".join(outcome.request_ids))
    if outcome.mismatches:
        for miss in outcome.mismatches:
            now = "the object is gone" if miss.gone else f"it holds {value_text(miss.now)}"
            lines += _wrap(f"Did not take effect: {miss.change.field} ({now}).")
    else:
        lines += _wrap("Took effect: Stripe now holds the values above.")
    if outcome.check is not None:
        lines += _wrap(f"Check {outcome.check.id} now: {outcome.check.status.label}. {outcome.check.summary}")
    return lines + _recorded_lines(outcome, undo=undo)


def _not_applied_lines(outcome: FixOutcome) -> list[str]:
    """Refused (nothing was changed), or the answer was lost: then never "nothing was changed"
    (it may have been), but what reading the object showed."""
    if outcome.answer_lost:
        lines = _wrap(outcome.lost_sentence) + _wrap(f"(What came back: {outcome.error_summary})")
        if outcome.status == UNKNOWN:
            lines += _wrap("Check the object in the Dashboard before applying the fix again; the next command "
                           "with this account's key checks it and records it if it was made.")
        return lines
    lines = _wrap(f"Nothing was changed. {outcome.error_summary}".strip())
    if outcome.error is not None and (outcome.error.code or outcome.error.request_id):
        extra = ", ".join(f"{k} {v}" for k, v in (("code", outcome.error.code),
                                                   ("request", outcome.error.request_id)) if v)
        lines += _wrap(f"Stripe: {extra}")
    return lines


def _recorded_lines(outcome: FixOutcome, *, undo: bool) -> list[str]:
    if outcome.record_problem:
        return _wrap(outcome.record_problem)
    if outcome.change_id and not undo:
        return _wrap(f"Recorded as change {outcome.change_id}; undo with: "
                     f"main.py fix --undo {outcome.change_id} --yes")
    if outcome.change_id:
        return _wrap(f"Recorded as change {outcome.change_id}.")
    return []


def render_applied(applied: Applied, *, undo: bool = False) -> str:
    lines: list[str] = []
    for outcome in applied.outcomes:
        lines += outcome_lines(outcome, undo=undo)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def applied_json(applied: Applied, mode: str | None, connected_account: str | None = None) -> dict[str, object]:
    """The `fix --apply/--undo --format json` object (schema 1)."""
    return {"schema": 1, "api_version": STRIPE_API_VERSION, "mode": mode,
            "connected_account": connected_account,
            "applied": [o.to_dict() for o in applied.outcomes],
            "checks": [c.to_dict() for c in applied.checks]}
