"""Issue #2/#6 fault acceptance: every failure Stripe (or the network) can throw at a diagnosis,
rehearsed against the practice server through the real gateway and the real Diagnoser.

What the agent must see each time: the run ends, the affected check says what went wrong in one
readable line (Stripe's request id kept), the checks that do not depend on the failed request
still complete, no traceback or raw HTML reaches any result, and nothing is ever written to
Stripe (no POST during a diagnosis).

Speed: the SDK's own retry backoff (409, 5xx, resets, `Stripe-Should-Retry: true`) sleeps at
least 0.5 s per retry and cannot be injected, so those tests use `max_retries=1`; the gateway's
own 429 backoff takes `sleep=`, so 429 tests record the waits instead of sleeping.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import socket
import time
from collections.abc import Iterator
from contextlib import redirect_stderr
from typing import Any

import pytest

from assistant.diagnosis.model import Diagnosis, Status
from assistant.cli.main import EXIT_UNREACHABLE, build_parser, run_diagnose
from assistant.diagnosis.run import Diagnoser, DiagnosisRequest, RunOutcome
from assistant.account.gateway import StripeGateway
from assistant.practice.faults import Fault
from assistant.practice.scenarios import Scenario
from assistant.practice.server import PracticeServer
from assistant.knowledge.checklist import check_ids
from support.practice import diagnoser_for, practice, scenario_request

CHECK_IDS = check_ids()
# Checks that need none of /v1/webhook_endpoints: they must pass whatever happens to it.
INDEPENDENT_OF_WEBHOOKS = (
    "key.accepted", "portal.configuration", "portal.features", "portal.products",
    "portal.return_url", "portal.login_link", "customer.found", "customer.email",
    "customer.subscriptions",
)
WEBHOOKS = "/v1/webhook_endpoints"
TRACEBACK_MARKERS = ("Traceback (most recent call last)", 'File "/', "stripe._error", "httpx.",
                     "Exception:", "Error(")
HTML_MARKERS = ("<html", "<head", "<body", "<center", "<title", "</")


class SleepRecorder:
    """Stands in for asyncio.sleep in the gateway's own 429 backoff: records, never waits."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@contextlib.contextmanager
def faulty(name: str, *faults: tuple[str, dict[str, Any]]) -> Iterator[tuple[Scenario, PracticeServer]]:
    with practice(name) as (scenario, server):
        for prefix, options in faults:
            server.inject_fault(prefix, **options)
        yield scenario, server


async def diagnose(
    server: PracticeServer, scenario: Scenario, request: dict[str, Any] | None = None, **gateway: Any
) -> RunOutcome:
    gateway.setdefault("max_retries", 0)
    return await diagnoser_for(server, **gateway).run_full(scenario_request(scenario, **(request or {})))


def calls(server: PracticeServer, path: str) -> list[dict[str, Any]]:
    return [params for method, p, params, _ in server.request_log if method == "GET" and p == path]


def texts(diagnosis: Diagnosis) -> list[str]:
    out = [diagnosis.fatal or ""]
    for check in diagnosis.checks:
        out += [check.title, check.summary, *check.details, *check.fix]
        if check.stripe_error is not None:
            out.append(check.stripe_error.message)
    return out


def assert_sound(outcome: RunOutcome, server: PracticeServer, scenario: Scenario) -> None:
    """What holds for every run, however it went: complete, readable, secret-free, read-only."""
    diagnosis = outcome.diagnosis
    assert tuple(c.id for c in diagnosis.checks) == CHECK_IDS
    for check in diagnosis.checks:
        assert check.summary.strip(), check.id
    blob = "\n".join(texts(diagnosis)) + json.dumps(diagnosis.to_dict(), ensure_ascii=False)
    for marker in TRACEBACK_MARKERS:
        assert marker not in blob, f"traceback text {marker!r} reached a result"
    for key in (k.key for k in scenario.keys):
        assert key not in blob
    assert [m for m, *_ in server.request_log if m != "GET"] == [], "a diagnosis must never write"


