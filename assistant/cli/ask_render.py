"""The `ask` command's output: its JSON (schema 1, `resources/ask.schema.json`) and its text, laid
out as `diagnose`'s is (the verdict word first, coloured only on a terminal, wrapped to its width).

Every string goes through the report redaction (keys and portal session links removed, customer
e-mails masked); Stripe's words are quoted as sent, with control characters written as escapes.
No session URL ever reaches here: the gateway drops it.
"""

from __future__ import annotations

import json
from typing import Any

from assistant.account.snapshot import map_strings
from assistant.diagnosis.asks.model import ACCEPTED, ERROR, REFUSED, AskResult, AskRun
from assistant.diagnosis.asks.portal_view import PortalView
from assistant.diagnosis.checks import messages as msg
from assistant.diagnosis.status import Status
from assistant.report.asked import disagreement, sessions_line, verbatim
from assistant.report.redaction import RedactionOptions, escape_controls, redact_text
from assistant.report.stripe_said import HEADING as STRIPE_SAID
from assistant.report.text_style import TextStyle

_WHOLE = RedactionOptions(mask_emails=True, display=False)
_SHOWN = RedactionOptions(mask_emails=True)
_INDENT = " " * 11  # under the flow, past "[ACCEPTED] "
_STATUS = {ACCEPTED: Status.PASS, REFUSED: Status.FAIL, ERROR: Status.ERROR}
_WORD = {ACCEPTED: "ACCEPTED", REFUSED: "REFUSED", ERROR: "ERROR"}


def ask_json(run: AskRun) -> str:
    """The JSON: whole values, keys and session links removed, e-mails masked, control
    characters escaped."""
    data: Any = map_strings(run.to_dict(), lambda text: redact_text(text, _WHOLE))
    return escape_controls(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


def _shown(text: str) -> str:
    return redact_text(text, _SHOWN)


def _result_lines(result: AskResult, style: TextStyle) -> list[str]:
    word = _WORD[result.outcome]
    lines = style.wrap(f"[{word:<8}] {_shown(result.ask.said)}", hanging=_INDENT)
    lines[0] = "[" + style.status(_STATUS[result.outcome], word) + lines[0][1 + len(word):]
    if result.finding is not None:
        lines += style.wrap(_shown(result.finding.summary), _INDENT)
    error = result.answer.error
    if error is not None:
        extra = ", ".join(f"{name} {value}" for name, value in (("type", error.type), ("code", error.code),
                          ("param", error.param), ("request", error.request_id)) if value)
        lines += style.wrap(f"{STRIPE_SAID}: {verbatim(error.message)}" + (f" ({extra})" if extra else ""),
                            _INDENT, "  ")
    other = disagreement(result.ask.predicted or "", result.outcome)
    if other:
        lines += style.wrap(style.heading(other) if style.color else other, _INDENT)
    elif result.ask.predicted == REFUSED and result.outcome == REFUSED and result.ask.predicted_said:
        lines += style.wrap(f"The checks expected this: {_shown(result.ask.predicted_said)}.", _INDENT)
    if result.finding is not None and result.finding.fix and result.outcome != ACCEPTED:
        lines.append(f"{_INDENT}What to do:")
        for n, step in enumerate(result.finding.fix, 1):
            lines += style.wrap(f"{n}. {_shown(step)}", _INDENT, "   ")
    return lines


def view_lines(view: PortalView, style: TextStyle) -> list[str]:
    """What the customer sees, subscription by subscription, each action offered or not and why."""
    lines = [style.heading("What the customer sees in the portal:"), *style.wrap(_shown(view.heading), "  ")]
    if not view.judged:
        return lines
    lines += style.wrap(" · ".join(_shown(a.said) for a in view.customer_actions), "  ")
    if not view.subscriptions:
        lines += style.wrap(msg.label("portal_view", "no_subscriptions"), "  ")
    for sub in view.subscriptions:
        lines += style.wrap(f"{_shown(sub.said)} ({sub.subscription_id}, {sub.status or 'unknown status'})", "  ")
        for action in sub.actions:
            lines += style.wrap(f"- {_shown(action.said)}", "    ", "  ")
    return lines


def render_ask(run: AskRun, view: PortalView, style: TextStyle | None = None) -> str:
    style = style or TextStyle()
    account = f"{run.account_name} ({run.account_id})" if run.account_name else (run.account_id or "unknown")
    head = [style.heading("Portal Setup Assistant: asking Stripe, flow by flow")]
    for text in (f"Key: {run.masked_key}   Mode: {run.mode or 'unknown'}   Account: {_shown(account)}",
                 *([f"Connected account: {run.connected_account}"] if run.connected_account else []),
                 f"Customer: {run.customer_id} ({run.customer_kind})   Configuration: {run.configuration_id or 'none'}",
                 f"Asked: {run.generated_at}"):
        head += style.wrap(text, hanging="  ")
    lines = [*head, ""]
    for result in run.results:
        lines += [*_result_lines(result, style), ""]
    lines += [*view_lines(view, style), ""]
    counts = {o: sum(1 for r in run.results if r.outcome == o) for o in (ACCEPTED, REFUSED, ERROR)}
    lines += style.wrap(sessions_line(run.sessions_created))
    lines += style.wrap(f"Result: {counts[ACCEPTED]} accepted · {counts[REFUSED]} refused · {counts[ERROR]} not "
                        "answered.")
    return "\n".join(lines).rstrip() + "\n"
