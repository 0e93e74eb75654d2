"""run_checks order and robustness; Dashboard links."""

from __future__ import annotations

import pytest
from support.stripe_objects import context, healthy_snapshot, lookup, subscription

from assistant.account.keys import classify_key
from assistant.diagnosis.checks import registry
from assistant.diagnosis.model import Status
from assistant.knowledge import checklist
from assistant.knowledge.dashboard import dashboard_url

# The ids scripts and tickets depend on (the `diagnose` JSON contract): never renamed, never
# dropped, never reordered. New checks may be declared between or after them.
CONTRACT_IDS = [
    "key.format", "key.mode", "key.accepted", "portal.configuration", "portal.features",
    "portal.products", "portal.return_url", "portal.login_link", "webhooks.events",
    "parity.test_live", "customer.found", "customer.email", "customer.subscriptions",
]
IDS = list(checklist.check_ids())


def test_every_declared_check_runs_in_the_declared_order() -> None:
    results = registry.run_checks(context(healthy_snapshot("test")))
    assert [r.id for r in results] == IDS == list(registry.CHECK_IDS)


def test_the_contract_ids_are_all_still_declared_in_their_order() -> None:
    assert [cid for cid in IDS if cid in CONTRACT_IDS] == CONTRACT_IDS


def test_healthy_account_has_no_problems() -> None:
    snap = healthy_snapshot("test", customer=lookup(subscriptions=[subscription()]))
    results = registry.run_checks(context(snap, other=healthy_snapshot("live")))
    assert not [r.id for r in results if r.status.is_problem]


def test_junk_key_fails_format_and_skips_the_rest() -> None:
    results = registry.run_checks(context(healthy_snapshot("test", key=classify_key("hello"))))
    assert results[0].status is Status.FAIL
    assert all(r.status is Status.SKIP for r in results[1:])


def test_a_crashing_check_becomes_an_error_for_its_id_only(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(ctx):
        raise RuntimeError("bug with sk_test_secret in it")

    checks = tuple((cid, boom if cid == "portal.features" else fn) for cid, fn in registry.CHECKS)
    monkeypatch.setattr(registry, "CHECKS", checks)
    results = registry.run_checks(context(healthy_snapshot("test")))
    assert [r.id for r in results] == IDS
    broken = results[IDS.index("portal.features")]
    assert broken.status is Status.ERROR
    assert "sk_test" not in broken.summary and broken.fix
    assert results[IDS.index("portal.products")].status is Status.PASS


@pytest.mark.parametrize(("mode", "page", "ids", "url"), [
    ("test", "portal", (), "https://dashboard.stripe.com/test/settings/billing/portal"),
    ("live", "portal", (), "https://dashboard.stripe.com/settings/billing/portal"),
    (None, "apikeys", (), "https://dashboard.stripe.com/test/apikeys"),
    ("live", "products", ("prod_1",), "https://dashboard.stripe.com/products/prod_1"),
    ("test", "prices", ("price_1",), "https://dashboard.stripe.com/test/prices/price_1"),
    ("test", "customers", ("cus_1",), "https://dashboard.stripe.com/test/customers/cus_1"),
    ("live", "subscriptions", ("sub_1",), "https://dashboard.stripe.com/subscriptions/sub_1"),
    ("live", "branding", (), "https://dashboard.stripe.com/settings/branding"),
    ("test", "tax", (), "https://dashboard.stripe.com/test/settings/tax"),
    ("weird", "webhooks", (), "https://dashboard.stripe.com/test/workbench/webhooks"),
    # Stripe's docs send owners to Workbench for webhooks now, the legacy /webhooks no more
    ("live", "webhooks", (), "https://dashboard.stripe.com/workbench/webhooks"),
    ("test", "webhooks", ("we_1",), "https://dashboard.stripe.com/test/workbench/webhooks/we_1"),
    # the pages the no-code login-link guide names for business information and branding
    ("test", "public", (), "https://dashboard.stripe.com/test/settings/public"),
    ("live", "public", (), "https://dashboard.stripe.com/settings/public"),
    ("test", "branding", (), "https://dashboard.stripe.com/test/settings/branding"),
])
def test_dashboard_links(mode, page, ids, url) -> None:
    assert dashboard_url(mode, page, *ids) == url


def test_unknown_dashboard_page_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        dashboard_url("test", "nope")


def test_checks_stay_pure() -> None:
    """Checks read a Snapshot only: no Stripe SDK, no gateway, no Qt, no network."""
    import ast
    from pathlib import Path

    import assistant.diagnosis.checks

    banned = ("stripe", "assistant.account.gateway", "PySide6", "qasync", "socket", "urllib.request",
              "http.client")
    for path in Path(assistant.diagnosis.checks.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(banned), (path.name, name)
