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
from support.cli import CliResult, cli
from support.practice import diagnoser_for, practice, scenario_request

from assistant.account.gateway import StripeGateway
from assistant.cli.main import EXIT_UNREACHABLE, build_parser, run_diagnose
from assistant.diagnosis.model import Diagnosis, Status
from assistant.diagnosis.run import Diagnoser, DiagnosisRequest, RunOutcome
from assistant.knowledge.checklist import check_ids
from assistant.practice.faults import Fault
from assistant.practice.scenarios import Scenario
from assistant.practice.server import PracticeServer

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
    assert accepted.status is Status.FAIL and "Webhook Endpoints: Read" in accepted.summary
    assert accepted.findings[0].texts("missing") == ("rak_webhook_read",)
    webhooks = outcome.diagnosis.check("webhooks.events")
    assert webhooks.status is Status.ERROR and "Webhook Endpoints: Read" in webhooks.summary
    assert webhooks.findings[0].fact("permission") == "rak_webhook_read"
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

        def take(path: str, method: str | None = None) -> Fault | None:
            if path == WEBHOOKS:
                seen["n"] += 1
                if seen["n"] >= 2:
                    return Fault(WEBHOOKS, "status", 500)
            return original_take(path, method)

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


# --- issue 14: no wrong "all clear" ----------------------------------------------------------
# Through the real CLI (exit status and JSON are the contract a script reads) against the
# practice server, or a small hostile server where the practice server cannot lie enough.

def diagnose_cli(server: PracticeServer, scenario: Scenario, *extra: str, fmt: str = "json",
                 base: str | None = None) -> CliResult:
    argv = ["--api-base", base or server.base_url, "--format", fmt, "--no-history", *extra]
    if scenario.customer and "--customer" not in extra:
        argv += ["--customer", scenario.customer]
    return cli(argv, env={"STRIPE_API_KEY": scenario.primary_key})


def statuses(result: CliResult) -> dict[str, str]:
    return {c["id"]: c["status"] for c in json.loads(result.out)["checks"]}


@pytest.mark.parametrize("fault", [
    {"status": 429, "headers": {"Stripe-Should-Retry": "false"}},
    {"status": 400},
    {"status": 404},
], ids=["429", "400", "404"])
def test_every_request_refused_is_not_an_all_clear(fault: dict[str, Any]) -> None:
    """Item 1: Stripe answered every request with an error: exit 1, never 0."""
    with faulty("healthy", ("/v1/", {**fault, "times": 500})) as (scenario, server):
        result = diagnose_cli(server, scenario)
    assert result.code == 1, result.err
    got = statuses(result)
    assert got["key.accepted"] == "error" and got["webhooks.events"] == "error"
    assert "pass" not in {got[c] for c in INDEPENDENT_OF_WEBHOOKS}
    assert json.loads(result.out)["fatal"] is None  # Stripe answered: reachable


def test_one_section_erroring_exits_1_not_0() -> None:
    """Item 1: every other check passes, one could not run: the run is not clear."""
    with faulty("healthy", (WEBHOOKS, {"status": 500, "times": 50})) as (scenario, server):
        result = diagnose_cli(server, scenario)
    got = statuses(result)
    assert got["webhooks.events"] == "error"
    assert all(got[c] == "pass" for c in INDEPENDENT_OF_WEBHOOKS)
    assert result.code == 1


def test_a_clear_run_still_exits_0_with_fatal_null() -> None:
    with faulty("healthy") as (scenario, server):
        result = diagnose_cli(server, scenario)
    assert result.code == 0, result.err
    assert json.loads(result.out)["fatal"] is None
    assert set(statuses(result).values()) <= {"pass", "warn", "skip"}


def test_unreachable_is_exit_3_and_the_json_says_why() -> None:
    args = ["--api-base", f"http://127.0.0.1:{_closed_port()}", "--format", "json", "--no-history"]
    result = cli(args, env={"STRIPE_API_KEY": "sk_test_practice_healthy_4242"})
    assert result.code == 3
    fatal = json.loads(result.out)["fatal"]
    assert isinstance(fatal, dict) and "Could not reach Stripe" in fatal["message"]


