"""parity.test_live."""

from __future__ import annotations

from support.scenarios import auth
from support.stripe_objects import (
    allowed,
    configuration,
    context,
    features,
    healthy_snapshot,
    ok,
)

from assistant.diagnosis.checks.parity import check_parity
from assistant.diagnosis.model import Status


def test_skip_without_a_second_key() -> None:
    r = check_parity(context(healthy_snapshot("test")))
    assert r.status is Status.SKIP
    assert "live mode" in r.summary


def test_pass_when_both_modes_match() -> None:
    r = check_parity(context(healthy_snapshot("test"), other=healthy_snapshot("live")))
    assert r.status is Status.PASS
    offered = next(f for f in r.findings if f.facts.get("area") == "products")
    assert offered.text("test_value") == '"Pro": 2 prices'  # by name, not a list of ids


def test_a_product_neither_catalogue_holds_keeps_its_id() -> None:
    live_conf = configuration(mode="live", features=features(
        subscription_update=True, products=[allowed("prod_Pro", "price_ProMonthly", "price_ProYearly"),
                                            allowed("prod_Gone", "price_Gone")]))
    r = check_parity(context(healthy_snapshot("live", configurations=ok([live_conf])),
                             other=healthy_snapshot("test")))
    assert "Product prod_Gone: offered for plan switching in live mode only" in r.details
    assert "Price price_Gone: offered for plan switching in live mode only" in r.details


def test_error_when_the_other_key_was_rejected() -> None:
    err = auth()
    r = check_parity(context(healthy_snapshot("test"), other=healthy_snapshot("live", auth_error=err)))
    assert r.status is Status.ERROR
    assert r.summary == err.summary and r.stripe_error == err.info
    assert any("https://dashboard.stripe.com/apikeys" in f for f in r.fix)


def test_fail_when_live_has_no_configuration_and_link_points_to_live() -> None:
    r = check_parity(context(healthy_snapshot("test"),
                             other=healthy_snapshot("live", configurations=ok([]))))
    assert r.status is Status.FAIL
    assert "not in live mode" in r.summary
    assert any("https://dashboard.stripe.com/settings/billing/portal" in f for f in r.fix)


def test_each_difference_is_listed_with_its_mode() -> None:
    live_conf = configuration(
        mode="live", default_return_url="https://example.com/live",
        features=features(payment_method_update=False, subscription_update=True,
                          products=[allowed("prod_Pro", "price_ProMonthly")],
                          default_allowed_updates=["price"]),
    )
    r = check_parity(context(healthy_snapshot("live", configurations=ok([live_conf])),
                             other=healthy_snapshot("test")))
    assert r.status is Status.FAIL
    text = "\n".join(r.details)
    assert "update their payment methods: on in test mode, off in live mode" in text
    # Named as the owner knows it, the id kept for the agent (issue 13: no bare ids).
    assert ('The "Yearly" price (200.00 USD / year) of "Pro" (price_ProYearly): offered for plan '
            "switching in test mode only") in text
    assert "https://example.com/account in test mode, https://example.com/live in live mode" in text
    assert "features" in r.summary and "return URL" in r.summary
    assert any("/test/settings/billing/portal" in f and "dashboard.stripe.com/settings/billing/portal" in f
               for f in r.fix)


def test_same_mode_keys_are_not_compared() -> None:
    r = check_parity(context(healthy_snapshot("test"), other=healthy_snapshot("test")))
    assert r.status is Status.SKIP


def test_the_login_link_is_compared_too() -> None:
    """The configuration page compares it, so the check does: page and card always agree."""
    from support.scenarios import scenarios

    result = check_parity(dict(scenarios("test"))["parity_login_differs"])
    assert result.status is Status.FAIL
    assert "no-code login link" in result.summary
    differs = result.with_code("parity.login_link_differs")
    assert differs and (differs[0].seen, differs[0].expected) == (True, False)
    assert any("No-code login link: off in test mode, on in live mode" in d for d in result.details)
