"""What Stripe said when asked, flow by flow, as every report says it: the ticket note's section,
the `ask` command's text, the window's rows and the History window.

Plain data handed in by whoever knows the asks (the window keeps the last ones; a saved run's are
in the case history), so the report never reads the history. Stripe's words are quoted as
Stripe sent them (keys and session links removed, control characters written as escapes, never
executed); everything else is the app's own wording from `resources/checks.json`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assistant.diagnosis.asks.model import ACCEPTED, ERROR, REFUSED, AskResult, AskRun
from assistant.diagnosis.checks import messages as msg
from assistant.report.call_changes import when_text
from assistant.report.redaction import CONTROL_CHARS, RedactionOptions, redact_text
from assistant.report.stripe_said import HEADING as STRIPE_SAID

HEADING = "What Stripe said when asked"
_CONTROL = re.compile(f"[{CONTROL_CHARS}]")
_QUOTE = RedactionOptions(mask_emails=True, display=False)


@dataclass(frozen=True)
class Asked:
    """One flow Stripe was asked about, for a report."""

    said: str  # the flow in plain words ("Cancel the subscription to …")
    outcome: str  # accepted, refused, error
    summary: str = ""  # the finding's sentence ("" for an accepted ask)
    stripe_message: str = ""
    request_id: str = ""
    predicted: str = ""
    asked_at: str = ""
    fix: tuple[str, ...] = ()  # what to do about a refusal, in the finding's words (() when not known)

    @classmethod
    def of(cls, result: AskResult, asked_at: str = "") -> Asked:
        error = result.answer.error
        request_id = result.answer.request_id or (error.request_id if error else None) or ""
        finding = result.finding
        return cls(result.ask.said, result.outcome, finding.summary if finding else "",
                   error.message if error else "", request_id, result.ask.predicted or "", asked_at,
                   finding.fix if finding and result.outcome != ACCEPTED else ())

    @property
    def disagrees(self) -> bool:
        return self.predicted in (ACCEPTED, REFUSED) and self.outcome in (ACCEPTED, REFUSED) \
            and self.predicted != self.outcome


def verbatim(text: str) -> str:
    """Stripe's words shown as sent: a key or a session link removed, a control character
    written as `\\u001b` rather than sent to the reader's terminal or document."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group(0)):04x}", redact_text(text, _QUOTE))


def outcome_word(outcome: str) -> str:
    return msg.label("ask_outcomes", outcome)


def disagreement(predicted: str, outcome: str) -> str:
    """"The checks expected this to work; Stripe refused it." (or the reverse); "" when they agree."""
    if predicted == ACCEPTED and outcome == REFUSED:
        return msg.label("ask_lines", "disagree_refused")
    if predicted == REFUSED and outcome == ACCEPTED:
        return msg.label("ask_lines", "disagree_accepted")
    return ""


def sessions_line(created: int) -> str:
    """How many portal sessions the asks created, and that each told the owner's endpoints."""
    if created == 0:
        return msg.label("ask_lines", "no_session_created")
    if created == 1:
        return msg.label("ask_lines", "one_session_created")
    return msg.fill(msg.label("ask_lines", "sessions_created"), {"count": created})


def asked_line(asked: Asked, day: str = "") -> str:
    """One flow on one line: what was asked, Stripe's verdict, why, Stripe's words."""
    when = f"{when_text(asked.asked_at, day)}: " if asked.asked_at else ""
    line = f"{when}{asked.said}: {outcome_word(asked.outcome)}"
    if asked.summary:
        line += f" — {asked.summary}"
    if asked.stripe_message:
        line += f' {STRIPE_SAID}: "{verbatim(asked.stripe_message)}"'
        if asked.request_id:
            line += f" (request {asked.request_id})"
    other = disagreement(asked.predicted, asked.outcome) if asked.disagrees else ""
    return f"{line} {other}" if other else line


def asked_lines(asked: Sequence[Asked], day: str = "") -> list[str]:
    return [asked_line(a, day) for a in asked]


def asked_in(run: AskRun | None) -> tuple[Asked, ...]:
    """Each answer of an ask run, stamped with when it was sent (() when Stripe was not asked)."""
    return tuple(Asked.of(r, run.generated_at) for r in run.results) if run is not None else ()


def outcomes(asked: Sequence[Asked]) -> Counter[str]:
    """How many asks Stripe accepted, refused and left unanswered: outcome -> number, the one
    tally every verdict below reads (a history listing keeps only this)."""
    return Counter(a.outcome for a in asked)


def asks_verdict(asked: Sequence[Asked]) -> str:
    """What the asks add to a run's verdict, in one or two sentences ("" when Stripe opened every
    flow): a refusal is news even when every check passed, so the note's headline and the Report
    step say it beside the checks' own verdict instead of "no problems" alone."""
    tally = outcomes(asked)
    refused, unanswered = tally[REFUSED], tally[ERROR]
    flows = f"{len(asked)} portal flow{'' if len(asked) == 1 else 's'}"
    sentences = []
    if refused:
        sentences.append(msg.fill(msg.label("ask_lines", "verdict_refused"), {"refused": refused, "flows": flows}))
    if unanswered:
        sentences.append(msg.fill(msg.label("ask_lines", "verdict_unanswered"),
                                  {"unanswered": unanswered, "flows": flows}))
    return " ".join(sentences)


def headline_with_asks(headline: str, asked: Sequence[Asked]) -> str:
    """A run's headline with what Stripe refused when asked beside it: the one wording the note,
    the Report step and the status line share."""
    verdict = asks_verdict(asked)
    return f"{headline} {verdict}" if verdict else headline


def asks_news(tally: Mapping[str, int]) -> str:
    """"Stripe refused 1 flow": the asks' news in the few words a checklist row or a history
    listing has room for ("" when Stripe opened every flow); `tally` as `outcomes` counts."""
    refused, unanswered = tally.get(REFUSED, 0), tally.get(ERROR, 0)
    parts = []
    if refused:
        parts.append(msg.fill(msg.label("ask_lines", "short_refused"), {"flows": _flows(refused)}))
    if unanswered:
        parts.append(msg.fill(msg.label("ask_lines", "short_unanswered"), {"flows": _flows(unanswered)}))
    return ", ".join(parts)


def _flows(count: int) -> str:
    return f"{count} flow{'' if count == 1 else 's'}"


def to_do_title(asked: Asked) -> str:
    """"Stripe refuses: Cancel the subscription to …": a refused flow in "What the owner still
    has to do"."""
    name = "to_do_refused" if asked.outcome == REFUSED else "to_do_unanswered"
    return msg.fill(msg.label("ask_lines", name), {"said": asked.said})