def test_verdict_is_one_rule_on_the_diagnosis() -> None:
    """The CLI, `fix` and the window read the same verdict: error counts as not clear."""
    from dataclasses import replace

    from assistant.diagnosis.model import Verdict
    from assistant.report.sample import sample_diagnosis

    clear = sample_diagnosis()
    clear = replace(clear, checks=tuple(replace(c, status=Status.PASS) for c in clear.checks))
    assert clear.verdict is Verdict.CLEAR and clear.verdict.exit_status == 0
    errored = replace(clear, checks=(replace(clear.checks[0], status=Status.ERROR), *clear.checks[1:]))
    assert errored.verdict is Verdict.PROBLEMS and errored.verdict.exit_status == 1
    assert "could not run" in errored.verdict_line
    unreachable = replace(errored, fatal="Could not reach Stripe: refused.")
    assert unreachable.verdict is Verdict.UNREACHABLE and unreachable.verdict.exit_status == 3


# --- item 2: a malformed answer spoils one section, not the run -------------------------------

MALFORMED_LISTS = {
    "list without data": {"object": "list", "has_more": False, "url": WEBHOOKS},
    "item without id": {"object": "list", "data": [{"object": "webhook_endpoint", "url": "https://x.example"}],
                        "has_more": False, "url": WEBHOOKS},
    "data null": {"object": "list", "data": None, "has_more": False, "url": WEBHOOKS},
    "empty object": {},
    "array": [],
    "item a string": {"object": "list", "data": ["we_1"], "has_more": False, "url": WEBHOOKS},
}


@pytest.mark.parametrize("body", MALFORMED_LISTS.values(), ids=MALFORMED_LISTS.keys())
def test_a_malformed_list_errors_its_section_and_the_rest_runs(body: Any) -> None:
    fault = {"status": 200, "body": json.dumps(body), "times": 50}
    with faulty("healthy", (WEBHOOKS, fault)) as (scenario, server):
        result = diagnose_cli(server, scenario)
    assert "unexpected error" not in result.err
    got = statuses(result)
    assert got["webhooks.events"] == "error"
    assert all(got[c] == "pass" for c in INDEPENDENT_OF_WEBHOOKS), got
    webhooks = next(c for c in json.loads(result.out)["checks"] if c["id"] == "webhooks.events")
    assert "Stripe's answer to GET /v1/webhook_endpoints was not what the API documents" in webhooks["summary"]
    assert result.code == 1


@pytest.mark.parametrize("features", ["oops", [], None, 7], ids=["string", "array", "null", "number"])
def test_a_configuration_with_malformed_features_errors_the_portal_section(features: Any) -> None:
    with faulty("healthy") as (scenario, server):
        server.store.data["test"]["configurations"][0]["features"] = features
        result = diagnose_cli(server, scenario)
    assert "unexpected error" not in result.err
    got = statuses(result)
    assert got["portal.configuration"] == "error"
    assert got["webhooks.events"] == "pass" and got["key.accepted"] == "pass"
    conf = next(c for c in json.loads(result.out)["checks"] if c["id"] == "portal.configuration")
    assert "GET /v1/billing_portal/configurations was not what the API documents" in conf["summary"]
    assert result.code == 1


@pytest.mark.parametrize("body", [[], {"object": "account"}, "null"], ids=["array", "no id", "null"])
def test_a_malformed_account_does_not_end_the_run(body: Any) -> None:
    fault = {"status": 200, "body": body if isinstance(body, str) else json.dumps(body), "times": 10}
    with faulty("healthy", ("/v1/account", fault)) as (scenario, server):
        result = diagnose_cli(server, scenario)
    assert "unexpected error" not in result.err
    got = statuses(result)
    assert got["webhooks.events"] == "pass" and got["portal.configuration"] == "pass"
    accepted = next(c for c in json.loads(result.out)["checks"] if c["id"] == "key.accepted")
    assert "GET /v1/account was not what the API documents" in " ".join(accepted["details"])


# --- item 3: a server without the endpoint ----------------------------------------------------

NOT_OFFERED = {
    "html 404": {"kind": "html", "status": 404,
                 "body": "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>"},
    "plain 404": {"status": 404, "body": "404 page not found"},
    "stripe json 404": {"status": 404, "body": json.dumps({"error": {
        "type": "invalid_request_error",
        "message": "Unrecognized request URL (GET: /v1/webhook_endpoints). Please see https://stripe.com/docs "
                   "or we can help at https://support.stripe.com/."}})},
}


@pytest.mark.parametrize("fault", NOT_OFFERED.values(), ids=NOT_OFFERED.keys())
def test_a_missing_endpoint_is_said_the_same_way_in_every_form(fault: dict[str, Any]) -> None:
    with faulty("healthy", (WEBHOOKS, {**fault, "times": 50})) as (scenario, server):
        result = diagnose_cli(server, scenario)
    got = statuses(result)
    assert got["webhooks.events"] == "error"
    assert all(got[c] == "pass" for c in INDEPENDENT_OF_WEBHOOKS)
    webhooks = next(c for c in json.loads(result.out)["checks"] if c["id"] == "webhooks.events")
    assert "This server does not offer GET /v1/webhook_endpoints" in webhooks["summary"]
    for marker in HTML_MARKERS:
        assert marker not in json.dumps(webhooks).lower()
    assert result.code == 1