def status(outcome: RunOutcome, check_id: str) -> str:
    check = outcome.diagnosis.check(check_id)
    assert check is not None
    return check.status.value


def assert_independent_pass(outcome: RunOutcome, ids: tuple[str, ...] = INDEPENDENT_OF_WEBHOOKS) -> None:
    got = {cid: status(outcome, cid) for cid in ids}
    assert got == dict.fromkeys(ids, "pass")


# --- 401 / 403 / 404: Stripe said no, and the agent is told exactly why ---------------------

async def test_401_unknown_key_fails_key_accepted_and_skips_the_rest() -> None:
    with faulty("healthy") as (scenario, server):
        outcome = await diagnose(server, scenario, {"key": "sk_test_NotAKeyStripeKnows9876", "second_key": None})
    assert_sound(outcome, server, scenario)
    accepted = outcome.diagnosis.check("key.accepted")
    assert accepted.status is Status.FAIL
    assert "did not accept the key" in accepted.summary and "Invalid API Key" in accepted.summary
    assert accepted.stripe_error.http_status == 401 and accepted.stripe_error.request_id.startswith("req_")
    assert status(outcome, "portal.configuration") == "skip"
    assert outcome.diagnosis.fatal is None  # Stripe answered: it is the key, not the network


async def test_401_expired_key_says_expired() -> None:
    with faulty("healthy") as (scenario, server):
        outcome = await diagnose(server, scenario, {"key": "sk_test_practice_rolled_0000", "second_key": None})
    assert_sound(outcome, server, scenario)
    accepted = outcome.diagnosis.check("key.accepted")
    assert accepted.status is Status.FAIL
    assert "expired" in accepted.summary.lower()
    assert accepted.stripe_error.code == "api_key_expired"


async def test_403_restricted_key_names_the_missing_permission() -> None:
    with faulty("restricted_key") as (scenario, server):
        outcome = await diagnose(server, scenario)
    assert_sound(outcome, server, scenario)
    accepted = outcome.diagnosis.check("key.accepted")
    assert accepted.status is Status.FAIL and "'rak_webhook_read'" in accepted.summary
    webhooks = outcome.diagnosis.check("webhooks.events")
    assert webhooks.status is Status.ERROR and "rak_webhook_read" in webhooks.summary
    assert webhooks.stripe_error.http_status == 403
    assert_independent_pass(outcome, tuple(c for c in INDEPENDENT_OF_WEBHOOKS if c != "key.accepted"))


async def test_404_customer_of_the_other_mode_is_named_as_such() -> None:
    with faulty("customer_other_mode") as (scenario, server):
        outcome = await diagnose(server, scenario)
    assert_sound(outcome, server, scenario)
    found = outcome.diagnosis.check("customer.found")
    assert found.status is Status.FAIL
    assert "exists in live mode" in found.summary and "test mode key" in found.summary
    assert found.stripe_error.code == "resource_missing"
    assert_independent_pass(outcome, ("key.accepted", "portal.configuration", "webhooks.events"))


# --- retried faults: the agent never notices them -------------------------------------------

async def test_409_lock_conflict_is_retried_then_succeeds() -> None:
    with faulty("healthy", (WEBHOOKS, {"status": 409})) as (scenario, server):
        outcome = await diagnose(server, scenario, max_retries=1)
    assert_sound(outcome, server, scenario)
    assert status(outcome, "webhooks.events") == "pass"
    assert len(calls(server, WEBHOOKS)) == 2
    assert outcome.diagnosis.request_count == len(server.request_log)  # retries are counted


async def test_429_twice_then_success_passes_after_our_backoff() -> None:
    sleep = SleepRecorder()
    with faulty("healthy", (WEBHOOKS, {"status": 429, "times": 2})) as (scenario, server):
        outcome = await diagnose(server, scenario, max_retries=2, sleep=sleep)
    assert_sound(outcome, server, scenario)
    assert status(outcome, "webhooks.events") == "pass"
    assert len(calls(server, WEBHOOKS)) == 3
    assert len(sleep.waits) == 2 and all(0 < w <= 4 for w in sleep.waits)
    assert_independent_pass(outcome)


