"""What the case history hands out and takes in: plain frozen data, no database in sight.

`RunSummary` is one line of a listing, `CheckChange` how a check moved between two runs (its
status, and the problems it found: `FindingRef`s), and
`AccountChange` one field of the owner's Stripe account that a guided fix (or its undo)
changed. `NewChange` is what a fix passes to `record_change`. `Intent` is a write to the
owner's account recorded before it is sent (see `assistant.store.intent_log`).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from assistant.diagnosis.asks import model as ask_model
from assistant.diagnosis.model import Finding, Status

STATUS_VALUES = tuple(s.value for s in Status)


def new_uid() -> str:
    """A stable id for a run or a change: made once, kept through every retry and copy."""
    return str(uuid.uuid4())


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class RunNotFound(KeyError):
    """No saved run has this id."""


class ChangeNotFound(KeyError):
    """No recorded change has this id."""


@dataclass(frozen=True)
class RunSummary:
    """One line of the `history` listing."""

    id: int  # this database's number for the run ("Run #7")
    created_at: str
    account_id: str | None
    account_name: str | None
    mode: str | None
    masked_key: str
    ticket: str
    notes: str
    app_version: str
    api_version: str = ""  # the Stripe API version the run's requests were pinned to ("": not recorded)
    counts: dict[str, int] = field(default_factory=dict)  # status value -> number of checks
    run_uid: str = ""  # the run's stable id in every store
    agent: str = ""  # who ran it ("" for runs saved before agents were recorded)
    connected_account: str | None = None  # the connected account the run acted as (Stripe-Account)
    asks: dict[str, int] = field(default_factory=dict)  # Stripe's answers to the run's asks: outcome -> number

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def problems(self) -> int:
        return sum(n for s, n in self.counts.items() if Status(s).is_problem)

    def count(self, status: Status) -> int:
        return self.counts.get(status.value, 0)

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "run_id": self.run_uid,
            "created_at": self.created_at,
            "agent": self.agent,
            "account": (
                {"id": self.account_id, "name": self.account_name} if self.account_id else None
            ),
            "mode": self.mode,
            "key": self.masked_key,
            "ticket": self.ticket,
            "notes": self.notes,
            "app_version": self.app_version,
            "api_version": self.api_version or None,
            "connected_account": self.connected_account,
            "counts": {s: self.counts.get(s, 0) for s in STATUS_VALUES},
            "total": self.total,
            "asks": {o: self.asks.get(o, 0) for o in ask_model.OUTCOMES},
        }


@dataclass(frozen=True)
class FindingRef:
    """A problem a check found, as two runs are compared: its code and what it is about.

    Two runs found the same problem when the code, the subject (kind and id), the field and
    the value the portal needs agree: the last two tell apart findings with one code and no
    subject (each missing webhook event). The subject's name is only what the agent reads (a
    renamed product is still the same problem), and the value seen is left out (a return URL
    that is wrong in a new way is still the same problem)."""

    code: str
    subject_kind: str = ""
    subject_id: str = ""
    subject_name: str = ""
    field: str = ""
    expected: str = ""  # JSON of the value the portal needs ("" when no single value is right)

    @classmethod
    def of(cls, finding: Finding) -> FindingRef:
        s = finding.subject
        expected = "" if finding.expected is None else json.dumps(
            list(finding.expected) if isinstance(finding.expected, tuple) else finding.expected,
            ensure_ascii=False)
        return cls(finding.code, s.kind if s else "", s.id if s else "", s.name if s else "",
                   finding.field or "", expected)

    @property
    def key(self) -> tuple[str, ...]:
        return self.code, self.subject_kind, self.subject_id, self.field, self.expected

    @property
    def label(self) -> str:
        """'product.archived_prices_active (prod_1 "Pro")', 'webhook.event_missing
        (customer.updated)', or the bare code."""
        if self.subject_id:
            name = f' "{self.subject_name}"' if self.subject_name else ""
            return f"{self.code} ({self.subject_id}{name})"
        if self.expected.startswith('"'):  # one text the portal needs, e.g. an event name
            return f"{self.code} ({json.loads(self.expected)})"
        return self.code

    def to_dict(self) -> dict[str, object]:
        subject = ({"kind": self.subject_kind, "id": self.subject_id, "name": self.subject_name}
                   if self.subject_id else None)
        return {"code": self.code, "subject": subject, "field": self.field or None,
                "expected": json.loads(self.expected) if self.expected else None}


