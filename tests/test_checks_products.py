"""portal.products: every product and price offered for plan switching is usable."""

from __future__ import annotations

from dataclasses import replace

from support.stripe_objects import (
    allowed,
    configuration,
    context,
    failed,
    features,
    healthy_snapshot,
    ok,
    price,
    product,
)

from assistant.account.errors import PermissionMissing
from assistant.account.snapshot import Snapshot
from assistant.diagnosis.checks.products import check_products
from assistant.diagnosis.model import Status


def catalogue(entries, products, prices, *, updates=("price",), mode="test") -> Snapshot:
    conf = configuration(mode=mode, features=features(
        subscription_update=True, products=entries, default_allowed_updates=list(updates)))
    return healthy_snapshot(mode, configurations=ok([conf]),
                            products=ok({p["id"]: p for p in products}),
                            prices=ok({p["id"]: p for p in prices}))


def run(snap: Snapshot):
    return check_products(context(snap))


def test_pass_lists_every_allowed_product_and_price() -> None:
    r = run(healthy_snapshot("test"))
    assert r.status is Status.PASS
    text = "\n".join(r.details)
    for oid in ("prod_Pro", "price_ProMonthly", "price_ProYearly"):
        assert oid in text
    assert "20.00 USD / month" in text and "200.00 USD / year" in text


def test_skip_when_plan_switching_is_off() -> None:
    r = run(healthy_snapshot("test", configurations=ok([configuration()])))
    assert r.status is Status.SKIP
    assert "Plan switching is off" in r.summary


def test_fail_when_products_are_missing_from_the_configuration() -> None:
    r = run(catalogue(None, [], []))
    assert r.status is Status.FAIL
    assert "no products" in r.summary
    r = run(catalogue([], [], []))
    assert r.status is Status.FAIL


def test_fail_when_more_than_ten_products() -> None:
    prods = [product(f"prod_{i}", f"P{i}") for i in range(11)]
    r = run(catalogue([allowed(p["id"], f"price_{i}") for i, p in enumerate(prods)], prods,
                      [price(f"price_{i}", f"prod_{i}") for i in range(11)]))
    assert r.status is Status.FAIL and "11" in r.summary


def test_fail_when_no_updates_are_allowed() -> None:
    r = run(catalogue([allowed("prod_A", "price_A")], [product("prod_A")],
                      [price("price_A", "prod_A")], updates=()))
    assert r.status is Status.FAIL and "neither the price nor the quantity" in r.summary


def test_archived_product_fails_even_with_active_prices_and_names_it() -> None:
    r = run(catalogue([allowed("prod_123", "price_1")],
                      [product("prod_123", "Pro Monthly", active=False)],
                      [price("price_1", "prod_123")]))
    assert r.status is Status.FAIL
    assert r.summary.endswith('the product "Pro Monthly" is archived, although its prices are still active.')
    assert "prod_123" not in r.summary
    assert any(d.startswith('prod_123 "Pro Monthly": archived') for d in r.details)
    assert any("https://dashboard.stripe.com/test/products/prod_123" in f for f in r.fix)


def test_archived_one_time_and_unknown_prices_are_each_named() -> None:
    r = run(catalogue(
        [allowed("prod_A", "price_Old", "price_Once", "price_Gone")],
        [product("prod_A", "Team")],
        [price("price_Old", "prod_A", active=False, nickname="2023 rate", unit_amount=1500,
               currency="eur"),
         price("price_Once", "prod_A", interval=None, unit_amount=500)],
    ))
    assert r.status is Status.FAIL
    text = "\n".join(r.details)
    assert 'price_Old "2023 rate" (15.00 EUR / month) of prod_A "Team": archived' in text
    assert "price_Once (5.00 USD / one-time)" in text and "not recurring" in text
    assert "price_Gone" in text and "not found in test mode" in text
    # Read out by name and amount; a price that does not exist has only its id, in the details.
    assert r.summary == (
        'Plan switching offers something customers cannot switch to: the "2023 rate" price '
        '(15.00 EUR / month) of "Team" is archived; a price of "Team" (5.00 USD once) is charged '
        'once, not every period; a price of "Team" does not exist in test mode.')
    assert "price_" not in r.summary


def test_price_with_recurring_null_counts_as_one_time() -> None:
    bad = price("price_X", "prod_A")
    bad["recurring"] = None
    r = run(catalogue([allowed("prod_A", "price_X")], [product("prod_A")], [bad]))
    assert r.status is Status.FAIL


def test_unknown_product_fails() -> None:
    r = run(catalogue([allowed("prod_Ghost", "price_A")], [], [price("price_A", "prod_Ghost")]))
    assert r.status is Status.FAIL and "prod_Ghost" in r.summary


def test_zero_decimal_currency_is_shown_in_whole_units() -> None:
    r = run(catalogue([allowed("prod_A", "price_Y")], [product("prod_A")],
                      [price("price_Y", "prod_A", unit_amount=1200, currency="jpy")]))
    assert any("1200 JPY / month" in d for d in r.details)


def test_error_when_products_could_not_be_read() -> None:
    snap = catalogue([allowed("prod_A", "price_A")], [product("prod_A")], [])
    err = PermissionMissing("Having the 'rak_product_read' permission would allow this request to continue.")
    r = run(replace(snap, products=failed(err)))
    assert r.status is Status.ERROR
    assert "Products: Read" in r.summary and "rak_" not in r.summary and r.stripe_error is not None


def test_live_links_have_no_test_segment() -> None:
    r = run(catalogue([allowed("prod_A", "price_A")], [product("prod_A", active=False)],
                      [price("price_A", "prod_A")], mode="live"))
    assert r.fix and all("/test/" not in f for f in r.fix)
