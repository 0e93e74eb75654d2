"""The case history side of an ask: the portal sessions it will create announced before they are
sent (a write-ahead intent of kind "ask"), then Stripe's verdict on each flow kept as a row of
`asks`, the intent closed in the same transaction.

A portal session cannot be undone or read back, so the intent records how many sessions the
ask may create and for whom, never a URL (none ever reaches here) and never a key; closing it
says how many were created. One left open by a killed process is closed by the next run that
reads the account (`intent_log`): the sessions expire on their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from assistant.diagnosis.asks.model import ACCEPTED, REFUSED, AskResult
from assistant.diagnosis.asks.plan import AskPlan
from assistant.report.asked import Asked
from assistant.store.records import ASK_INTENT, AskRecord, Intent

SESSIONS_PATH = "/v1/billing_portal/sessions"


class AskStore(Protocol):
    def open_intent(self, intent: Intent) -> str: ...
    def record_asks(self, records: Sequence[AskRecord], *, intent: str | None = ..., note: str = ...,
                    deliver: bool = ...) -> list[AskRecord]: ...


def intent_detail(plan: AskPlan) -> dict[str, Any]:
    """What an ask's intent keeps: who, which configuration, and the flows (no URL, no key)."""
    return {"customer": plan.customer_id, "configuration": plan.configuration_id, "count": len(plan.asks),
            "flows": [{"flow": a.flow, "subscription": a.subscription, "price": a.price} for a in plan.asks]}


def answered_note(results: Sequence[AskResult]) -> str:
    """"3 portal sessions created, 1 refused, 0 not answered"."""
    made = sum(1 for r in results if r.outcome == ACCEPTED)
    refused = sum(1 for r in results if r.outcome == REFUSED)
    other = len(results) - made - refused
    return (f"{made} portal session{'s' if made != 1 else ''} created, {refused} refused, {other} not answered"
            + (" (an answer that never came may still have created a session)" if other else ""))


def ask_record(result: AskResult, plan: AskPlan, account_id: str, run_uid: str | None, ticket: str) -> AskRecord:
    ask, answer = result.ask, result.answer
    return AskRecord(
        account_id=account_id, mode=plan.mode, customer_id=plan.customer_id, configuration_id=plan.configuration_id,
        flow=ask.flow, outcome=result.outcome, subscription_id=ask.subscription or "", price_id=ask.price or "",
        predicted=ask.predicted or "", finding_code=result.finding.code if result.finding else "",
        said=result.finding.summary if result.finding else ask.said,
        stripe_message=answer.error.message if answer.error else "",
        stripe_error=answer.error.to_dict() if answer.error else None,
        request_id=answer.request_id or "", run_uid=run_uid, ticket=ticket)


class AskLog:
    """An `AskRecorder` (see assistant.diagnosis.ask_runner) writing to a case history store."""

    def __init__(self, store: AskStore, *, run_uid: str | None = None, ticket: str = "", deliver: bool = False) -> None:
        self.store = store
        self.run_uid = run_uid
        self.ticket = ticket
        self.deliver = deliver
        self.recorded: list[AskRecord] = []

    def intend(self, plan: AskPlan, *, account_id: str, masked_key: str, idempotency_key: str) -> str:
        return self.store.open_intent(Intent(
            kind=ASK_INTENT, account_id=account_id, mode=plan.mode, masked_key=masked_key,
            object_id=plan.customer_id, method="POST", path=SESSIONS_PATH, idempotency_key=idempotency_key,
            run_uid=self.run_uid, detail=intent_detail(plan)))

    def answered(self, intent: str, plan: AskPlan, results: Sequence[AskResult], *, account_id: str) -> None:
        records = [ask_record(r, plan, account_id, self.run_uid, self.ticket) for r in results]
        self.recorded += self.store.record_asks(records, intent=intent, note=answered_note(results),
                                                deliver=self.deliver)


def asked(records: Sequence[AskRecord]) -> tuple[Asked, ...]:
    """Kept answers as the ticket note lists them (the History window's report of a run), in the
    order they were sent."""
    ordered = sorted(records, key=lambda r: (r.asked_at, r.id))
    return tuple(Asked(r.said if r.outcome == ACCEPTED else _flow_said(r), r.outcome,
                       r.said if r.outcome != ACCEPTED else "", r.stripe_message, r.request_id, r.predicted,
                       r.asked_at) for r in ordered)


def _flow_said(record: AskRecord) -> str:
    """The flow in words for a refused ask (its row keeps the finding's sentence instead)."""
    from assistant.diagnosis.checks import messages as msg

    words = msg.label("deep_link_short", record.flow)
    on = f" of {record.subscription_id}" if record.subscription_id else ""
    to = f" to {record.price_id}" if record.price_id else ""
    return f"{words[:1].upper()}{words[1:]}{on}{to}"