async def test_429_should_retry_false_is_not_retried_and_only_that_check_errors() -> None:
    sleep = SleepRecorder()
    fault = {"status": 429, "times": 5, "headers": {"Stripe-Should-Retry": "false"}}
    with faulty("healthy", (WEBHOOKS, fault)) as (scenario, server):
        outcome = await diagnose(server, scenario, max_retries=2, sleep=sleep)
    assert_sound(outcome, server, scenario)
    assert len(calls(server, WEBHOOKS)) == 1 and sleep.waits == []
    webhooks = outcome.diagnosis.check("webhooks.events")
    assert webhooks.status is Status.ERROR
    assert "too many requests" in webhooks.summary and "429" in webhooks.summary
    assert webhooks.stripe_error.code == "rate_limit" and webhooks.stripe_error.request_id.startswith("req_")
    assert_independent_pass(outcome)
    assert outcome.diagnosis.fatal is None


async def test_429_should_retry_true_is_retried_by_the_sdk() -> None:
    sleep = SleepRecorder()
    fault = {"status": 429, "headers": {"Stripe-Should-Retry": "true"}}
    with faulty("healthy", (WEBHOOKS, fault)) as (scenario, server):
        outcome = await diagnose(server, scenario, max_retries=1, sleep=sleep)
    assert_sound(outcome, server, scenario)
    assert status(outcome, "webhooks.events") == "pass"
    assert len(calls(server, WEBHOOKS)) == 2
    assert sleep.waits == []  # the SDK honoured the header; the gateway did not add its own retry


async def test_429_should_retry_true_persisting_is_not_retried_twice_over() -> None:
    """The SDK's retries and the gateway's must not multiply: max_retries + 1 attempts in all."""
    sleep = SleepRecorder()
    fault = {"status": 429, "times": 20, "headers": {"Stripe-Should-Retry": "true"}}
    with faulty("healthy", (WEBHOOKS, fault)) as (scenario, server):
        outcome = await diagnose(server, scenario, max_retries=1, sleep=sleep)
    assert_sound(outcome, server, scenario)
    assert len(calls(server, WEBHOOKS)) == 2
    assert status(outcome, "webhooks.events") == "error"
    assert_independent_pass(outcome)


async def test_500_once_is_retried_and_passes() -> None:
    with faulty("healthy", (WEBHOOKS, {"status": 500})) as (scenario, server):
        outcome = await diagnose(server, scenario, max_retries=1)
    assert_sound(outcome, server, scenario)
    assert status(outcome, "webhooks.events") == "pass"
    assert len(calls(server, WEBHOOKS)) == 2


async def test_500_persisting_is_retried_then_an_error_with_reason_and_request_id() -> None:
    with faulty("healthy", (WEBHOOKS, {"status": 500, "times": 10})) as (scenario, server):
        outcome = await diagnose(server, scenario, max_retries=1)
    assert_sound(outcome, server, scenario)
    assert len(calls(server, WEBHOOKS)) == 2
    webhooks = outcome.diagnosis.check("webhooks.events")
    assert webhooks.status is Status.ERROR
    assert "answered with an error" in webhooks.summary and "An unknown error occurred" in webhooks.summary
    assert webhooks.stripe_error.http_status == 500
    assert webhooks.stripe_error.request_id and webhooks.stripe_error.request_id.startswith("req_")
    assert any(webhooks.stripe_error.request_id in line for line in webhooks.details)
    assert_independent_pass(outcome)


# --- answers that are not Stripe's -------------------------------------------------------------

