"""A run summed up by step, in words: where the problems are and what to read out first.

The window's sidebar ("3. Plans and prices — 1 problem"), its status line and its Report step
("1 problem: Plans and prices", then the failing check's own summary) all say this; it lives
here, next to the verdict, so the window renders the run and never judges it. A *problem* is
a FAIL (the set-up is wrong); an ERROR is a check that could not look, said as "not checked"
(both keep the verdict from being clear); a WARN is said as a warning, never as a problem, and
never under "No problems" either: almost every warning is what the owner called about (one
customer can only cancel), so it is headlined with its sentence to read out. A step says "OK"
only when nothing in it waits for another step's problem (a skip marked `waits` in checks.json:
no portal configuration to judge against), so no page calls a step fine that was not judged.
The History window counts a saved run in the same words (`counts_words`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from assistant.diagnosis.model import CheckResult, Diagnosis, Verdict
from assistant.diagnosis.status import Status, status_counts
from assistant.knowledge import checklist


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _parts(counts: Mapping[Status, int] | Mapping[str, int], problem_word: str = "problem") -> list[str]:
    failed, errored, warned = (counts.get(s, 0) for s in (Status.FAIL, Status.ERROR, Status.WARN))
    parts = [plural(failed, problem_word)] if failed else []
    if errored:
        parts.append(f"{errored} not checked")
    if warned:
        parts.append(plural(warned, "warning"))
    return parts


def counts_words(counts: Mapping[Status, int] | Mapping[str, int]) -> str:
    """A whole run's counts in words: "1 problem, 1 warning", "1 warning", "no problems", or
    "no checks ran" (what the Report row and History's "Sam, today: …" say)."""
    if not any(counts.get(s, 0) for s in Status):
        return "no checks ran"
    return ", ".join(_parts(counts)) or "no problems"


def waiting(results: Iterable[CheckResult]) -> int:
    """How many of these checks were skipped waiting for another step's problem to be fixed."""
    codes = checklist.waiting_codes()
    return sum(1 for r in results if r.status is Status.SKIP and r.headline is not None and r.headline.code in codes)


def tally_words(results: Iterable[CheckResult]) -> str:
    """"1 problem", "2 problems, 1 warning", "1 not checked", "OK", "1 skipped" (passes beside a
    check that waits for another step), "skipped" or "not run"."""
    results = list(results)
    statuses = [r.status for r in results]
    if not statuses:
        return "not run"
    parts = _parts(status_counts(statuses))
    if parts:
        return ", ".join(parts)
    if all(s is Status.SKIP for s in statuses):
        return "skipped"
    waits = waiting(results)
    return f"{waits} skipped" if waits else "OK"


@dataclass(frozen=True)
class StepTally:
    """One step's checks in this run (every check for a step that declares none: the report)."""

    step_id: str
    title: str
    results: tuple[CheckResult, ...]
    sums_up_all: bool = False

    def count(self, status: Status) -> int:
        return sum(1 for r in self.results if r.status is status)

    @property
    def words(self) -> str:
        if self.sums_up_all and self.results:  # the Report row speaks for the whole run
            counts = status_counts(r.status for r in self.results)
            parts = _parts(counts)
            if counts[Status.FAIL]:
                parts[0] += " to fix"
            return ", ".join(parts) or counts_words(counts)
        return tally_words(self.results)


@dataclass(frozen=True)
class RunSummary:
    """What the run amounts to, worst news first."""

    verdict: Verdict
    headline: str  # "1 problem: Plans and prices", "1 warning: Customer", "No problems: every check ran …"
    read_out: str  # the first failing (else warning) check's own summary; "" when nothing to say
    first_step: str | None  # the step to open: the first with a problem, else a warning
    steps: tuple[StepTally, ...]

    @property
    def line(self) -> str:
        """Headline and the sentence to read out, on one line (the status line)."""
        return f"{self.headline} — {self.read_out}" if self.read_out else self.headline


def step_tallies(diagnosis: Diagnosis) -> tuple[StepTally, ...]:
    """Every declared step, in checklist order, with its checks' results."""
    tallies = []
    for step in checklist.steps():
        ids = checklist.checks_for_step(step.id)
        results = tuple(c for c in diagnosis.checks if not ids or c.id in ids)
        tallies.append(StepTally(step.id, step.title, results, sums_up_all=not ids))
    return tuple(tallies)


def summarise(diagnosis: Diagnosis) -> RunSummary:
    tallies = step_tallies(diagnosis)
    if diagnosis.verdict is Verdict.UNREACHABLE:
        return RunSummary(diagnosis.verdict, diagnosis.verdict_line, "", None, tallies)
    own = [t for t in tallies if not t.sums_up_all]
    said = []
    for status, what in ((Status.FAIL, "problem"), (Status.ERROR, "check")):
        steps = [t for t in own if t.count(status)]
        if steps:
            count = sum(t.count(status) for t in steps)
            names = ", ".join(t.title for t in steps)
            said.append(f"{plural(count, what)}{' could not run' if status is Status.ERROR else ''}: {names}")
    headline = "; ".join(said) or "No problems: every check ran and none failed."
    warned = [t for t in own if t.count(Status.WARN)]
    if not said and warned:  # a warning is read out, never filed under "No problems"
        count = sum(t.count(Status.WARN) for t in warned)
        headline = f"{plural(count, 'warning')}: {', '.join(t.title for t in warned)}"
    if not diagnosis.checks:
        headline = "No checks ran."
    # The first thing to say: a failure, else a check that could not look, else a warning.
    for status in (Status.FAIL, Status.ERROR, Status.WARN):
        first = next((t for t in own if t.count(status)), None)
        if first is not None:
            read_out = next(r.summary for r in first.results if r.status is status)
            return RunSummary(diagnosis.verdict, headline, read_out, first.step_id, tallies)
    return RunSummary(diagnosis.verdict, headline, "", None, tallies)
