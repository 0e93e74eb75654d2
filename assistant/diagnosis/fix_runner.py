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
    GatewayError,
    NetworkFailed,
    StripeErrorInfo,
    permission_from_message,
    scrub,
)
from assistant.account.keys import classify_key
from assistant.account.snapshot import ModeCatalogue
from assistant.account.written import Written
from assistant.diagnosis.fixes.model import FieldChange, Fix, FixInputs, Plan
from assistant.diagnosis.fixes.planner import needs_catalogues, plan_fixes
from assistant.diagnosis.fixes.undo import RecordedChange, created_here, plan_undo
from assistant.diagnosis.fixes.verify import Mismatch, mismatches
from assistant.diagnosis.model import CheckResult, Status
from assistant.diagnosis.run import Diagnoser, DiagnosisRequest, RunOutcome, gateway_for

log = logging.getLogger(__name__)

APPLIED, FAILED = "applied", "failed"


class WritingGateway(Protocol):
    request_count: int

    async def send(self, method: str, path: str, params: dict[str, Any], *, idempotency_key: str) -> Written: ...
    async def active_products(self) -> list[dict[str, Any]]: ...
    async def active_prices(self) -> list[dict[str, Any]]: ...
    async def aclose(self) -> None: ...


class Recorder(Protocol):
    """Keeps what was changed (the case history): returns the change id the agent can undo."""

    def record(self, fix: Fix, changes: Sequence[FieldChange], request_ids: Sequence[str], *,
               account_id: str, undo_of: Sequence[RecordedChange] = ()) -> str: ...


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
        }


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
        outcomes = [await self._send(request, fix, recorder, account_id, (idempotency_keys or {}).get(fix.id))
                    for fix in fixes]
        return await self._afterwards(request, outcomes)

    async def undo(self, request: DiagnosisRequest, recorded: Sequence[RecordedChange], recorder: Recorder,
                   *, before: RunOutcome | None = None, idempotency_key: str | None = None) -> Applied:
        """Put back what one recorded fix changed; UndoRefused (nothing sent) when that would
        not restore it. `before` is a fresh diagnosis of the account, read now if not given."""
        before = before or await self.diagnoser.run_full(request)
        fix = plan_undo(recorded, (before.snapshot, before.other))
        planned = Planned(before, Plan(before.diagnosis.mode, before.diagnosis.account, before.diagnosis.masked_key,
                                       connected_account=before.diagnosis.connected_account))
        outcome = await self._send(request, fix, recorder, account_reference(planned), idempotency_key,
                                   undo_of=recorded)
        return await self._afterwards(request, [outcome], deleted=created_here(recorded))

    async def _send(self, request: DiagnosisRequest, fix: Fix, recorder: Recorder, account_id: str,
                    idempotency_key: str | None, *, undo_of: Sequence[RecordedChange] = ()) -> FixOutcome:
        key = keys_by_mode(request).get(fix.mode or "")
        if key is None:
            return FixOutcome(fix, FAILED, error_summary=f"No {fix.mode} mode key was given, so nothing was sent.")
        base = idempotency_key or self.new_key()
        gateway = gateway_for(self.gateway_factory, key, request.connected_account)
        request_ids: list[str] = []
        changes = fix.changes
        try:
            for i, planned_request in enumerate(fix.requests):
                written = await gateway.send(planned_request.method, planned_request.path,
                                             dict(planned_request.params),
                                             idempotency_key=base if i == 0 else f"{base}-{i}")
                if written.request_id:
                    request_ids.append(written.request_id)
                created = written.obj.get("id")
                changes = tuple(replace(c, object=str(created)) if c.object is None and created else c
                                for c in changes)
        except GatewayError as err:
            log.info("fix %s refused: %s (%s)", fix.id, type(err).__name__, err.request_id)
            return FixOutcome(fix, FAILED, changes=changes, request_ids=tuple(request_ids), error=err.info,
                              error_summary=err.summary, unreachable=isinstance(err, NetworkFailed))
        finally:
            await gateway.aclose()
        outcome = FixOutcome(fix, APPLIED, changes=changes, request_ids=tuple(request_ids))
        try:
            change_id = recorder.record(fix, changes, tuple(request_ids), account_id=account_id, undo_of=undo_of)
        except Exception as err:
            log.warning("recording fix %s failed: %s", fix.id, type(err).__name__)
            return replace(outcome, record_problem=(
                "The change was made, but the case history could not record it "
                f"({scrub(type(err).__name__)}); note it in the ticket: undo it by hand if needed."))
        return replace(outcome, change_id=change_id)

    async def _afterwards(self, request: DiagnosisRequest, outcomes: list[FixOutcome], *,
                          deleted: bool = False) -> Applied:
        if not any(o.status == APPLIED for o in outcomes):
            return Applied(tuple(outcomes), None)
        after = await self.diagnoser.run_full(request)
        snapshots = (after.snapshot, after.other)
        checked = []
        for outcome in outcomes:
            if outcome.status == APPLIED:
                outcome = replace(outcome, mismatches=tuple(mismatches(outcome.changes, snapshots, deleted=deleted)))
            checked.append(replace(outcome, check=after.diagnosis.check(outcome.fix.check)))
        return Applied(tuple(checked), after)


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
