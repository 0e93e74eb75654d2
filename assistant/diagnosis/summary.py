"""A run summed up by step, in words: where the problems are and what to read out first.

The window's sidebar ("3. Plans and prices — 1 problem"), its status line and its Report step
("1 problem: Plans and prices", then the failing check's own summary) all say this; it lives
here, next to the verdict, so the window renders the run and never judges it. A *problem* is
a FAIL (the set-up is wrong); an ERROR is a check that could not look, said as "not checked"
(both keep the verdict from being clear); a WARN is said as a warning, never as a problem.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from assistant.diagnosis.model import CheckResult, Diagnosis, Verdict
from assistant.diagnosis.status import Status
from assistant.knowledge import checklist


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _parts(statuses: list[Status], problem_word: str = "problem") -> list[str]:
    counts = {s: statuses.count(s) for s in (Status.FAIL, Status.ERROR, Status.WARN)}
    parts = [plural(counts[Status.FAIL], problem_word)] if counts[Status.FAIL] else []
    if counts[Status.ERROR]:
        parts.append(f"{counts[Status.ERROR]} not checked")
    if counts[Status.WARN]:
        parts.append(plural(counts[Status.WARN], "warning"))
    return parts


def tally_words(results: Iterable[CheckResult]) -> str:
    """"1 problem", "2 problems, 1 warning", "1 not checked", "OK", "skipped" or "not run"."""
    statuses = [r.status for r in results]
    if not statuses:
        return "not run"
    parts = _parts(statuses)
    if parts:
        return ", ".join(parts)
    return "skipped" if all(s is Status.SKIP for s in statuses) else "OK"


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
            statuses = [r.status for r in self.results]
            parts = _parts(statuses)
            if self.count(Status.FAIL):
                parts[0] += " to fix"
            elif not self.count(Status.ERROR):  # never "no problems" over a check that could not look
                parts.insert(0, "no problems")
            return ", ".join(parts)
        return tally_words(self.results)


@dataclass(frozen=True)
class RunSummary:
    """What the run amounts to, worst news first."""

    verdict: Verdict
    headline: str  # "1 problem: Plans and prices" / "No problems: every check ran and none failed."
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
    if not said and warned:
        count = sum(t.count(Status.WARN) for t in warned)
        headline = f"No problems; {plural(count, 'warning')}: {', '.join(t.title for t in warned)}"
    # The first thing to say: a failure, else a check that could not look, else a warning.
    for status in (Status.FAIL, Status.ERROR, Status.WARN):
        first = next((t for t in own if t.count(status)), None)
        if first is not None:
            read_out = next(r.summary for r in first.results if r.status is status)
            return RunSummary(diagnosis.verdict, headline, read_out, first.step_id, tallies)
    return RunSummary(diagnosis.verdict, headline, "", None, tallies)
