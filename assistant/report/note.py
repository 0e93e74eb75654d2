"""The ticket note: what a run and the call around it amount to, in the order a colleague
reads a ticket.

First the headline and the sentence said to the owner ("1 problem: Plans and prices — …"),
then what was changed on the account in this call (before → after, and whether it was undone),
then what Stripe said when asked about each portal flow (when it was asked), then what the
owner still has to do, then the checks: the ones that need attention in full,
every other one on a line. Checks are labelled by the step the window shows them on, numbered
as the window numbers its steps ("4. Return URL"). Markdown, HTML (and the PDF printed from it)
render this one structure, so they can never order or count differently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.diagnosis.asks.model import ACCEPTED
from assistant.diagnosis.model import CheckResult, Diagnosis
from assistant.diagnosis.status import STATUS_ORDER, Status, counts_text, status_counts
from assistant.diagnosis.summary import summarise
from assistant.knowledge import checklist
from assistant.report.asked import Asked, asked_lines, headline_with_asks, sessions_line, to_do_title
from assistant.report.call_changes import MadeChange, change_lines


@dataclass(frozen=True)
class NoteCheck:
    """A check as the note lists it: under the step the window shows it on."""

    step: str  # "4. Return URL" ("" for a check the checklist does not declare)
    check: CheckResult

    @property
    def status(self) -> Status:
        return self.check.status

    @property
    def label_prefix(self) -> str:
        """"4. Return URL — " before the check's title (our own words: templates need not escape)."""
        return f"{self.step} — " if self.step else ""


@dataclass(frozen=True)
class AskToDo:
    """A flow Stripe refused (or gave no verdict on), as "What the owner still has to do" lists it."""

    title: str  # "Stripe refuses: Cancel the subscription to …"
    steps: tuple[str, ...]  # what to do, in the finding's words
    summary: str = ""  # why, when no steps are known (a saved run's answer)


@dataclass(frozen=True)
class TicketNote:
    headline: str  # "1 problem: Return URL"
    read_out: str  # the sentence to say to the owner ("" when there is none)
    counts: str  # "1 FAIL · 0 ERROR · 0 WARN · 14 PASS · 1 SKIP"
    changes: tuple[str, ...] | None  # None: not known here (the command line has no call)
    to_do: tuple[NoteCheck, ...]  # checks that need attention and say what to do
    attention: tuple[NoteCheck, ...]  # fail, error, warn: in full
    rest: tuple[NoteCheck, ...]  # pass and skip: one line each, in checklist order
    asks: tuple[str, ...] | None = None  # what Stripe said of each flow asked (None: Stripe was not asked)
    asks_sessions: str = ""  # how many portal sessions the asks created
    asks_to_do: tuple[AskToDo, ...] = ()  # the flows Stripe refused or gave no verdict on

    @property
    def nothing_to_do(self) -> bool:
        return not self.to_do and not self.asks_to_do

    @property
    def line(self) -> str:
        """The note's first line: the headline and what to say, as the window's status line."""
        return f"{self.headline} — {self.read_out}" if self.read_out else self.headline


def step_number(check_id: str) -> int:
    """The window's number of the step a check is shown on (0 for an undeclared check)."""
    try:
        step_id = checklist.step_of(check_id)
    except KeyError:
        return 0
    return next((n for n, step in enumerate(checklist.steps(), 1) if step.id == step_id), 0)


def step_label(check_id: str) -> str:
    """"4. Return URL": the step a check is shown on, as the window's sidebar numbers it."""
    number = step_number(check_id)
    return f"{number}. {checklist.steps()[number - 1].title}" if number else ""


def counts_line(run: Diagnosis) -> str:
    """Every status in its fixed place, zeros included: the form the counts take everywhere."""
    return counts_text(status_counts(c.status for c in run.checks), " · ", none="no checks ran", zeros=True)


def ticket_note(run: Diagnosis, changes: Sequence[MadeChange] | None = None,
                asks: Sequence[Asked] | None = None) -> TicketNote:
    """The note for a run that is already redacted; `changes` made in the call, if known, and
    what Stripe said when asked (`asks`, None when it was not)."""
    summary = summarise(run)
    # In the window's order: by step, then as the checks run within it.
    checks = sorted((NoteCheck(step_label(c.id), c) for c in run.checks), key=lambda c: step_number(c.check.id))
    attention = sorted((c for c in checks if c.status.is_problem), key=lambda c: STATUS_ORDER.index(c.status))
    return TicketNote(
        headline=headline_with_asks(summary.headline, asks or ()),
        read_out=summary.read_out,
        counts=counts_line(run),
        changes=None if changes is None else tuple(change_lines(changes, run.generated_at)),
        asks=tuple(asked_lines(asks, run.generated_at)) if asks else None,
        asks_sessions=sessions_line(sum(1 for a in asks if a.outcome == ACCEPTED)) if asks else "",
        asks_to_do=tuple(AskToDo(to_do_title(a), a.fix, "" if a.fix else a.summary)
                         for a in asks or () if a.outcome != ACCEPTED),
        to_do=tuple(c for c in attention if c.check.fix),
        attention=tuple(attention),
        rest=tuple(c for c in checks if not c.status.is_problem),
    )