@pytest.mark.parametrize("fault", NOT_OFFERED.values(), ids=NOT_OFFERED.keys())
def test_a_server_offering_nothing_is_exit_1_not_3(fault: dict[str, Any]) -> None:
    with faulty("healthy", ("/v1/", {**fault, "times": 500})) as (scenario, server):
        result = diagnose_cli(server, scenario)
    assert result.code == 1, result.err
    assert json.loads(result.out)["fatal"] is None
    assert "pass" not in {statuses(result)[c] for c in INDEPENDENT_OF_WEBHOOKS}


# --- item 4: --api-base -------------------------------------------------------------------------

@pytest.mark.parametrize("base", ["ftp://127.0.0.1:9", "127.0.0.1:12111", "localhost", "http://", "https:///v1"])
def test_an_api_base_that_is_not_an_http_url_is_a_usage_error_naming_it(base: str) -> None:
    result = cli(["--api-base", base, "--format", "json", "--no-history"],
                 env={"STRIPE_API_KEY": "sk_test_practice_healthy_4242"})
    assert result.code == 2
    assert base in result.err and "http" in result.err
    assert result.out == ""


def test_a_trailing_v1_on_the_api_base_is_dropped_once_with_a_note() -> None:
    with faulty("healthy") as (scenario, server):
        result = diagnose_cli(server, scenario, base=server.base_url + "/v1/")
        paths = {p for _, p, _, _ in server.request_log}
    assert result.code == 0, result.err
    assert result.err.count("/v1") == 1 and "dropped" in result.err
    assert not any(p.startswith("/v1/v1") for p in paths)


# --- item 5: a whole-run deadline ---------------------------------------------------------------

def test_a_hanging_endpoint_is_cut_off_by_the_run_deadline() -> None:
    fault = {"kind": "slow", "delay": 30.0, "times": 50}
    with faulty("healthy", (WEBHOOKS, fault)) as (scenario, server):
        started = time.perf_counter()
        result = diagnose_cli(server, scenario, "--timeout", "1.5")
        elapsed = time.perf_counter() - started
    assert result.code == 1, result.err
    assert elapsed < 10, "the run kept waiting past its deadline"
    data = json.loads(result.out)
    got = statuses(result)
    assert got["webhooks.events"] == "error"
    assert all(got[c] == "pass" for c in INDEPENDENT_OF_WEBHOOKS)
    webhooks = next(c for c in data["checks"] if c["id"] == "webhooks.events")
    assert "GET /v1/webhook_endpoints" in webhooks["summary"] and "1.5 s" in webhooks["summary"]


async def test_the_deadline_covers_the_whole_run_not_each_request() -> None:
    """Every request a little slow: the run as a whole must still end at its deadline. One round
    fits in the limit; the customer's only subscription is cancelled, so a second round (the
    cancelled subscriptions) is needed and cannot finish in time."""
    fault = {"kind": "slow", "delay": 0.8, "times": 500}
    with faulty("healthy", ("/v1/", fault)) as (scenario, server):
        server.store.data["test"]["subscriptions"][0]["status"] = "canceled"
        started = time.perf_counter()
        outcome = await diagnose(server, scenario, {"timeout": 1.0})
        elapsed = time.perf_counter() - started
    assert elapsed < 4
    assert any(c.status is Status.ERROR and "limit" in c.summary for c in outcome.diagnosis.checks)


@pytest.mark.parametrize("value", ["0", "-3", "soon"])
def test_a_timeout_that_is_not_a_positive_number_is_a_usage_error(value: str) -> None:
    result = cli(["--timeout", value, "--demo", "healthy", "--no-history"])
    assert result.code == 2 and "--timeout" in result.err and "positive number of seconds" in result.err


def test_the_default_deadline_is_30_seconds() -> None:
    assert DiagnosisRequest(key="sk_test_x").timeout == 30.0
    assert build_parser().parse_args(["diagnose"]).timeout == 30.0


# --- item 6: pagination that never ends; more products than Stripe allows --------------------