async def test_502_html_page_is_named_as_a_proxy_page_without_the_html() -> None:
    with faulty("healthy", (WEBHOOKS, {"kind": "html", "times": 10})) as (scenario, server):
        outcome = await diagnose(server, scenario, max_retries=1)
    assert_sound(outcome, server, scenario)
    assert len(calls(server, WEBHOOKS)) == 2  # 502 is a 5xx: retried once
    webhooks = outcome.diagnosis.check("webhooks.events")
    assert webhooks.status is Status.ERROR
    assert "HTML" in webhooks.summary and "proxy" in webhooks.summary and "502" in webhooks.summary
    for text in texts(outcome.diagnosis):
        for marker in HTML_MARKERS:
            assert marker not in text.lower(), text
    assert webhooks.stripe_error.request_id  # the proxy passed Stripe's header through
    assert_independent_pass(outcome)


async def test_malformed_json_is_an_error_not_a_crash() -> None:
    with faulty("healthy", (WEBHOOKS, {"kind": "malformed", "times": 10})) as (scenario, server):
        outcome = await diagnose(server, scenario)
    assert_sound(outcome, server, scenario)
    webhooks = outcome.diagnosis.check("webhooks.events")
    assert webhooks.status is Status.ERROR
    assert "not Stripe's JSON" in webhooks.summary
    assert_independent_pass(outcome)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_connection_refused_sets_fatal_and_no_check_passes_on_stripe_data() -> None:
    base = f"http://127.0.0.1:{_closed_port()}"
    diagnoser = Diagnoser(lambda key: StripeGateway(key, api_base=base, max_retries=0))
    outcome = await diagnoser.run_full(
        DiagnosisRequest(key="sk_test_practice_healthy_4242", customer="cus_6xSYYFpYc5wPHe")
    )
    diagnosis = outcome.diagnosis
    assert diagnosis.fatal and "Could not reach Stripe" in diagnosis.fatal
    assert tuple(c.id for c in diagnosis.checks) == CHECK_IDS
    assert status(outcome, "key.format") == "pass"  # needs no network
    for cid in ("key.accepted", "portal.configuration", "webhooks.events", "customer.found"):
        assert status(outcome, cid) == "error", cid
    blob = "\n".join(texts(diagnosis))
    assert not any(marker in blob for marker in TRACEBACK_MARKERS)


def test_connection_refused_exits_3_from_the_cli() -> None:
    args = build_parser().parse_args(
        ["diagnose", "--api-base", f"http://127.0.0.1:{_closed_port()}", "--format", "json"]
    )
    out, err = io.StringIO(), io.StringIO()
    with redirect_stderr(err):
        code = run_diagnose(args, stdin=io.StringIO(), stdout=out,
                            environ={"STRIPE_API_KEY": "sk_test_practice_healthy_4242"})
    assert code == EXIT_UNREACHABLE
    assert "Could not reach Stripe" in err.getvalue()
    assert "Traceback" not in err.getvalue() + out.getvalue()
    assert "sk_test_practice_healthy_4242" not in err.getvalue() + out.getvalue()
    assert json.loads(out.getvalue())["checks"]  # the report is still written


async def test_connection_reset_mid_response_is_a_network_error() -> None:
    with faulty("healthy", (WEBHOOKS, {"kind": "reset", "times": 10})) as (scenario, server):
        outcome = await diagnose(server, scenario)
    assert_sound(outcome, server, scenario)
    webhooks = outcome.diagnosis.check("webhooks.events")
    assert webhooks.status is Status.ERROR
    assert "Could not reach Stripe" in webhooks.summary and "reset" in webhooks.summary
    assert_independent_pass(outcome)
    assert outcome.diagnosis.fatal is None


async def test_connection_reset_once_is_retried_and_passes() -> None:
    with faulty("healthy", (WEBHOOKS, {"kind": "reset"})) as (scenario, server):
        outcome = await diagnose(server, scenario, max_retries=1)
    assert_sound(outcome, server, scenario)
    assert status(outcome, "webhooks.events") == "pass"
    assert len(calls(server, WEBHOOKS)) == 2


