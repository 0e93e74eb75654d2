"""Plain-text diagnosis for a terminal or a ticket: problems first, status words, colour optional.

Read on a call, so what needs doing comes first: the headline and the sentence to say (as the
window's status line and every other report begin), then each failing check (then the ones that
could not run, then the warnings: `STATUS_ORDER`, the order counts are said in everywhere) with
its summary and what to do, then one line per passing and skipped check. `TextStyle.verbose` gives
every check in full, evidence included.

Redacted like every report (e-mails masked unless the agent asks, as in every other format),
so account data cannot write a control sequence to the terminal and no key or session link is
printed; colour, when asked for, is only ever put around the renderer's own words.
"""

from __future__ import annotations

from collections.abc import Callable

from assistant.diagnosis.model import CheckResult, Diagnosis
from assistant.diagnosis.status import STATUS_ORDER, Status
from assistant.diagnosis.summary import summarise
from assistant.report.note import counts_line
from assistant.report.redaction import RedactionOptions, redact_diagnosis, redaction_notice
from assistant.report.stripe_said import stripe_said_line
from assistant.report.text_style import TextStyle

_INDENT = " " * 8  # under the check id, past "[FAIL ] "
_HANGING = "  "


def render_text(
    diagnosis: Diagnosis,
    options: RedactionOptions | None = None,
    *,
    style: TextStyle | None = None,
) -> str:
    options = options or RedactionOptions()
    style = style or TextStyle()
    diagnosis = redact_diagnosis(diagnosis, options)
    lines = _header(diagnosis, options, style)
    ordered = sorted(diagnosis.checks, key=lambda c: STATUS_ORDER.index(c.status))
    groups: tuple[tuple[str, list[CheckResult], Callable[[CheckResult, TextStyle], list[str]]], ...] = (
        ("Needs attention", [c for c in ordered if c.status.is_problem], _problem),
        ("Passed", [c for c in ordered if c.status is Status.PASS], _one_line),
        ("Not checked", [c for c in ordered if c.status is Status.SKIP], _one_line),
    )
    for heading, checks, brief in groups:
        if checks:
            lines += ["", style.heading(f"{heading} ({len(checks)}):")]
        for check in checks:
            if style.verbose:
                lines += [*_full(check, style), ""]
            else:
                lines += brief(check, style) + ([""] if brief is _problem else [])
    if diagnosis.checks and not style.verbose:
        lines += ["", *style.wrap("Every check's evidence: run again with --verbose.")]
    return "\n".join(lines).rstrip() + "\n"


def _header(diagnosis: Diagnosis, options: RedactionOptions, style: TextStyle) -> list[str]:
    acct = diagnosis.account
    account = f"{acct.name} ({acct.id})" if acct and acct.name else (acct.id if acct else "unknown")
    counted = counts_line(diagnosis)
    lines = [*style.wrap(summarise(diagnosis).line, hanging=_HANGING), "",
             style.heading("Portal Setup Assistant: diagnosis")]
    for text in (
        (f"Key: {diagnosis.masked_key or '(none)'}   Mode: {diagnosis.mode or 'unknown'}   "
         f"Account: {account}"),
        *([f"Connected account: {diagnosis.connected_account_shown}"] if diagnosis.connected_account else []),
        f"Generated: {diagnosis.generated_at}   Stripe requests: {diagnosis.request_count}",
        f"Stripe API version: {diagnosis.api_version_shown}",
        *([f"Could not run: {diagnosis.fatal}"] if diagnosis.fatal else []),
        f"Result: {counted}. {diagnosis.verdict_line}",
        f"{redaction_notice(options)}.",
    ):
        lines += style.wrap(text, hanging=_HANGING)
    return lines


def _title_lines(check: CheckResult, style: TextStyle, *, one_line: bool = False) -> list[str]:
    """`[FAIL ] portal.products: <title>`, the status word coloured (after wrapping, so the
    escape codes never count towards the width)."""
    label = check.status.label
    text = f"[{label:<5}] {check.id}: {check.title}"
    lines = [style.one_line(text)] if one_line else style.wrap(text, hanging=_INDENT)
    lines[0] = "[" + style.status(check.status, label) + lines[0][1 + len(label):]
    return lines


def _problem(check: CheckResult, style: TextStyle) -> list[str]:
    """The summary, what Stripe said (why it could not run), and what to do."""
    lines = _title_lines(check, style) + style.wrap(check.summary, _INDENT)
    if check.stripe_error is not None:
        lines += style.wrap(stripe_said_line(check.stripe_error), _INDENT, _HANGING)
    return lines + _fix(check, style)


def _one_line(check: CheckResult, style: TextStyle) -> list[str]:
    """A pass is its title on one line; a skip adds why it was not checked (what to give so it
    can be), so a skip never reads as a pass."""
    if check.status is Status.SKIP:
        return _title_lines(check, style) + style.wrap(check.summary, _INDENT)
    return _title_lines(check, style, one_line=True)


def _full(check: CheckResult, style: TextStyle) -> list[str]:
    lines = _title_lines(check, style) + style.wrap(check.summary, _INDENT)
    for detail in check.details:
        lines += style.wrap(f"- {detail}", _INDENT, _HANGING)
    if check.stripe_error is not None:
        lines += style.wrap(stripe_said_line(check.stripe_error), _INDENT, _HANGING)
    return lines + (_fix(check, style) if check.status.is_problem else [])


def _fix(check: CheckResult, style: TextStyle) -> list[str]:
    if not check.fix:
        return []
    lines = [f"{_INDENT}What to do:"]
    for n, step in enumerate(check.fix, 1):
        lines += style.wrap(f"{n}. {step}", _INDENT, "   ")
    return lines
