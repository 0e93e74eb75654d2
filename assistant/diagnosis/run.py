"""One diagnosis run: key(s) in, a Diagnosis out. Shared by the CLI, the window and benchmarks."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol, TypeVar

import assistant
from assistant.account.api_version import STRIPE_API_VERSION
from assistant.account.collect import (
    Deadline,
    Gateway,
    collect_parity_snapshot,
    collect_snapshot,
)
from assistant.account.errors import DeadlineExceeded, NetworkFailed, ServerFailed
from assistant.account.keys import KeyInfo, classify_key
from assistant.account.secret_pieces import secret_scrubber
from assistant.account.snapshot import Snapshot, StripeObject
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.checks.facts import display_name
from assistant.diagnosis.checks.registry import run_checks
from assistant.diagnosis.checks.webhooks import PORTAL_EVENTS
from assistant.diagnosis.model import DEFAULT_RUN_TIMEOUT, AccountInfo, Diagnosis
from assistant.knowledge.dashboard import on_connected_account


class ClosableGateway(Gateway, Protocol):
    async def aclose(self) -> None: ...


class AccountGateway(ClosableGateway, Protocol):
    """Everything the app asks of one key's gateway: the reads, closing, and the one write."""

    async def create_portal_session(
        self, customer_id: str, *, return_url: str | None = None, configuration: str | None = None
    ) -> StripeObject: ...


class GatewayFactory(Protocol):
    """What the window and CLI build gateways with: one key's gateway, acting as the connected
    account `connected_account` (Stripe-Account) when one is given."""

    def __call__(self, key: str, *, connected_account: str | None = None) -> AccountGateway: ...


class ReadingGatewayFactory(Protocol):
    """All a diagnosis needs: a gateway that reads (and closes)."""

    def __call__(self, key: str, *, connected_account: str | None = None) -> ClosableGateway: ...


G = TypeVar("G")


def gateway_for(factory: Callable[..., G], key: str, connected_account: str | None) -> G:
    """`factory`'s gateway for `key`, acting as `connected_account` when there is one. A factory
    is asked about a connected account only when there is one, so a factory that knows none
    (a test's, a benchmark's) still serves every run on an account's own data."""
    if connected_account:
        return factory(key, connected_account=connected_account)
    return factory(key)


@dataclass(frozen=True)
class DiagnosisRequest:
    key: str
    second_key: str | None = None  # a key of the other mode, for the parity check
    return_url: str | None = None
    customer: str | None = None
    notes: str = ""
    ticket: str = ""
    timeout: float = DEFAULT_RUN_TIMEOUT  # seconds for the whole run, every request included
    # The connected account (acct_…) every request acts as (Stripe-Account); None: the key's own.
    connected_account: str | None = None


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class RunOutcome:
    """The diagnosis plus what it was computed from, for views that show the raw objects."""

    diagnosis: Diagnosis
    snapshot: Snapshot
    other: Snapshot | None = None


class Diagnoser:
    """Runs collection and checks. Collaborators are injected so tests need no patching."""

    def __init__(
        self, gateway_factory: ReadingGatewayFactory, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self._gateway_factory = gateway_factory
        self._clock = clock

    async def run(self, request: DiagnosisRequest) -> Diagnosis:
        return (await self.run_full(request)).diagnosis

    async def run_full(self, request: DiagnosisRequest) -> RunOutcome:
        key = classify_key(request.key)
        second = classify_key(request.second_key) if request.second_key else None
        gateways: list[ClosableGateway] = []
        deadline = Deadline.after(request.timeout)
        try:
            account = request.connected_account
            main_task = self._snapshot(key, request.customer, gateways, deadline, account)
            if second is not None:  # an unusable one makes no request; parity says why
                snapshot, other = await asyncio.gather(
                    main_task, self._snapshot(second, None, gateways, deadline, account, parity_only=True)
                )
            else:
                snapshot, other = await main_task, None
        finally:
            await asyncio.gather(*(g.aclose() for g in gateways), return_exceptions=True)
        # A server echoing the key back (or the agent pasting it into another field) must not
        # put it in any result: every string read, and every text made from them, is scrubbed.
        scrub = secret_scrubber(key.key, second.key if second else "", request.key,
                                request.second_key or "")
        snapshot = snapshot.map_strings(scrub)
        other = other.map_strings(scrub) if other is not None else None
        ctx = CheckContext(snapshot=snapshot, return_url=_map_opt(scrub, request.return_url),
                           other=other)
        diagnosis = Diagnosis(
            generated_at=self._clock().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            mode=key.mode,
            masked_key=key.masked,
            account=account_info(snapshot),
            checks=tuple(run_checks(ctx)),
            request_count=sum(g.request_count for g in gateways),
            customer_query=request.customer,
            notes=request.notes,
            ticket=request.ticket,
            app_version=assistant.__version__,
            api_version=STRIPE_API_VERSION,  # what the gateway pins every request to
            fatal=unreachable_reason(snapshot),
            connected_account=request.connected_account,
        ).map_text(scrub)
        if request.connected_account:
            diagnosis = on_account(diagnosis, request.connected_account)
        return RunOutcome(diagnosis, snapshot, other)

    async def _snapshot(
        self,
        key: KeyInfo,
        customer: str | None,
        gateways: list[ClosableGateway],
        deadline: Deadline,
        connected_account: str | None = None,
        *,
        parity_only: bool = False,
    ) -> Snapshot:
        if not key.usable:
            return Snapshot(key=key, connected_account=connected_account)
        gateway = gateway_for(self._gateway_factory, key.key, connected_account)
        gateways.append(gateway)
        if parity_only:
            return await collect_parity_snapshot(gateway, key, deadline, connected_account=connected_account)
        return await collect_snapshot(gateway, key, customer, deadline, watched_events=PORTAL_EVENTS,
                                      connected_account=connected_account)


def on_account(diagnosis: Diagnosis, account_id: str) -> Diagnosis:
    """The run's Dashboard links (in sentences and facts) made to open the connected account's
    own Dashboard: the checks word links per mode, and this is the one place that knows which
    account the run read, so no check has to."""
    return diagnosis.map_text(lambda text: on_connected_account(text, account_id))


def _map_opt(fn: Callable[[str], str], text: str | None) -> str | None:
    return fn(text) if text else None


def account_info(snapshot: Snapshot) -> AccountInfo | None:
    acct = snapshot.account.value
    if not acct:
        return None
    return AccountInfo(id=acct.get("id", ""), name=display_name(acct))


def unreachable_reason(snapshot: Snapshot) -> str | None:
    """Every request failed for want of a usable answer: the run tells the agent nothing."""
    errors = [snapshot.account.error, snapshot.configurations.error, snapshot.webhook_endpoints.error]
    if not snapshot.key.usable or snapshot.auth_error is not None:
        return None
    failed = [e for e in errors if isinstance(e, (NetworkFailed, ServerFailed, DeadlineExceeded))]
    return failed[0].summary if len(failed) == len(errors) else None
