"""What a check returns: plain data that every front end (CLI, window, report, history) reads."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from assistant.account.errors import StripeErrorInfo


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


@dataclass(frozen=True)
class CheckResult:
    """One line of the checklist: stable id, status, and what to say and do about it."""

    id: str
    title: str
    status: Status
    summary: str
    details: tuple[str, ...] = ()
    fix: tuple[str, ...] = ()
    glossary: tuple[str, ...] = ()
    stripe_error: StripeErrorInfo | None = None

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "id": self.id,
            "title": self.title,
            "status": self.status.value,
            "summary": self.summary,
            "details": list(self.details),
            "fix": list(self.fix),
            "glossary": list(self.glossary),
        }
        if self.stripe_error is not None:
            data["stripe_error"] = self.stripe_error.to_dict()
        return data


@dataclass(frozen=True)
class AccountInfo:
    id: str
    name: str | None


@dataclass(frozen=True)
class Diagnosis:
    """A whole run: the input to every renderer and to the case history."""

    generated_at: str  # ISO 8601, UTC, "Z" suffix
    mode: str | None  # "test" | "live" | None when the key could not be read
    masked_key: str
    account: AccountInfo | None
    checks: tuple[CheckResult, ...]
    request_count: int = 0
    customer_query: str | None = None
    notes: str = ""
    ticket: str = ""
    app_version: str = field(default="")
    # Set when the diagnosis could not run at all (Stripe unreachable): one line saying why.
    fatal: str | None = None

    @property
    def failed(self) -> bool:
        return any(c.status is Status.FAIL for c in self.checks)

    def check(self, check_id: str) -> CheckResult | None:
        return next((c for c in self.checks if c.id == check_id), None)

    def to_dict(self) -> dict[str, object]:
        """The `diagnose --format json` object (schema 1)."""
        return {
            "schema": 1,
            "generated_at": self.generated_at,
            "mode": self.mode,
            "key": self.masked_key,
            "account": (
                {"id": self.account.id, "name": self.account.name} if self.account else None
            ),
            "checks": [c.to_dict() for c in self.checks],
            "requests": {"count": self.request_count},
        }
