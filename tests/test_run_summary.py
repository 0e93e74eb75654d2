"""A run summed up by step (diagnosis/summary.py): what the sidebar, the status line and the
Report step say, so the window only renders it."""

from __future__ import annotations

from support.practice import run_scenario

from assistant.diagnosis.checks.common_codes import SKIPPED_NO_CONFIGURATION
from assistant.diagnosis.findings import Finding
from assistant.diagnosis.model import CheckResult, Diagnosis, Verdict
from assistant.diagnosis.status import Status
from assistant.diagnosis.summary import counts_words, summarise, tally_words


def _run(*checks: tuple[str, Status], fatal: str | None = None) -> Diagnosis:
    results = tuple(CheckResult(cid, cid, status, f"Summary of {cid}.") for cid, status in checks)
    return Diagnosis("2026-12-01T00:00:00Z", "test", "sk_test_…1234", None, results, fatal=fatal)


async def test_the_archived_price_account_reads_one_problem_in_plans_and_prices() -> None:
    outcome = await run_scenario("inactive_price")
    summary = summarise(outcome.diagnosis)
    failing = outcome.diagnosis.check("portal.products")
    assert failing is not None and failing.status is Status.FAIL
    assert summary.headline == "1 problem: Plans and prices"
    assert summary.read_out == failing.summary  # the check's own sentence, not the window's
    assert summary.first_step == "products"
    words = {t.step_id: t.words for t in summary.steps}
    assert words["products"] == "1 problem"
    assert words["connect"] == "OK"
    assert words["report"] == "1 problem to fix"
    assert summary.line == f"1 problem: Plans and prices — {failing.summary}"


async def test_a_healthy_account_has_nothing_to_read_out() -> None:
    outcome = await run_scenario("healthy")
    summary = summarise(outcome.diagnosis)
    assert summary.verdict is Verdict.CLEAR
    assert summary.headline.startswith("No problems")
    assert {t.step_id: t.words for t in summary.steps}["report"].startswith("no problems")


def test_problems_come_first_then_checks_that_could_not_run_in_checklist_order() -> None:
    summary = summarise(_run(("webhooks.events", Status.FAIL), ("webhooks.delivery", Status.FAIL),
                             ("portal.products", Status.ERROR), ("portal.features", Status.WARN),
                             ("key.format", Status.PASS)))
    assert summary.headline == "2 problems: Webhooks; 1 check could not run: Plans and prices"
    assert summary.first_step == "webhooks"  # a failure is said before a check that could not look
    assert summary.read_out == "Summary of webhooks.events."
    words = {t.step_id: t.words for t in summary.steps}
    assert words["configuration"] == "1 warning"
    assert words["products"] == "1 not checked"
    assert words["webhooks"] == "2 problems"
    assert words["report"] == "2 problems to fix, 1 not checked, 1 warning"


def test_a_check_that_could_not_run_is_never_said_as_no_problems() -> None:
    summary = summarise(_run(("webhooks.events", Status.ERROR), ("key.format", Status.PASS)))
    assert summary.verdict is Verdict.PROBLEMS
    assert summary.headline == "1 check could not run: Webhooks"
    assert summary.first_step == "webhooks"
    assert {t.step_id: t.words for t in summary.steps}["report"] == "1 not checked"


def test_warnings_alone_keep_the_verdict_clear_but_are_headlined_never_as_no_problems() -> None:
    summary = summarise(_run(("portal.features", Status.WARN), ("key.format", Status.PASS)))
    assert summary.verdict is Verdict.CLEAR  # exit status 0: the CLI contract is unchanged
    assert summary.headline == "1 warning: Portal settings"
    assert summary.first_step == "configuration"
    assert summary.read_out == "Summary of portal.features."
    assert {t.step_id: t.words for t in summary.steps}["report"] == "1 warning"


async def test_the_cancel_only_customer_is_the_headline_not_no_problems() -> None:
    """Quillpad Notes: the owner called because one customer can only cancel; the run's one
    warning is that customer, so the run is never summed up as "No problems"."""
    outcome = await run_scenario("cancel_only_subscription")
    summary = summarise(outcome.diagnosis)
    warned = outcome.diagnosis.check("customer.subscriptions")
    assert warned is not None and warned.status is Status.WARN
    assert outcome.diagnosis.verdict is Verdict.CLEAR
    assert summary.line == f"1 warning: Customer — {warned.summary}"
    assert "no problems" not in summary.line.lower()
    assert "no problems" not in " ".join(t.words for t in summary.steps).lower()


def test_the_counts_read_the_same_as_words_wherever_a_run_is_summed_up() -> None:
    assert counts_words({"warn": 1, "pass": 14, "skip": 1}) == "1 warning"
    assert counts_words({Status.FAIL: 1, Status.WARN: 2}) == "1 problem, 2 warnings"
    assert counts_words({"error": 1}) == "1 not checked"
    assert counts_words({"pass": 3, "skip": 1}) == "no problems"
    assert counts_words({}) == "no checks ran"


def test_a_run_that_could_not_reach_stripe_says_so_and_opens_nothing() -> None:
    summary = summarise(_run(("key.accepted", Status.ERROR), fatal="Stripe could not be reached."))
    assert summary.headline == "The diagnosis could not run: Stripe could not be reached."
    assert summary.first_step is None


def test_step_words() -> None:
    skip = CheckResult("c", "c", Status.SKIP, "")
    ok = CheckResult("c", "c", Status.PASS, "")
    assert tally_words([]) == "not run"
    assert tally_words([skip]) == "skipped"
    assert tally_words([ok, skip]) == "OK"  # a skip for want of an optional input (a live key)
    waits = CheckResult("c", "c", Status.SKIP, "", findings=(Finding(SKIPPED_NO_CONFIGURATION, Status.SKIP),))
    assert tally_words([ok, waits]) == "1 skipped"  # waiting for the portal settings: not OK
    assert tally_words([CheckResult("c", "c", Status.FAIL, ""), CheckResult("d", "d", Status.FAIL, ""),
                        CheckResult("e", "e", Status.WARN, "")]) == "2 problems, 1 warning"
