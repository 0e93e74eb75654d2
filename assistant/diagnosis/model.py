"""What a check returns: plain data that every front end (CLI, window, report, history) reads."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from assistant.account.errors import StripeErrorInfo
from assistant.diagnosis.findings import Fact, Finding, Subject
from assistant.diagnosis.status import Status, worst

__all__ = [
    "DEFAULT_RUN_TIMEOUT", "AccountInfo", "CheckResult", "Diagnosis", "Fact", "Finding", "Status",
    "StripeErrorInfo", "Subject", "TextMap", "Verdict", "worst",
]

TextMap = Callable[[str], str]
# How long a whole run may wait for Stripe (CLI --timeout, the window's time limit); past it
# the run reports what it has and names the requests still waiting.
DEFAULT_RUN_TIMEOUT = 30.0


def _map_opt(fn: TextMap, text: str | None) -> str | None:
    return None if text is None else fn(text)


def _map_fact(fn: TextMap, value: Fact) -> Fact:
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, tuple):
        return tuple(fn(v) for v in value)
    return value


def _map_subject(fn: TextMap, subject: Subject) -> Subject:
    return replace(subject, id=fn(subject.id), name=fn(subject.name))


def map_finding(finding: Finding, fn: TextMap) -> Finding:
    """Every text a finding carries (facts, names, values seen) passed through `fn`."""
    return replace(
        finding,
        subject=_map_subject(fn, finding.subject) if finding.subject else None,
        seen=_map_fact(fn, finding.seen),
        expected=_map_fact(fn, finding.expected),
        related=tuple(_map_subject(fn, r) for r in finding.related),
        facts={k: _map_fact(fn, v) for k, v in finding.facts.items()},
    )


class Verdict(enum.Enum):
    """What a whole run amounts to: the one rule behind `diagnose`'s and `fix`'s exit status and
    the window's summary line, so no front end can call a run "all clear" on its own terms.

    Clear only when every check ran (pass, warn or skip) and none failed; a check that errored
    could not look, so it is never evidence that all is well.
    """

    CLEAR = 0
    PROBLEMS = 1
    UNREACHABLE = 3

    @property
    def exit_status(self) -> int:
        return self.value


@dataclass(frozen=True)
class CheckResult:
    """One line of the checklist: stable id, status, what to say and do, and what was found.

    `findings` is the structured answer (see `assistant.diagnosis.findings`): the headline
    first, then its evidence. `summary`, `details` and `fix` are rendered from them; consumers
    that act on the result (pages, the fix planner) read the findings, never the sentences.
    Results built by hand (old history rows, samples) may have no findings.
    """

    id: str
    title: str
    status: Status
    summary: str
    details: tuple[str, ...] = ()
    fix: tuple[str, ...] = ()
    glossary: tuple[str, ...] = ()
    stripe_error: StripeErrorInfo | None = None
    findings: tuple[Finding, ...] = ()

    @property
    def headline(self) -> Finding | None:
        """The finding the summary is worded from (None for results without findings)."""
        return self.findings[0] if self.findings else None

    @property
    def evidence(self) -> tuple[Finding, ...]:
        return self.findings[1:]

    def with_code(self, *codes: str) -> list[Finding]:
        """The findings with any of these codes, in order."""
        return [f for f in self.findings if f.code in codes]

    def has(self, code: str) -> bool:
        return any(f.code == code for f in self.findings)

    def about(self, object_id: str) -> list[Finding]:
        """The findings concerning one Stripe object (as subject or related object)."""
        return [f for f in self.findings if f.concerns(object_id)]

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
        data["findings"] = [f.to_dict() for f in self.findings]
        return data

    def map_text(self, fn: TextMap) -> CheckResult:
        """The same result with every free-text field, findings included, passed through `fn`
        (id, status, codes and glossary terms untouched): one place that knows which fields
        hold text."""
        error = self.stripe_error
        if error is not None:
            error = StripeErrorInfo(
                message=fn(error.message),
                code=_map_opt(fn, error.code),
                param=_map_opt(fn, error.param),
                request_id=_map_opt(fn, error.request_id),
                http_status=error.http_status,
            )
        return replace(
            self,
            title=fn(self.title),
            summary=fn(self.summary),
            details=tuple(fn(d) for d in self.details),
            fix=tuple(fn(f) for f in self.fix),
            stripe_error=error,
            findings=tuple(map_finding(f, fn) for f in self.findings),
        )


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
    # The Stripe API version the run's requests were pinned to ("" for a run the case history
    # kept from before it was recorded).
    api_version: str = ""
    # Set when the diagnosis could not run at all (Stripe unreachable): one line saying why.
    fatal: str | None = None
    # The connected account (acct_…) every request acted as (Stripe-Account); None: the key's own.
    connected_account: str | None = None

    @property
    def failed(self) -> bool:
        return any(c.status is Status.FAIL for c in self.checks)

    @property
    def api_version_shown(self) -> str:
        """The API version as every report prints it."""
        return self.api_version or "not recorded"

    @property
    def connected_account_shown(self) -> str:
        """The connected account as every report names it ("" for a run on the key's own account)."""
        if not self.connected_account:
            return ""
        return (f"{self.connected_account} (every request acted as this account, so its own portal "
                "settings, customers and events were checked)")

    @property
    def verdict(self) -> Verdict:
        if self.fatal:
            return Verdict.UNREACHABLE
        if any(c.status in (Status.FAIL, Status.ERROR) for c in self.checks):
            return Verdict.PROBLEMS
        return Verdict.CLEAR

    @property
    def verdict_line(self) -> str:
        """The verdict in one sentence, for the window's summary line and the text report."""
        if self.fatal:
            return f"The diagnosis could not run: {self.fatal}"
        failed = sum(1 for c in self.checks if c.status is Status.FAIL)
        errored = sum(1 for c in self.checks if c.status is Status.ERROR)
        if not failed and not errored:
            return "Every check ran and none failed."
        parts = []
        if failed:
            parts.append(f"{failed} {'check' if failed == 1 else 'checks'} failed")
        if errored:
            parts.append(f"{errored} {'check' if errored == 1 else 'checks'} could not run")
        return "Not clear: " + " and ".join(parts) + "."

    def map_text(self, fn: TextMap) -> Diagnosis:
        """The same run with every free-text field passed through `fn` (redaction, removing a
        key that a server echoed back); time, mode, version and statuses untouched."""
        account = self.account
        if account is not None:
            account = AccountInfo(fn(account.id), _map_opt(fn, account.name))
        return replace(
            self,
            masked_key=fn(self.masked_key),
            account=account,
            checks=tuple(c.map_text(fn) for c in self.checks),
            customer_query=_map_opt(fn, self.customer_query),
            notes=fn(self.notes),
            ticket=fn(self.ticket),
            fatal=_map_opt(fn, self.fatal),
        )

    def check(self, check_id: str) -> CheckResult | None:
        return next((c for c in self.checks if c.id == check_id), None)

    def findings_with(self, *codes: str) -> list[Finding]:
        """Findings of any check with these codes, in check order (for views that show a fact
        another step's check found, such as the login link on the customer page)."""
        return [f for c in self.checks for f in c.findings if f.code in codes]

    def to_dict(self) -> dict[str, object]:
        """The `diagnose --format json` object (schema 1)."""
        return {
            "schema": 1,
            "generated_at": self.generated_at,
            "api_version": self.api_version or None,
            "mode": self.mode,
            "key": self.masked_key,
            "account": (
                {"id": self.account.id, "name": self.account.name} if self.account else None
            ),
            "connected_account": self.connected_account,
            "checks": [c.to_dict() for c in self.checks],
            "requests": {"count": self.request_count},
            "fatal": {"message": self.fatal} if self.fatal else None,
        }
