"""Apply planned fixes (or an undo) to the owner's account, record them, and check the result.

The one path the CLI and the window share: diagnose → plan → (the agent confirms) → send each
fix's requests through the gateway with an idempotency key → record the change → diagnose
again and compare what Stripe now holds with the plan. Collaborators are injected: the
gateway factory (the only thing that reaches Stripe), the diagnoser and the recorder (the case
history), so tests give fakes rather than patching.

Nothing here decides whether a write may happen: the caller has the agent's explicit apply and,
in live mode, the confirmation naming the account, before calling `apply` or `undo`.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from assistant.account.collect import collect_catalogue
from assistant.account.errors import (
    DeadlineExceeded,
    GatewayError,
    MalformedAnswer,
    NetworkFailed,
    ServerFailed,
    StripeErrorInfo,
    permission_from_message,
    scrub,
)
from assistant.account.keys import classify_key, mask_key
from assistant.account.snapshot import ModeCatalogue, Snapshot
from assistant.account.written import Written
from assistant.diagnosis.fixes.model import FieldChange, Fix, FixInputs, Plan
from assistant.diagnosis.fixes.planner import needs_catalogues, plan_fixes
from assistant.diagnosis.fixes.settle import MADE, NOT_MADE, settle
from assistant.diagnosis.fixes.undo import RecordedChange, created_here, plan_undo
from assistant.diagnosis.fixes.verify import Mismatch, mismatches
from assistant.diagnosis.model import CheckResult, Status
from assistant.diagnosis.run import Diagnoser, DiagnosisRequest, RunOutcome, gateway_for

log = logging.getLogger(__name__)

# A fix's status: applied; failed (refused, or its answer was lost and it was not made); unknown
# (its answer was lost and what Stripe holds could not be read: its intent stays open).
APPLIED, FAILED, UNKNOWN = "applied", "failed", "unknown"
FOUND = "found"  # the intent state of a write settled by reading (assistant.store.records.FOUND)


def answer_lost(err: GatewayError) -> bool:
    """Stripe may have carried the write out: no answer came (a dropped connection, the
    deadline), or one that is not Stripe's refusal (5xx, a garbled body). A 4xx or a rate limit
    is a refusal: nothing was written."""
    return isinstance(err, (NetworkFailed, ServerFailed, DeadlineExceeded, MalformedAnswer)) or \
        type(err) is GatewayError


class WritingGateway(Protocol):
    request_count: int

    async def send(self, method: str, path: str, params: dict[str, Any], *, idempotency_key: str) -> Written: ...
    async def active_products(self) -> list[dict[str, Any]]: ...
    async def active_prices(self) -> list[dict[str, Any]]: ...
    async def aclose(self) -> None: ...


class Recorder(Protocol):
    """Keeps what was changed (the case history): each write announced before it is sent
    (`intend`, the write-ahead intent), then recorded (the change id the agent can undo),
    refused, or found not made."""

    def intend(self, fix: Fix, *, account_id: str, masked_key: str, idempotency_key: str,
               existing: Sequence[str] = (), undo_of: Sequence[RecordedChange] = ()) -> str: ...

    def record(self, fix: Fix, changes: Sequence[FieldChange], request_ids: Sequence[str], *,
               account_id: str, undo_of: Sequence[RecordedChange] = (), intent: str | None = None,
               intent_state: str = ..., left: Mapping[str, Any] | None = None) -> str: ...

    def refused(self, intent: str, why: str) -> None: ...

    def not_made(self, intent: str, why: str) -> None: ...


@dataclass(frozen=True)
class Planned:
    """A diagnosis and the fixes it calls for."""

    outcome: RunOutcome
    plan: Plan


@dataclass(frozen=True)
class FixOutcome:
    """What became of one fix: applied (with its request ids and change id) or failed (why)."""

    fix: Fix
    status: str
    changes: tuple[FieldChange, ...] = ()  # as applied: a created object has its id here
    request_ids: tuple[str, ...] = ()
    error: StripeErrorInfo | None = None
    error_summary: str = ""
    change_id: str | None = None
    record_problem: str = ""  # applied, but the case history could not keep it
    unreachable: bool = False  # nothing usable came back from Stripe
    mismatches: tuple[Mismatch, ...] = ()  # fields that do not hold the planned value afterwards
    check: CheckResult | None = None  # the fix's check, run again afterwards
    intent: str | None = None  # the write-ahead record of this write (while it is not settled)
    answer_lost: bool = False  # Stripe's answer never came: `checked` says what reading showed
    checked: str = ""  # what the object held when read back after a lost answer
    left: dict[str, Any] | None = None  # an object the write created, as Stripe answered
    existing: tuple[str, ...] = ()  # for a create: the ids there before (to find it after a lost answer)

    @property
    def took_effect(self) -> bool:
        return self.status == APPLIED and not self.mismatches

    @property
    def check_clear(self) -> bool:
        return self.check is not None and self.check.status not in (Status.FAIL, Status.ERROR)

    def to_dict(self) -> dict[str, object]:
        """One entry of `applied` in the `fix --apply/--undo --format json` answer (schema 1)."""
        error = None
        if self.error is not None:
            # The message says a permission as the Dashboard shows it; Stripe's name is its own field.
            error = {"message": self.error_summary or self.error.message, "code": self.error.code,
                     "request_id": self.error.request_id,
                     "permission": permission_from_message(self.error.message)}
        return {
            "fix": self.fix.id, "check": self.fix.check, "change_id": self.change_id, "status": self.status,
            "request_ids": list(self.request_ids), "error": error,
            "took_effect": self.took_effect if self.status == APPLIED else False,
            "record_problem": self.record_problem or None,
            "answer_lost": self.answer_lost,
            "checked": self.checked or None,
        }

    @property
    def lost_sentence(self) -> str:
        """For a write whose answer was lost: never "nothing was changed", but what was seen."""
        what = self.changes[0].object if self.changes and self.changes[0].object else "the account"
        checked = self.checked or "Stripe could not be read to tell"
        if self.status == APPLIED:
            tail = "it was made, and is recorded."
        elif self.status == FAILED:
            tail = "it was not made."
        else:
            tail = "it is kept open and checked again by the next command with this account's key."
        return f"Stripe's answer was lost, so {what} may have been changed — checked: {checked}; {tail}"


@dataclass(frozen=True)
class Applied:
    outcomes: tuple[FixOutcome, ...]
    after: RunOutcome | None  # the diagnosis run again once everything was sent

    @property
    def checks(self) -> tuple[CheckResult, ...]:
        return self.after.diagnosis.checks if self.after else ()


@dataclass
class FixRunner:
    diagnoser: Diagnoser
    # key -> gateway; called with `connected_account=` as well when the request names one
    gateway_factory: Callable[..., WritingGateway]
    new_key: Callable[[], str] = field(default=lambda: str(uuid.uuid4()))

    # -- planning ------------------------------------------------------------------------------

    async def plan(self, request: DiagnosisRequest, inputs: FixInputs | None = None) -> Planned:
        outcome = await self.diagnoser.run_full(request)
        return self.replan(outcome, inputs, await self.catalogues(request, outcome))

    def replan(self, outcome: RunOutcome, inputs: FixInputs | None = None,
               catalogues: Mapping[str, ModeCatalogue] | None = None) -> Planned:
        """The plan again for new inputs (the agent typed a URL): no request is sent."""
        plan = plan_fixes(outcome.diagnosis, outcome.snapshot, other=outcome.other, inputs=inputs,
                          catalogues=catalogues)
        return Planned(outcome, plan)

    async def catalogues(self, request: DiagnosisRequest, outcome: RunOutcome) -> dict[str, ModeCatalogue]:
        """Both modes' active catalogues, read only when the plan copies products across modes."""
        if not needs_catalogues(outcome.diagnosis):
            return {}
        keys = keys_by_mode(request)
        gateways = {mode: gateway_for(self.gateway_factory, key, request.connected_account)
                    for mode, key in keys.items()}
        try:
            found = await asyncio.gather(*(collect_catalogue(g) for g in gateways.values()))
        finally:
            await asyncio.gather(*(g.aclose() for g in gateways.values()), return_exceptions=True)
        return dict(zip(gateways, found, strict=True))

    # -- applying ------------------------------------------------------------------------------

    async def apply(self, request: DiagnosisRequest, planned: Planned, fixes: Sequence[Fix], recorder: Recorder,
                    *, idempotency_keys: Mapping[str, str] | None = None) -> Applied:
        """Send each fix (in plan order), record each applied one, then diagnose again.

        `idempotency_keys` (fix id -> key) lets a caller retry a fix with the key of its first
        attempt, so a write that did land before the connection dropped is not applied twice."""
        account_id = account_reference(planned)
        outcomes = [await self._send(request, fix, recorder, account_id, (idempotency_keys or {}).get(fix.id),
                                     existing=existing_ids(planned.outcome, fix))
                    for fix in fixes]
        return await self._afterwards(request, outcomes, recorder, account_id)

    async def undo(self, request: DiagnosisRequest, recorded: Sequence[RecordedChange], recorder: Recorder,
                   *, before: RunOutcome | None = None, idempotency_key: str | None = None) -> Applied:
        """Put back what one recorded fix changed; UndoRefused (nothing sent) when that would
        not restore it. `before` is a fresh diagnosis of the account, read now if not given."""
        before = before or await self.diagnoser.run_full(request)
        fix = plan_undo(recorded, (before.snapshot, before.other))
        planned = Planned(before, Plan(before.diagnosis.mode, before.diagnosis.account, before.diagnosis.masked_key,
                                       connected_account=before.diagnosis.connected_account))
        account_id = account_reference(planned)
        outcome = await self._send(request, fix, recorder, account_id, idempotency_key, undo_of=recorded)
        return await self._afterwards(request, [outcome], recorder, account_id, undo_of=recorded,
                                      deleted=created_here(recorded))

    async def _send(self, request: DiagnosisRequest, fix: Fix, recorder: Recorder, account_id: str,
                    idempotency_key: str | None, *, existing: Sequence[str] = (),
                    undo_of: Sequence[RecordedChange] = ()) -> FixOutcome:
        key = keys_by_mode(request).get(fix.mode or "")
        if key is None:
            return FixOutcome(fix, FAILED, error_summary=f"No {fix.mode} mode key was given, so nothing was sent.")
        base = idempotency_key or self.new_key()
        try:  # written ahead: a write the history cannot announce is never sent
            intent = recorder.intend(fix, account_id=account_id, masked_key=mask_key(key), idempotency_key=base,
                                     existing=existing, undo_of=undo_of)
        except Exception as err:
            log.warning("announcing fix %s failed: %s", fix.id, type(err).__name__)
            return FixOutcome(fix, FAILED, error_summary=(
                f"Nothing was sent: the case history could not record the change before sending it "
                f"({scrub(type(err).__name__)}), and every change must be recorded so that it can be undone."))
        gateway = gateway_for(self.gateway_factory, key, request.connected_account)
        request_ids: list[str] = []
        changes, left = fix.changes, None
        try:
            for i, planned_request in enumerate(fix.requests):
                written = await gateway.send(planned_request.method, planned_request.path,
                                             dict(planned_request.params),
                                             idempotency_key=base if i == 0 else f"{base}-{i}")
                if written.request_id:
                    request_ids.append(written.request_id)
                created = written.obj.get("id")
                if created and any(c.object is None for c in changes):
                    left = dict(written.obj)
                changes = tuple(replace(c, object=str(created)) if c.object is None and created else c
                                for c in changes)
        except GatewayError as err:
            log.info("fix %s not answered: %s (%s)", fix.id, type(err).__name__, err.request_id)
            outcome = FixOutcome(fix, FAILED, changes=changes, request_ids=tuple(request_ids), error=err.info,
                                 error_summary=err.summary, unreachable=isinstance(err, NetworkFailed),
                                 intent=intent, existing=tuple(existing))
            if answer_lost(err):
                return replace(outcome, status=UNKNOWN, answer_lost=True)
            _quietly(recorder.refused, intent, err.summary)
            return outcome
        finally:
            await gateway.aclose()
        outcome = FixOutcome(fix, APPLIED, changes=changes, request_ids=tuple(request_ids), left=left)
        return self._record(outcome, recorder, account_id, intent, undo_of=undo_of)

    def _record(self, outcome: FixOutcome, recorder: Recorder, account_id: str, intent: str, *,
                undo_of: Sequence[RecordedChange] = (), state: str | None = None) -> FixOutcome:
        fix = outcome.fix
        try:
            extra = {"intent_state": state} if state else {}
            change_id = recorder.record(fix, outcome.changes, outcome.request_ids, account_id=account_id,
                                        undo_of=undo_of, intent=intent, left=outcome.left, **extra)
        except Exception as err:
            log.warning("recording fix %s failed: %s", fix.id, type(err).__name__)
            return replace(outcome, intent=intent, record_problem=(
                "The change was made, but the case history could not record it "
                f"({scrub(type(err).__name__)}); note it in the ticket: undo it by hand if needed."))
        return replace(outcome, change_id=change_id, intent=None)

    async def _afterwards(self, request: DiagnosisRequest, outcomes: list[FixOutcome], recorder: Recorder,
                          account_id: str, *, undo_of: Sequence[RecordedChange] = (),
                          deleted: bool = False) -> Applied:
        if not any(o.status in (APPLIED, UNKNOWN) for o in outcomes):
            return Applied(tuple(outcomes), None)
        after = await self.diagnoser.run_full(request)
        snapshots = (after.snapshot, after.other)
        checked = []
        for outcome in outcomes:
            if outcome.status == UNKNOWN:
                outcome = self._settle(outcome, snapshots, recorder, account_id, undo_of)
            if outcome.status == APPLIED:
                outcome = replace(outcome, mismatches=tuple(mismatches(outcome.changes, snapshots, deleted=deleted)))
            checked.append(replace(outcome, check=after.diagnosis.check(outcome.fix.check)))
        return Applied(tuple(checked), after)

    def _settle(self, outcome: FixOutcome, snapshots: tuple[Snapshot | None, ...], recorder: Recorder,
                account_id: str, undo_of: Sequence[RecordedChange]) -> FixOutcome:
        """A write whose answer was lost, judged by what Stripe holds now (read just after)."""
        fix, intent = outcome.fix, outcome.intent or ""
        request = fix.requests[0]
        object_id = next((c.object for c in fix.changes if c.object), "") or ""
        settled = settle(request.method, object_id, fix.changes, fix.mode, snapshots,
                         existing=outcome.existing)
        outcome = replace(outcome, checked=settled.checked)
        if settled.verdict == MADE:
            made = replace(outcome, status=APPLIED, changes=settled.changes, left=settled.left, error=None,
                           error_summary="", unreachable=False)
            return self._record(made, recorder, account_id, intent, undo_of=undo_of, state=FOUND)
        if settled.verdict == NOT_MADE:
            _quietly(recorder.not_made, intent, settled.checked)
            return replace(outcome, status=FAILED, intent=None)  # exit 3 stays: the write did not get through
        return outcome  # UNKNOWN: the intent stays open for the next start