def problem_refs(findings: tuple[Finding, ...]) -> dict[tuple[str, ...], FindingRef]:
    """The problems among a result's findings, by what identifies them, in order."""
    refs: dict[tuple[str, ...], FindingRef] = {}
    for finding in findings:
        if finding.is_problem:
            ref = FindingRef.of(finding)
            refs.setdefault(ref.key, ref)
    return refs


@dataclass(frozen=True)
class CheckChange:
    """How one check moved between two runs; a status of None means absent from that run.

    `appeared` and `cleared` are the problems the new run found that the old one did not, and
    the reverse; both are empty when either run kept no findings (runs saved before findings
    were stored), so such a comparison is by status only."""

    check_id: str
    title: str
    old_status: Status | None
    new_status: Status | None
    appeared: tuple[FindingRef, ...] = ()
    cleared: tuple[FindingRef, ...] = ()

    @property
    def kind(self) -> str:
        """"new", "removed", "fixed", "regressed" or "changed" (e.g. warn → fail, skip → pass)."""
        if self.old_status is None:
            return "new"
        if self.new_status is None:
            return "removed"
        if self.old_status.is_problem and not self.new_status.is_problem:
            return "fixed"
        if not self.old_status.is_problem and self.new_status.is_problem:
            return "regressed"
        return "changed"

    def to_dict(self) -> dict[str, object]:
        return {
            "check_id": self.check_id,
            "title": self.title,
            "old_status": self.old_status.value if self.old_status else None,
            "new_status": self.new_status.value if self.new_status else None,
            "kind": self.kind,
            "appeared": [f.to_dict() for f in self.appeared],
            "cleared": [f.to_dict() for f in self.cleared],
        }


@dataclass(frozen=True)
class NewChange:
    """One field a fix is about to record as changed (or has just changed) on an account.

    `before` and `after` are the field's JSON values exactly as Stripe holds them (a string,
    a bool, a list...), so an undo can send `before` back. Give `change_uid` yourself when a
    write may be retried: recording the same uid twice keeps one row.
    """

    account_id: str
    field: str  # dotted path in the Stripe object, e.g. "default_return_url"
    before: Any
    after: Any
    object_id: str = ""  # e.g. "bpc_…" (the portal configuration)
    check_id: str = ""  # the finding the fix answered, e.g. "return_url.default"
    fix_id: str = ""  # the planner's fix id
    mode: str | None = None  # "test" / "live"
    summary: str = ""  # what an agent reads, e.g. "return URL set"
    request_ids: tuple[str, ...] = ()  # Stripe's req_… ids of the POSTs that made the change
    run_uid: str | None = None  # the run whose findings the fix answered
    ticket: str = ""
    undo_of: str | None = None  # change_uid this change reverts
    applied_at: str | None = None  # ISO 8601 UTC; now when omitted
    change_uid: str | None = None  # new uid when omitted
    agent: str | None = None  # the store's agent when omitted
    batch_uid: str | None = None  # change_uid of the first field changed with this one
    left: dict[str, Any] | None = None  # an object the fix created, whole, as it was left

    @classmethod
    def undoing(
        cls,
        original: AccountChange,
        *,
        request_ids: tuple[str, ...] = (),
        ticket: str = "",
        run_uid: str | None = None,
        batch_uid: str | None = None,
        change_uid: str | None = None,
    ) -> NewChange:
        """The change that puts `original.before` back (record it after the undo's POST)."""
        return cls(
            account_id=original.account_id,
            field=original.field,
            before=original.after,
            after=original.before,
            object_id=original.object_id,
            check_id=original.check_id,
            fix_id=original.fix_id,
            mode=original.mode,
            summary=f"{original.summary} undone" if original.summary else "",
            request_ids=request_ids,
            run_uid=run_uid if run_uid is not None else original.run_uid,
            ticket=ticket or original.ticket,
            undo_of=original.change_uid,
            batch_uid=batch_uid,
            change_uid=change_uid,
        )


