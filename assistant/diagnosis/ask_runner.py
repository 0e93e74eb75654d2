"""Ask Stripe, flow by flow, what a customer can do in the portal: the one path the CLI's `ask`
and the window's Ask Stripe share.

Diagnose (reads only) → plan the asks (`asks.plan`, pure: a usage error stops everything before
a request is written) → announce them in the case history (the write-ahead intent: nothing is
sent that could not be recorded first) → send every ask at once, each a
`POST /v1/billing_portal/sessions` with `flow_data` and its own idempotency key → each answer
becomes a finding (`asks.interpret`) → close the intent and keep the answers. Nothing is
retried after a refusal and nothing else is written. The sessions' URLs never get this far:
the gateway drops them.

Nothing here decides whether the asks may be sent: the caller has the agent's go-ahead and, in
live mode, the account typed, before calling `ask`.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from assistant.account.errors import (
    AccountAccessRefused,
    AuthenticationFailed,
    DeadlineExceeded,
    GatewayError,
    MalformedAnswer,
    NetworkFailed,
    NotFound,
    PermissionMissing,
    RateLimited,
    ServerFailed,
    scrub,
)
from assistant.account.keys import mask_key
from assistant.account.snapshot import StripeObject
from assistant.account.written import AskedSession
from assistant.diagnosis.asks.interpret import interpret
from assistant.diagnosis.asks.model import (
    ACCEPTED,
    ERROR,
    REFUSED,
    Answer,
    Ask,
    AskInputs,
    AskResult,
    AskRun,
    AskUsageError,
    StripeRefusal,
)
from assistant.diagnosis.asks.plan import AskPlan, plan_asks
from assistant.diagnosis.checks.customer import CID_FOUND
from assistant.diagnosis.run import Diagnoser, DiagnosisRequest, RunOutcome, gateway_for

log = logging.getLogger(__name__)

# No verdict: the request may not have been made (a dropped connection), or not answered in time.
_NO_VERDICT = (NetworkFailed, ServerFailed, DeadlineExceeded, MalformedAnswer, RateLimited, AuthenticationFailed,
               AccountAccessRefused, PermissionMissing)


class AskGateway(Protocol):
    request_count: int

    async def ask_portal_session(self, customer_id: str, *, flow_data: dict[str, Any], configuration: str | None,
                                 return_url: str | None, idempotency_key: str) -> AskedSession: ...
    async def portal_configuration(self, configuration_id: str) -> dict[str, Any]: ...
    async def aclose(self) -> None: ...


class AskRecorder(Protocol):
    """The case history's side: the asks announced before they are sent, then their answers."""

    def intend(self, plan: AskPlan, *, account_id: str, masked_key: str, idempotency_key: str) -> str: ...

    def answered(self, intent: str, plan: AskPlan, results: Sequence[AskResult], *, account_id: str) -> None: ...


@dataclass(frozen=True)
class Prepared:
    """A diagnosis and the asks it allows (None when Stripe could not be reached)."""

    outcome: RunOutcome
    plan: AskPlan | None


def answer_of(err: GatewayError) -> Answer:
    """A failed ask: Stripe's refusal (a 4xx about the flow), or no verdict at all."""
    refusal = StripeRefusal(err.error_type, err.code, err.param, err.message, err.request_id, err.http_status,
                            getattr(err, "permission", None))
    if isinstance(err, _NO_VERDICT) or err.http_status is None or err.http_status >= 500:
        return Answer(ERROR, error=refusal, error_summary=err.summary, request_id=err.request_id,
                      unreachable=isinstance(err, NetworkFailed))
    return Answer(REFUSED, error=refusal, request_id=err.request_id)


