"""customer.found, customer.email, customer.subscriptions (more in test_checks_subscriptions.py)."""

from __future__ import annotations

from support.scenarios import other_mode_missing
from support.stripe_objects import (
    context,
    customer,
    healthy_snapshot,
    lookup,
    price,
    subscription,
)

from assistant.account.errors import NotFound, ServerFailed
from assistant.diagnosis.checks import customer as checks
from assistant.diagnosis.checks import subscriptions
from assistant.diagnosis.model import Status


def ctx_for(lk, mode: str = "test"):
    return context(healthy_snapshot(mode, customer=lk))


def test_all_customer_checks_skip_without_a_query() -> None:
    ctx = context(healthy_snapshot("test"))
    for fn in (checks.check_found, checks.check_email, subscriptions.check_subscriptions):
        assert fn(ctx).status is Status.SKIP


def test_found_by_id_names_id_name_and_email() -> None:
    r = checks.check_found(ctx_for(lookup()))
    assert r.status is Status.PASS
    assert "Jenny Rosen" in r.summary and "jenny@example.com" in r.summary
    assert "cus_" not in r.summary  # the id is evidence, for the details
    assert any("cus_QXg1o8vcGmoR32" in d for d in r.details)


def test_customer_in_the_other_mode_is_explained() -> None:
    r = checks.check_found(ctx_for(lookup("cus_Other", other_mode_missing("test"))))
    assert r.status is Status.FAIL
    assert "exists in live mode" in r.summary and "test mode key" in r.summary
    assert r.stripe_error is not None and r.stripe_error.code == "resource_missing"


def test_not_found_warns_against_creating_a_customer() -> None:
    r = checks.check_found(ctx_for(lookup("cus_Nope", NotFound("No such customer: 'cus_Nope'"))))
    assert r.status is Status.FAIL
    assert any("Do not create a new customer" in f for f in r.fix)
    r = checks.check_found(ctx_for(lookup("a@b.example", [])))
    assert r.status is Status.FAIL and "a@b.example" in r.summary


def test_other_errors_are_errors() -> None:
    r = checks.check_found(ctx_for(lookup("cus_X", ServerFailed("Bad gateway", http_status=502))))
    assert r.status is Status.ERROR


def test_several_matches_name_all_and_the_one_the_login_link_picks() -> None:
    old, new = customer("cus_Old", created=1), customer("cus_New", created=2)
    r = checks.check_found(ctx_for(lookup("jenny@example.com", [old, new], chosen=new)))
    assert r.status is Status.WARN
    assert r.summary.startswith("2 customers share the e-mail jenny@example.com")
    assert "cus_" not in r.summary and "newest one with an active subscription" in r.summary
    assert any("cus_New" in d and "picks this one" in d for d in r.details)


def test_email_missing_warns() -> None:
    r = checks.check_email(ctx_for(lookup("cus_A", [customer("cus_A", email=None)])))
    assert r.status is Status.WARN
    assert any("https://dashboard.stripe.com/test/customers/cus_A" in f for f in r.fix)
    assert checks.check_email(ctx_for(lookup())).status is Status.PASS


def test_email_skips_when_no_single_customer_was_chosen() -> None:
    lk = lookup("jenny@example.com", [customer("cus_1"), customer("cus_2")], chosen=None)
    assert checks.check_email(ctx_for(lk)).status is Status.SKIP


def test_no_subscriptions_passes_with_a_note() -> None:
    r = subscriptions.check_subscriptions(ctx_for(lookup(subscriptions=[])))
    assert r.status is Status.PASS and "billing details and invoices only" in r.summary


def test_subscription_limits_each_have_a_reason() -> None:
    subs = [
        subscription("sub_Multi", prices=[price(), price("price_B", "prod_B")]),
        subscription("sub_Meter", prices=[price("price_M", "prod_M", usage_type="metered")]),
        subscription("sub_Inv", collection_method="send_invoice"),
        subscription("sub_Sched", schedule="sub_sched_1"),
        subscription("sub_Ok"),
    ]
    r = subscriptions.check_subscriptions(ctx_for(lookup(subscriptions=subs), "live"))
    assert r.status is Status.WARN
    assert "sub_" not in r.summary and r.summary.count("the subscription to") == 4
    text = "\n".join(r.details)
    for sid in ("sub_Multi", "sub_Meter", "sub_Inv", "sub_Sched"):
        assert sid in text
    assert "sub_Sched (active): attached to a subscription schedule" in text
    assert "sub_Multi (active): has items of more than one product" in text
    assert "sub_Meter (active): has a usage-based" in text
    assert "sub_Inv (active): is paid by sending invoices" in text
    assert all("/test/" not in f for f in r.fix)


def test_two_items_of_the_same_product_are_cancel_only_by_the_api_reference_rule() -> None:
    sub = subscription(prices=[price("price_A", "prod_A"), price("price_B", "prod_A")])
    r = subscriptions.check_subscriptions(ctx_for(lookup(subscriptions=[sub])))
    assert r.status is Status.WARN
    line = next(d for d in r.details if "2 items of one product (prod_A)" in d)
    assert "limitations counts products" in line and "API reference" in line


def test_subscription_fetch_error() -> None:
    r = subscriptions.check_subscriptions(ctx_for(lookup(subscriptions=ServerFailed("boom"))))
    assert r.status is Status.ERROR