def _quietly(close: Callable[[str, str], None], intent: str, why: str) -> None:
    try:
        close(intent, why)
    except Exception as err:  # an intent left open is settled again later: never worse than that
        log.warning("closing an intent failed: %s", type(err).__name__)


def existing_ids(outcome: RunOutcome, fix: Fix) -> tuple[str, ...]:
    """For a fix that creates an object: the ids of that kind its mode held when it was planned,
    so the object it created can be told apart later (when the answer naming it is lost)."""
    if not any(c.object is None for c in fix.changes):
        return ()
    for snap in (outcome.snapshot, outcome.other):
        if snap is not None and snap.mode == fix.mode:
            return tuple(str(e.get("id")) for e in snap.webhook_endpoints.value or [])
    return ()


def keys_by_mode(request: DiagnosisRequest) -> dict[str, str]:
    """The usable keys of a request, by mode (the parity fix writes with the live one)."""
    out: dict[str, str] = {}
    for key in (request.key, request.second_key):
        info = classify_key(key) if key else None
        if info is not None and info.usable and info.mode and info.mode not in out:
            out[info.mode] = info.key
    return out


def account_reference(planned: Planned) -> str:
    """The account id the history files a change under ("unknown account" when a restricted key
    may not read the account: the masked key says which one it was)."""
    account = planned.outcome.diagnosis.account
    if account is not None and account.id:
        return account.id
    return f"unknown account (key {planned.outcome.diagnosis.masked_key})"