@dataclass(frozen=True)
class AccountChange:
    """A recorded change to an owner's Stripe account, as the history keeps it."""

    id: int  # this database's number for it
    change_uid: str
    account_id: str
    field: str
    before: Any
    after: Any
    applied_at: str
    agent: str
    object_id: str = ""
    check_id: str = ""
    fix_id: str = ""
    mode: str | None = None
    summary: str = ""
    request_ids: tuple[str, ...] = ()
    run_uid: str | None = None
    ticket: str = ""
    undo_of: str | None = None
    undone_by: str | None = None  # change_uid of a later change that reverted this one
    batch_uid: str | None = None  # the fields changed together share it (None: a batch of one)
    left: dict[str, Any] | None = None  # an object the fix created, as it was left (None: not kept)

    @property
    def is_undo(self) -> bool:
        return self.undo_of is not None

    @property
    def batch(self) -> str:
        """The batch this field belongs to: its own uid when it was changed alone."""
        return self.batch_uid or self.change_uid

    def to_dict(self) -> dict[str, object]:
        return {
            "change_id": self.change_uid,
            "run_id": self.run_uid,
            "account": self.account_id,
            "mode": self.mode,
            "check_id": self.check_id,
            "fix_id": self.fix_id,
            "object_id": self.object_id,
            "field": self.field,
            "before": self.before,
            "after": self.after,
            "summary": self.summary,
            "request_ids": list(self.request_ids),
            "applied_at": self.applied_at,
            "agent": self.agent,
            "ticket": self.ticket,
            "undo_of": self.undo_of,
            "undone_by": self.undone_by,
            "batch_id": self.batch,
        }


# What became of an intent: still waiting for Stripe's answer (or for the next start to read the
# object), answered and recorded, refused by Stripe, or settled by reading: made or not made.
OPEN, DONE, REFUSED, FOUND, NOT_MADE = "open", "done", "refused", "found", "not_made"
FIX_INTENT, UNDO_INTENT = "fix", "undo"
# The portal sessions an ask creates (`main.py ask`, Ask Stripe): no undo, nothing to read back.
ASK_INTENT = "ask"


@dataclass(frozen=True)
class Intent:
    """One write to the owner's account, recorded before it is sent.

    The columns are what every kind of write has (which account, mode and key, the request and
    its idempotency key); `detail` is the kind's own record as JSON: for a fix or an undo its
    id, check, title and the fields before -> after (and, for an undo, the change it undoes). A
    later kind (a portal session an `ask` command creates) writes its own detail: never a key,
    never a session's URL (the store refuses a value that looks like either)."""

    kind: str  # FIX_INTENT, UNDO_INTENT, ...
    account_id: str
    mode: str | None
    masked_key: str
    object_id: str  # "" when the write creates the object
    method: str
    path: str
    idempotency_key: str
    detail: dict[str, Any] = field(default_factory=dict)
    run_uid: str | None = None
    intent_uid: str = ""  # given by the store
    state: str = OPEN
    created_at: str = ""
    resolved_at: str | None = None
    change_uid: str | None = None
    note: str = ""
    agent: str = ""

    @property
    def is_open(self) -> bool:
        return self.state == OPEN


@dataclass(frozen=True)
class AskRecord:
    """One flow Stripe was asked about, and its verdict, as the case history keeps it: never a
    session's URL (the gateway never hands one over) and never a key."""

    account_id: str
    mode: str | None
    customer_id: str
    configuration_id: str
    flow: str
    outcome: str  # accepted, refused, error
    subscription_id: str = ""
    price_id: str = ""
    predicted: str = ""  # accepted, refused, "" when the checks could not tell
    finding_code: str = ""  # "" for an accepted ask
    said: str = ""  # the finding's sentence (or, accepted, the flow in words)
    stripe_message: str = ""
    stripe_error: dict[str, Any] | None = None  # {type, code, param, message, request_id}
    request_id: str = ""
    run_uid: str | None = None
    batch_uid: str = ""  # the asks sent together share it
    ask_uid: str = ""  # given by the store when empty
    asked_at: str = ""  # now when empty
    agent: str = ""  # the store's agent when empty
    ticket: str = ""
    id: int = 0  # this database's number for it (0 before it is stored)

    @property
    def disagrees(self) -> bool:
        return self.predicted in ("accepted", "refused") and self.outcome in ("accepted", "refused") \
            and self.predicted != self.outcome

    def to_dict(self) -> dict[str, object]:
        return {
            "ask_id": self.ask_uid, "batch_id": self.batch_uid, "run_id": self.run_uid, "account": self.account_id,
            "mode": self.mode, "customer": self.customer_id, "configuration": self.configuration_id or None,
            "flow": self.flow, "subscription": self.subscription_id or None, "price": self.price_id or None,
            "outcome": self.outcome, "predicted": self.predicted or None, "finding": self.finding_code or None,
            "said": self.said, "stripe_error": self.stripe_error, "asked_at": self.asked_at, "agent": self.agent,
            "ticket": self.ticket,
        }