@dataclass
class AskRunner:
    diagnoser: Diagnoser
    gateway_factory: Callable[..., AskGateway]  # key -> gateway (`connected_account=` when the request names one)
    new_key: Callable[[], str] = field(default=lambda: str(uuid.uuid4()))

    async def prepare(self, request: DiagnosisRequest, inputs: AskInputs) -> Prepared:
        """Read the account (as `diagnose` does) and plan the asks; AskUsageError when they
        cannot be made as given. Reads only."""
        outcome = await self.diagnoser.run_full(request)
        if outcome.diagnosis.fatal:
            return Prepared(outcome, None)
        return Prepared(outcome, await self.replan(request, outcome, inputs))

    async def replan(self, request: DiagnosisRequest, outcome: RunOutcome, inputs: AskInputs) -> AskPlan:
        """The asks for a run already made (the window's last run): at most one read, of a
        configuration `inputs` names that the run did not read."""
        named = await self._named_configuration(request, outcome, inputs)
        found = outcome.diagnosis.check(CID_FOUND)
        return plan_asks(outcome.snapshot, inputs, found_summary=found.summary if found else "",
                         named_configuration=named)

    async def _named_configuration(self, request: DiagnosisRequest, outcome: RunOutcome,
                                   inputs: AskInputs) -> StripeObject | None:
        if not inputs.configuration or outcome.snapshot.configuration(inputs.configuration) is not None:
            return None
        gateway = gateway_for(self.gateway_factory, request.key, request.connected_account)
        try:
            return await gateway.portal_configuration(inputs.configuration)
        except NotFound:
            return None
        except GatewayError as err:
            raise AskUsageError(f"the configuration {inputs.configuration} could not be read ({err.summary})") from None
        finally:
            await gateway.aclose()

    async def ask(self, request: DiagnosisRequest, prepared: Prepared, recorder: AskRecorder) -> AskRun:
        """Send every planned ask at once and interpret each answer."""
        plan = prepared.plan
        assert plan is not None
        diagnosis = prepared.outcome.diagnosis
        account_id = diagnosis.account.id if diagnosis.account and diagnosis.account.id else \
            f"unknown account (key {diagnosis.masked_key})"
        base = self.new_key()
        try:  # written ahead: asks the history cannot announce are never sent
            intent = recorder.intend(plan, account_id=account_id, masked_key=mask_key(request.key),
                                     idempotency_key=base)
        except Exception as err:
            log.warning("announcing the asks failed: %s", type(err).__name__)
            raise AskUsageError(
                f"nothing was sent: the case history could not record the asks before sending them "
                f"({scrub(type(err).__name__)}), and every write to the owner's account is recorded first") from None
        asked_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        results = await self._send_all(request, plan, base)
        problem = ""
        try:
            recorder.answered(intent, plan, results, account_id=account_id)
        except Exception as err:  # the answers are on screen; the history's loss is said, never raised
            log.warning("recording the asks failed: %s", type(err).__name__)
            problem = (f"The answers could not be kept in the case history ({scrub(type(err).__name__)}); "
                       "note them in the ticket.")
        return AskRun(asked_at, diagnosis.mode, diagnosis.masked_key, diagnosis.account.id
                      if diagnosis.account else None, diagnosis.account.name if diagnosis.account else None,
                      request.connected_account, plan.customer_id, plan.customer_kind, plan.configuration_id,
                      tuple(results), problem)

    async def _send_all(self, request: DiagnosisRequest, plan: AskPlan, base: str) -> list[AskResult]:
        gateway = gateway_for(self.gateway_factory, request.key, request.connected_account)
        try:
            answers = await asyncio.gather(*(self._send(gateway, plan, ask, f"{base}-{i}", request.timeout)
                                             for i, ask in enumerate(plan.asks)))
        finally:
            await gateway.aclose()
        return [interpret(ask, answer, plan.mode) for ask, answer in zip(plan.asks, answers, strict=True)]

    @staticmethod
    async def _send(gateway: AskGateway, plan: AskPlan, ask: Ask, idempotency_key: str, timeout: float) -> Answer:
        try:
            async with asyncio.timeout(timeout):
                asked = await gateway.ask_portal_session(
                    plan.customer_id, flow_data=dict(ask.flow_data), configuration=plan.configuration_id or None,
                    return_url=plan.return_url, idempotency_key=idempotency_key)
        except TimeoutError:
            late = DeadlineExceeded(f"Stripe did not answer within {timeout:g} seconds.")
            return answer_of(late)
        except GatewayError as err:
            log.info("ask %s not opened: %s (%s)", ask.flow, type(err).__name__, err.request_id)
            return answer_of(err)
        return Answer(ACCEPTED, session_id=asked.session_id, request_id=asked.request_id)


__all__ = ["AskGateway", "AskRecorder", "AskRunner", "Prepared", "answer_of"]