def test_has_more_forever_on_the_same_page_is_an_error_not_a_pass() -> None:
    page = {"object": "list", "url": WEBHOOKS, "has_more": True,
            "data": [{"id": "we_loop", "object": "webhook_endpoint", "status": "enabled",
                      "url": "https://x.example/hook", "enabled_events": ["*"]}]}
    fault = {"status": 200, "body": json.dumps(page), "times": 500}
    with faulty("healthy", (WEBHOOKS, fault)) as (scenario, server):
        result = diagnose_cli(server, scenario)
        pages = len(calls(server, WEBHOOKS))
    got = statuses(result)
    assert got["webhooks.events"] == "error"
    assert pages <= 3
    webhooks = next(c for c in json.loads(result.out)["checks"] if c["id"] == "webhooks.events")
    assert "GET /v1/webhook_endpoints" in webhooks["summary"] and "page" in webhooks["summary"]
    assert result.code == 1


async def test_has_more_forever_with_new_items_stops_after_a_bounded_number_of_pages() -> None:
    from support.hostile import HostileServer, json_answer

    from assistant.account.errors import GatewayError

    def endless(seen: Any) -> Any:
        n = len(server.seen)
        return json_answer({"object": "list", "url": WEBHOOKS, "has_more": True,
                            "data": [{"id": f"we_{n:05d}", "object": "webhook_endpoint"}]})

    with HostileServer(endless) as server:
        gateway = StripeGateway("sk_test_practice_healthy_4242", api_base=server.base_url,
                                max_retries=0, rate_per_second=10_000)
        try:
            with pytest.raises(GatewayError) as caught:
                await gateway.webhook_endpoints()
        finally:
            await gateway.aclose()
    assert len(server.seen) <= 60
    assert "GET /v1/webhook_endpoints" in caught.value.summary and "pages" in caught.value.summary


async def test_more_products_than_stripe_allows_is_the_products_checks_finding() -> None:
    """A configuration listing 120 products (Stripe allows 10): `ids` cannot page with
    `starting_after`, so the gateway asks by chunks and the products check says what is wrong."""
    with faulty("healthy") as (scenario, server):
        data = server.store.data["test"]
        template = data["products"][0]
        update = data["configurations"][0]["features"]["subscription_update"]
        entry = update["products"][0]
        for i in range(118):
            extra = copy.deepcopy(template)
            extra.update(id=f"prod_extra{i:04d}", name=f"Extra {i}", created=template["created"] + i + 1)
            data["products"].append(extra)
            update["products"].append({**copy.deepcopy(entry), "product": extra["id"], "prices": []})
        outcome = await diagnose(server, scenario, rate_per_second=10_000)
        product_calls = calls(server, "/v1/products")
    assert_sound(outcome, server, scenario)
    products = outcome.diagnosis.check("portal.products")
    assert products.status is Status.FAIL
    assert "120" in products.summary and "10" in products.summary
    assert products.stripe_error is None
    assert all("starting_after" not in p for p in product_calls)


# --- item 11: hostile links ---------------------------------------------------------------------

HOSTILE_URL = "https://evil.example\\@stripe.com/login"


def _rename_first_product(server: PracticeServer, name: str, *, archive: bool = False) -> None:
    """`archive`: the product also becomes the run's problem, so the ticket note, which gives a
    passing check one line, prints its name too."""
    product = server.store.data["test"]["products"][0]
    product["name"] = name
    if archive:
        product["active"] = False


async def _hostile_outcome(name: str, scenario_name: str = "healthy", *, archive: bool = False) -> RunOutcome:
    with faulty(scenario_name) as (scenario, server):
        _rename_first_product(server, name, archive=archive)
        return await diagnose(server, scenario)


def _hrefs(html: str) -> list[str]:
    import re

    return re.findall(r"""href\s*=\s*["']([^"']*)["']""", html, re.IGNORECASE)


async def test_a_product_named_like_a_link_is_text_in_the_html_report() -> None:
    from assistant.report.render import render

    outcome = await _hostile_outcome(f"Pro {HOSTILE_URL}", "archived_product")
    html = render(outcome.diagnosis, "html")
    assert "evil.example" in html  # shown, as text
    hrefs = [h for h in _hrefs(html) if not h.startswith("#")]
    assert hrefs, "the report should still link the Dashboard pages the app built"
    assert not any("evil" in h for h in hrefs), hrefs
    from assistant.knowledge.links import is_app_link

    assert all(is_app_link(h.replace("&amp;", "&")) for h in hrefs), hrefs


