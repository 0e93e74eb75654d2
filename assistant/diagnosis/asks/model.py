"""An ask and Stripe's answer to it, as plain data every front end reads.

An ask is one portal session created with `flow_data` (a deep link): Stripe checks the flow
against the configuration and the subscription when the session is created, so it creating
the session means the flow works for this customer, and its refusal says why it does not.
`predicted` is what the app's own checks expect (`portal_view`), so the two can be compared.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from assistant.diagnosis.findings import Fact, Finding

# The flows an ask may open, in the order they are asked and shown.
PAYMENT_METHOD_UPDATE = "payment_method_update"
SUBSCRIPTION_CANCEL = "subscription_cancel"
SUBSCRIPTION_UPDATE = "subscription_update"
SUBSCRIPTION_UPDATE_CONFIRM = "subscription_update_confirm"
FLOWS = (PAYMENT_METHOD_UPDATE, SUBSCRIPTION_CANCEL, SUBSCRIPTION_UPDATE, SUBSCRIPTION_UPDATE_CONFIRM)
# What became of an ask.
ACCEPTED, REFUSED, ERROR = "accepted", "refused", "error"
OUTCOMES = (ACCEPTED, REFUSED, ERROR)


class AskUsageError(ValueError):
    """The asks cannot be made as given (nothing is sent): one sentence the agent can act on."""


@dataclass(frozen=True)
class AskInputs:
    """What the agent gave: the customer, and optionally the subscription, the configuration,
    prices to confirm a switch to, and the return URL."""

    customer: str
    subscription: str | None = None
    configuration: str | None = None
    prices: tuple[str, ...] = ()
    return_url: str | None = None


@dataclass(frozen=True)
class Ask:
    """One flow to ask Stripe about."""

    flow: str
    subscription: str | None  # the subscription the flow acts on (None: payment method update)
    price: str | None  # the price a confirm flow switches to
    flow_data: Mapping[str, Any] = field(hash=False, compare=False)  # exactly as the API reference gives it
    predicted: str | None = None  # ACCEPTED / REFUSED as the checks expect; None when they cannot tell
    predicted_said: str = ""  # why the checks expect a refusal ("plan switching is off …")
    said: str = ""  # the flow in plain words ("Cancel the subscription to "Pro" (29.00 USD / month)")
    facts: Mapping[str, Fact] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class StripeRefusal:
    """Stripe's error for an ask, verbatim (already scrubbed of key pieces by the gateway)."""

    type: str | None
    code: str | None
    param: str | None
    message: str
    request_id: str | None = None
    http_status: int | None = None
    permission: str | None = None  # a restricted key's missing right (`rak_…`), when named

    def to_dict(self) -> dict[str, object]:
        """`asks[].stripe_error` of the `ask` JSON (schema 1)."""
        return {"type": self.type, "code": self.code, "param": self.param, "message": self.message,
                "request_id": self.request_id}


@dataclass(frozen=True)
class Answer:
    """What Stripe did with one ask: created the session (its id only, never its URL), refused
    it, or gave no verdict (`outcome` ERROR: not answered, or the key may not ask)."""

    outcome: str
    session_id: str | None = None
    request_id: str | None = None
    error: StripeRefusal | None = None
    error_summary: str = ""  # one line for an ERROR (the connection dropped, the permission missing)
    unreachable: bool = False  # nothing came back from Stripe at all


@dataclass(frozen=True)
class AskFinding:
    """The finding that explains an answer, with its sentences (from `asks` in checks.json)."""

    finding: Finding
    summary: str
    fix: tuple[str, ...] = ()
    glossary: tuple[str, ...] = ()

    @property
    def code(self) -> str:
        return self.finding.code

    def to_dict(self) -> dict[str, object]:
        facts = self.finding.to_dict()["facts"]
        return {"code": self.code, "summary": self.summary, "fix": list(self.fix), "glossary": list(self.glossary),
                "facts": facts}


@dataclass(frozen=True)
class AskResult:
    """One ask and Stripe's verdict on it."""

    ask: Ask
    answer: Answer
    finding: AskFinding | None = None

    @property
    def outcome(self) -> str:
        return self.answer.outcome

    @property
    def disagrees(self) -> bool:
        """The checks expected one verdict and Stripe gave the other: the line a call turns on."""
        return self.ask.predicted in (ACCEPTED, REFUSED) and self.outcome in (ACCEPTED, REFUSED) \
            and self.ask.predicted != self.outcome

    def to_dict(self) -> dict[str, object]:
        """One entry of `asks` in the `ask` JSON (schema 1)."""
        return {
            "flow": self.ask.flow, "subscription": self.ask.subscription, "price": self.ask.price,
            "outcome": self.outcome,
            "stripe_error": self.answer.error.to_dict() if self.answer.error is not None else None,
            "finding": self.finding.to_dict() if self.finding is not None else None,
            "predicted": self.ask.predicted,
            "predicted_said": self.ask.predicted_said or None,
            "stripe_disagrees": self.disagrees,
            "said": self.ask.said,
            "request_id": self.answer.request_id or (self.answer.error.request_id if self.answer.error else None),
        }


@dataclass(frozen=True)
class AskRun:
    """Every ask of one run of `ask` (or of the window's Ask Stripe), with what they were asked on."""

    generated_at: str  # when the asks were sent (ISO 8601, UTC)
    mode: str | None
    masked_key: str
    account_id: str | None
    account_name: str | None
    connected_account: str | None
    customer_id: str
    customer_kind: str
    configuration_id: str
    results: tuple[AskResult, ...]
    record_problem: str = ""  # the case history could not keep the answers ("" when it did)

    @property
    def sessions_created(self) -> int:
        """Each accepted ask is a real portal session (it sent billing_portal.session.created)."""
        return sum(1 for r in self.results if r.outcome == ACCEPTED)

    @property
    def unreachable(self) -> bool:
        """No ask got any answer from Stripe."""
        return bool(self.results) and all(r.answer.unreachable for r in self.results)

    @property
    def exit_status(self) -> int:
        """0 every flow accepted; 1 any refused or not answered; 3 Stripe unreachable."""
        if self.unreachable:
            return 3
        return 0 if all(r.outcome == ACCEPTED for r in self.results) else 1

    def to_dict(self) -> dict[str, object]:
        """The `ask --format json` object (schema 1, resources/ask.schema.json)."""
        return {
            "schema": 1,
            "generated_at": self.generated_at,
            "mode": self.mode,
            "key": self.masked_key,
            "account": {"id": self.account_id, "name": self.account_name} if self.account_id else None,
            "connected_account": self.connected_account,
            "customer": {"id": self.customer_id, "kind": self.customer_kind},
            "configuration": self.configuration_id or None,
            "asks": [r.to_dict() for r in self.results],
            "sessions_created": self.sessions_created,
            "record_problem": self.record_problem or None,
        }