async def test_a_response_slower_than_the_timeout_is_a_timeout_error() -> None:
    fault = {"kind": "slow", "delay": 3.0, "times": 10}
    with faulty("healthy", (WEBHOOKS, fault)) as (scenario, server):
        started = time.perf_counter()
        outcome = await diagnose(server, scenario, timeout=0.5)
        elapsed = time.perf_counter() - started
    assert_sound(outcome, server, scenario)
    assert elapsed < 2.5, "the run waited for the slow answer instead of timing out"
    webhooks = outcome.diagnosis.check("webhooks.events")
    assert webhooks.status is Status.ERROR and "timed out" in webhooks.summary
    assert_independent_pass(outcome)


async def test_everything_timing_out_is_fatal() -> None:
    fault = {"kind": "slow", "delay": 3.0, "times": 50}
    with faulty("healthy", ("/v1/", fault)) as (scenario, server):
        outcome = await diagnose(server, scenario, {"second_key": None}, timeout=0.3)
    assert_sound(outcome, server, scenario)
    assert outcome.diagnosis.fatal and "timed out" in outcome.diagnosis.fatal
    assert status(outcome, "key.accepted") == "error"


# --- long lists --------------------------------------------------------------------------------

async def test_pagination_follows_has_more_over_several_pages() -> None:
    """250 endpoints: the only one with the portal's events is the oldest, on the last page."""
    with faulty("healthy") as (scenario, server):
        endpoints = server.store.data["test"]["webhook_endpoints"]
        real = endpoints[0]
        for i in range(249):
            filler = copy.deepcopy(real)
            filler.update(id=f"we_filler{i:04d}", created=real["created"] + 1000 + i,
                          url=f"https://hooks{i}.example/stripe", enabled_events=["charge.succeeded"])
            endpoints.append(filler)
        outcome = await diagnose(server, scenario)
    assert_sound(outcome, server, scenario)
    pages = calls(server, WEBHOOKS)
    assert len(pages) == 3
    assert "starting_after" not in pages[0] and all("starting_after" in p for p in pages[1:])
    assert len(outcome.snapshot.webhook_endpoints.value) == 250
    assert len({e["id"] for e in outcome.snapshot.webhook_endpoints.value}) == 250
    assert status(outcome, "webhooks.events") == "pass"


async def test_a_fault_on_the_second_page_errors_the_check_not_the_run() -> None:
    with faulty("healthy") as (scenario, server):
        endpoints = server.store.data["test"]["webhook_endpoints"]
        for i in range(150):
            filler = copy.deepcopy(endpoints[0])
            filler.update(id=f"we_filler{i:04d}", created=endpoints[0]["created"] + 1000 + i)
            endpoints.append(filler)
        # Page one answers normally; the second request to the endpoint gets a persistent 500.
        original_take = server.faults.take
        seen = {"n": 0}

        def take(path: str):
            if path == WEBHOOKS:
                seen["n"] += 1
                if seen["n"] >= 2:
                    return Fault(WEBHOOKS, "status", 500)
            return original_take(path)

        server.faults.take = take
        outcome = await diagnose(server, scenario)
    assert_sound(outcome, server, scenario)
    assert status(outcome, "webhooks.events") == "error"
    assert_independent_pass(outcome)


# --- read-only, in every mode --------------------------------------------------------------

@pytest.mark.parametrize("name", ["live_key", "healthy", "parity_mismatch"])
async def test_a_diagnosis_never_posts_even_under_faults(name: str) -> None:
    faults = ((WEBHOOKS, {"status": 500, "times": 3}), ("/v1/billing_portal", {"kind": "reset"}))
    with faulty(name, *faults) as (scenario, server):
        outcome = await diagnose(server, scenario, max_retries=1)
    assert_sound(outcome, server, scenario)
    assert server.sessions == {}
    if outcome.diagnosis.mode == "live":
        assert all(method == "GET" for method, *_ in server.request_log)
