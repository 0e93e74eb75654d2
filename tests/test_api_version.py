"""One Stripe API version, written once, sent on every request, and shown wherever a run is.

The version the checks were written and verified against must not change by itself: not with
the owner's account default, not with the stripe-python release pip happens to install. An
upgrade is a commit of its own (account/api_version.py, pyproject's stripe bound, the lock,
re-verified checks and docs/sources.md dates); the first test here is what forces it.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from pathlib import Path

import stripe
from stripe._api_version import _ApiVersion
from support.practice import practice, run_scenario

import assistant
from assistant.account.api_version import STRIPE_API_VERSION
from assistant.account.snapshot import Fetched
from assistant.cli.fix import run_fix
from assistant.cli.main import build_parser, gateway_factory, run_diagnose
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.checks.webhooks import check_webhooks
from assistant.practice import PracticeServer
from assistant.report.render import render
from assistant.report.text import render_text
from assistant.store.history import HistoryStore

PACKAGE = Path(assistant.__file__).resolve().parent
# Stripe's API versions since 2024-09-30: the release date and the release's name.
VERSION_LIKE = re.compile(r"\b20\d\d-[01]\d-[0-3]\d\.[a-z]+\b")


def test_the_installed_stripe_python_describes_the_pinned_version() -> None:
    """Fails when the installed SDK was built for another API version: its types, docstrings
    and parameter lists then describe shapes the checks were not verified against. Upgrade on
    purpose (see assistant/account/api_version.py), do not just bump the constant."""
    assert _ApiVersion.CURRENT == stripe.api_version == STRIPE_API_VERSION, (
        f"stripe-python {stripe.VERSION} describes API version {stripe.api_version}; the app pins "
        f"{STRIPE_API_VERSION}. Either install the locked stripe-python or upgrade deliberately.")
    assert STRIPE_API_VERSION.endswith("." + _ApiVersion.CURRENT_MAJOR)


def test_one_file_of_the_package_writes_the_api_version() -> None:
    """Code and data read the one constant; no module, wording or practice object keeps a copy
    that could be left behind by the next upgrade (webhook endpoints of practice accounts may
    name older versions: those are the owner's, not ours)."""
    holders = sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*")
                     if p.suffix in (".py", ".json", ".j2", ".txt")
                     and STRIPE_API_VERSION in p.read_text(encoding="utf-8"))
    assert holders == ["account/api_version.py"]
    code = sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py")
                  if VERSION_LIKE.search(p.read_text(encoding="utf-8")))
    assert code == ["account/api_version.py"]
    assert holders == ["account/api_version.py"]
    assert re.fullmatch(r"20\d\d-\d\d-\d\d\.[a-z]+", STRIPE_API_VERSION)


def _diagnose_json(server: PracticeServer, *extra: str) -> dict[str, object]:
    """`diagnose --format json` as the agent runs it, with the other mode's key for parity."""
    out = io.StringIO()
    args = build_parser().parse_args(["diagnose", "--format", "json", "--no-history", "--api-base",
                                      server.base_url, "--live-key-env", "SECOND_KEY", *extra])
    environ = {"STRIPE_API_KEY": server.scenario.primary_key, "SECOND_KEY": server.scenario.second_key or ""}
    run_diagnose(args, stdin=io.StringIO(""), stdout=out, environ=environ)
    return json.loads(out.getvalue())


def test_every_request_of_a_full_diagnosis_carries_the_version_and_the_json_says_it() -> None:
    """A whole run (both modes for the parity check, a customer looked up) over real HTTP: the
    practice server logs the Stripe-Version each request carried."""
    with practice("healthy") as (scenario, server):
        assert scenario.second_key and scenario.customer
        data = _diagnose_json(server, "--customer", scenario.customer)
        assert len(server.request_log) == len(server.request_versions) > 5
        assert set(server.request_versions) == {STRIPE_API_VERSION}
        paths = {path for _, path, _, _ in server.request_log}
        assert {"/v1/account", "/v1/billing_portal/configurations", "/v1/webhook_endpoints"} <= paths
        assert any(path.startswith("/v1/customers") for path in paths)
        assert len({key for *_, key in server.request_log}) == 2  # both modes' keys were used
    assert data["api_version"] == STRIPE_API_VERSION
    assert list(data)[:3] == ["schema", "generated_at", "api_version"]


def test_fixes_are_sent_in_the_same_version_and_their_json_says_it() -> None:
    with practice("no_return_url") as (_, server):
        argv = ["fix", "--apply", "portal.return_url", "--return-url", "https://app.practice.example/billing",
                "--yes", "--format", "json", "--api-base", server.base_url]
        out = io.StringIO()
        code = run_fix(build_parser().parse_args(argv), stdin=io.StringIO(""), stdout=out,
                       environ={"STRIPE_API_KEY": server.scenario.primary_key},
                       gateway_factory_for=gateway_factory)
        assert code == 0
        assert any(method == "POST" for method, *_ in server.request_log)
        assert set(server.request_versions) == {STRIPE_API_VERSION}
    assert json.loads(out.getvalue())["api_version"] == STRIPE_API_VERSION


async def test_every_report_format_names_the_version_and_the_history_keeps_it() -> None:
    outcome = await run_scenario("healthy")
    diagnosis = outcome.diagnosis
    assert diagnosis.api_version == STRIPE_API_VERSION
    assert f"\nStripe API version: {STRIPE_API_VERSION}\n" in render_text(diagnosis)
    assert f"Stripe API version `{STRIPE_API_VERSION}`" in render(diagnosis, "markdown")
    assert f"Stripe API version <code>{STRIPE_API_VERSION}</code>" in render(diagnosis, "html")

    store = HistoryStore(HistoryStore.default_path())
    run_id = store.save(diagnosis)
    assert store.load(run_id).api_version == STRIPE_API_VERSION
    assert store.list_runs()[0].to_dict()["api_version"] == STRIPE_API_VERSION
    # A run kept from before the version was recorded says so instead of claiming today's.
    old = store.load(store.save(replace(diagnosis, api_version="")))
    assert "\nStripe API version: not recorded\n" in render_text(old)
    assert old.to_dict()["api_version"] is None


async def test_each_webhook_endpoints_version_is_set_against_the_apps_in_the_evidence() -> None:
    outcome = await run_scenario("healthy")
    endpoints = list(outcome.snapshot.webhook_endpoints.value or [])
    assert endpoints
    older = {**endpoints[0], "api_version": "2025-03-31.basil"}
    same = {**endpoints[0], "id": "we_same", "api_version": STRIPE_API_VERSION}
    unset = {**endpoints[0], "id": "we_unset", "api_version": None}
    snapshot = replace(outcome.snapshot, webhook_endpoints=Fetched([older, same, unset]))
    before = outcome.diagnosis.check("webhooks.events")
    result = check_webhooks(CheckContext(snapshot=snapshot))
    assert before is not None and result.status is before.status  # evidence only, never a verdict
    facts = {f.subject.id: f.facts for f in result.with_code("webhook.endpoint") if f.subject}
    assert facts[older["id"]]["api_version"] == "2025-03-31.basil"
    assert facts[older["id"]]["same_api_version"] is False
    assert facts["we_same"]["same_api_version"] is True
    assert facts["we_unset"]["api_version"] == "the account's default"
    assert all(f["app_api_version"] == STRIPE_API_VERSION for f in facts.values())
    lines = [d for d in result.details if older["id"] in d]
    assert any(f"API version of its events: 2025-03-31.basil; the assistant reads {STRIPE_API_VERSION}" in line
               for line in lines)