@pytest.mark.parametrize("url", [
    HOSTILE_URL, "https://dashboard.stripe.com\\@evil.example/", "https://dashboard.stripe.com.evil.example/x",
    "https://user@dashboard.stripe.com/test/products", "https://dashboard.stripe.com:8443/test/products",
    "http://dashboard.stripe.com/test/products", "https://dashboard.stripe.com/test/products?next=https://evil.example",
    "https://dashboard.stripe.com/%2F%2Fevil.example", "https://evil.example/dashboard.stripe.com",
])
def test_the_link_rule_refuses_what_the_app_never_builds(url: str) -> None:
    from assistant.knowledge.dashboard import dashboard_url
    from assistant.knowledge.links import is_app_link, link_spans

    assert not is_app_link(url)
    assert not any(linked for _, linked in link_spans(f"see {url} now"))
    for mode in ("test", "live"):
        assert is_app_link(dashboard_url(mode, "products", "prod_123"))
        assert is_app_link(dashboard_url(mode, "portal"))


async def test_a_product_named_like_a_link_is_no_link_in_the_pdf(qapp: Any, tmp_path: Any) -> None:
    from assistant.report.pdf import write_pdf
    from assistant.report.render import render

    outcome = await _hostile_outcome(f"Pro {HOSTILE_URL}", "archived_product")
    target = tmp_path / "report.pdf"
    write_pdf(render(outcome.diagnosis, "html"), target)
    import re

    uris = re.findall(rb"/URI\s*\(([^)]*)\)", target.read_bytes())
    assert uris, "the Dashboard links the app built should survive into the PDF"
    assert not any(b"evil" in uri for uri in uris), uris


def test_markdown_keeps_hostile_urls_from_autolinking() -> None:
    from dataclasses import replace

    from assistant.report.render import render
    from assistant.report.sample import sample_diagnosis

    d = sample_diagnosis()
    at = next(i for i, c in enumerate(d.checks) if c.status is Status.FAIL)  # printed in full in the note
    d = replace(d, checks=(*d.checks[:at], replace(d.checks[at], summary=f"Product {HOSTILE_URL} is archived."),
                           *d.checks[at + 1:]))
    md = render(d, "markdown")
    line = next(line for line in md.splitlines() if "evil.example" in line and "archived" in line)
    assert "`https://evil.example" in line  # a code span: no ticket tool turns it into a link


# --- item 12: control characters ----------------------------------------------------------------

CONTROL_NAME = ("Pro\x1b[2J\x1b]8;;https://evil.example\x07click\x1b]8;;\x07\x00\x9b31m\u202egnp.exe"
                "\u2066x\u2069\x08")
FORBIDDEN = ("\x1b", "\x07", "\x00", "\x9b", "\u202e", "\u2066", "\u2069", "\x08")


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html"])
def test_control_characters_from_account_data_never_reach_the_output(fmt: str) -> None:
    with faulty("healthy") as (scenario, server):
        # Archived, so every format prints the name (a passing check is one line without it).
        _rename_first_product(server, CONTROL_NAME, archive=True)
        result = diagnose_cli(server, scenario, fmt=fmt)
    assert result.code == 1, result.err  # the archived product fails portal.products
    for ch in FORBIDDEN:
        assert ch not in result.out, (fmt, repr(ch))
    assert "Pro" in result.out and "click" in result.out
    if fmt == "json":  # the full value is still there for a program to read
        data = json.loads(result.out)
        products = next(c for c in data["checks"] if c["id"] == "portal.products")
        assert any("\u202e" in d for d in products["details"])


# --- item 13: size ------------------------------------------------------------------------------

async def test_a_100kb_product_name_is_saved_and_shortened_for_display(tmp_path: Any) -> None:
    """Redaction was quadratic (125 s to save this run). The bound here only catches a hang;
    the speed target is benchmarks/bench_redaction.py's."""
    from assistant.report.render import render
    from assistant.report.text import render_text
    from assistant.report.text_style import TextStyle
    from assistant.store.history import HistoryStore

    name = "Gold plan " + "x" * 100_000
    outcome = await _hostile_outcome(name, archive=True)  # a problem: every format names it
    started = time.perf_counter()
    store = HistoryStore(tmp_path / "history.sqlite3")
    run_id = store.save(outcome.diagnosis)
    elapsed = time.perf_counter() - started
    assert elapsed < 20
    assert store.load(run_id).check("portal.products") is not None
    full = json.dumps(outcome.diagnosis.to_dict())
    assert name in full  # the JSON keeps the whole value
    for shown in (render_text(outcome.diagnosis, style=TextStyle(verbose=True)), render(outcome.diagnosis, "markdown"),
                  render(outcome.diagnosis, "html")):
        assert "Gold plan" in shown and "more characters" in shown
        assert "x" * 5_000 not in shown
        assert len(shown) < 60_000
