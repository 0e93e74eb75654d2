"""Plain-text diagnosis for a terminal or a ticket: status words, never colour alone.

Redacted like every report, so account data cannot write a control sequence to the terminal
and no key or session link is printed; e-mails stay, as the agent on the call needs them.
"""

from __future__ import annotations

import textwrap

from assistant.diagnosis.model import Diagnosis
from assistant.report.redaction import RedactionOptions, redact_diagnosis
from assistant.diagnosis.status import counts_text, status_counts
from assistant.report.stripe_said import stripe_said_line

_WIDTH = 96
_INDENT = " " * 9


def render_text(diagnosis: Diagnosis, options: RedactionOptions | None = None) -> str:
    diagnosis = redact_diagnosis(diagnosis, options or RedactionOptions(mask_emails=False))
    acct = diagnosis.account
    account = f"{acct.id} ({acct.name})" if acct and acct.name else (acct.id if acct else "unknown")
    lines = [
        "Portal Setup Assistant: diagnosis",
        (f"Key: {diagnosis.masked_key or '(none)'}   Mode: {diagnosis.mode or 'unknown'}   "
         f"Account: {account}"),
        f"Generated: {diagnosis.generated_at}   Stripe requests: {diagnosis.request_count}",
    ]
    if diagnosis.fatal:
        lines.append(f"Could not run: {diagnosis.fatal}")
    counted = counts_text(status_counts(c.status for c in diagnosis.checks), none="no checks ran")
    lines.append(f"Result: {counted}. {diagnosis.verdict_line}")
    lines.append("")
    for check in diagnosis.checks:
        lines.append(f"[{check.status.label:<5}] {check.id}: {check.title}")
        lines.extend(_wrap(check.summary))
        for detail in check.details:
            lines.extend(_wrap(f"- {detail}"))
        if check.stripe_error is not None:
            lines.extend(_wrap(stripe_said_line(check.stripe_error)))
        if check.fix and check.status.is_problem:
            lines.append(f"{_INDENT}What to do:")
            for n, step in enumerate(check.fix, 1):
                lines.extend(_wrap(f"{n}. {step}", extra_indent="   "))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _wrap(text: str, extra_indent: str = "") -> list[str]:
    return textwrap.wrap(
        text,
        width=_WIDTH,
        initial_indent=_INDENT,
        subsequent_indent=_INDENT + extra_indent + "  ",
        break_long_words=False,
        break_on_hyphens=False,
    ) or [_INDENT]
