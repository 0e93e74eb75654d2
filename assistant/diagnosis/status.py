"""The five outcomes of a check, and the one order in which they rank."""

from __future__ import annotations

import enum
from collections.abc import Iterable


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
