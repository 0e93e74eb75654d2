"""The five outcomes of a check, and the one order in which they rank."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping


class Status(str, enum.Enum):
    """Outcome of one check. The string values are part of the JSON contract."""

    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    SKIP = "skip"
    ERROR = "error"

    @property
    def label(self) -> str:
        """Upper-case word shown next to the icon, so status never depends on colour."""
        return self.value.upper()

    @property
    def is_problem(self) -> bool:
        return self in (Status.WARN, Status.FAIL, Status.ERROR)

    @property
    def severity(self) -> int:
        """Rank for "the worst of": a FAIL (the set-up is wrong) outranks an ERROR (we could
        not tell), which outranks a WARN; a SKIP ranks below a PASS."""
        return _SEVERITY[self]


_SEVERITY = {Status.SKIP: 0, Status.PASS: 1, Status.WARN: 2, Status.ERROR: 3, Status.FAIL: 4}


def worst(statuses: Iterable[Status]) -> Status | None:
    """The most severe of `statuses`, None when there are none."""
    return max(statuses, key=lambda s: _SEVERITY[s], default=None)


# Worst first: the order in which counts are said everywhere (report, CLI, history, window).
STATUS_ORDER: tuple[Status, ...] = (Status.FAIL, Status.ERROR, Status.WARN, Status.PASS, Status.SKIP)


def status_counts(statuses: Iterable[Status]) -> dict[Status, int]:
    """How many of each status, every status present (0 when none), in STATUS_ORDER."""
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for status in statuses:
        counts[status] += 1
    return counts


def counts_text(
    counts: Mapping[Status, int] | Mapping[str, int],
    sep: str = ", ",
    none: str = "",
    *,
    zeros: bool = False,
) -> str:
    """"1 FAIL, 11 PASS, 1 SKIP": worst first, zero counts left out (`zeros` keeps them, so
    every status has its fixed place: "1 FAIL · 0 ERROR · 0 WARN · 11 PASS · 1 SKIP"); `none`
    when all are zero.

    `counts` may be keyed by Status or by its value (a Status is its value as a str)."""
    parts = [f"{counts.get(s, 0)} {s.label}" for s in STATUS_ORDER if zeros or counts.get(s, 0)]
    if not any(counts.get(s, 0) for s in STATUS_ORDER):
        return none
    return sep.join(parts) or none


def worst_counted(counts: Mapping[Status, int] | Mapping[str, int]) -> Status | None:
    """The worst status that has a count above zero."""
    return next((s for s in STATUS_ORDER if counts.get(s, 0)), None)
