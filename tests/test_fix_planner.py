"""The fix planner without a network: snapshots in, fixes out, computed from the checks' findings.

Each test builds a Stripe-shaped snapshot, runs the real checks on it and plans; nothing here
opens a socket (the planner's package may not import one: see the import-linter contract)."""

from __future__ import annotations

import importlib
from dataclasses import replace

import pytest
from support.stripe_objects import (
    PORTAL_EVENTS,
    allowed,
    configuration,
    features,
    healthy_snapshot,
    key,
    ok,
    price,
    product,
    webhook_endpoint,
)

from assistant.account.keys import classify_key
from assistant.account.snapshot import Fetched, ModeCatalogue, Snapshot
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.checks.registry import run_checks
from assistant.diagnosis.fixes import wording
from assistant.diagnosis.fixes.display import preview
from assistant.diagnosis.fixes.fields import CONFIGURATION, params_for, plan_entries
from assistant.diagnosis.fixes.model import (
    GUIDED,
    ConflictingSelection,
    FieldChange,
    Fix,
    FixInputs,
    Plan,
    UnknownSelection,
)
from assistant.diagnosis.fixes.planner import plan_fixes, planner_for
from assistant.diagnosis.fixes.undo import UndoRefused, plan_undo
from assistant.diagnosis.model import AccountInfo, Diagnosis
from assistant.knowledge.checklist import check_ids

QTY = {"enabled": True, "maximum": 5, "minimum": 2}


def plan(snapshot: Snapshot, *, other: Snapshot | None = None, catalogues: dict[str, ModeCatalogue] | None = None,
         **inputs: str) -> Plan:
    checks = tuple(run_checks(CheckContext(snapshot=snapshot, other=other)))
    diagnosis = Diagnosis(generated_at="2024-06-04T10:00:00Z", mode=snapshot.mode, masked_key="sk_test_…abcd",
                          account=AccountInfo("acct_1", "Acme"), checks=checks)
    return plan_fixes(diagnosis, snapshot, other=other, inputs=FixInputs(**inputs), catalogues=catalogues)


def only(p: Plan, check_id: str) -> Fix:
    [fix] = p.for_check(check_id)
    return fix


def with_conf(snapshot: Snapshot, **kw: object) -> Snapshot:
    return replace(snapshot, configurations=ok([configuration(**kw)]))


def test_a_healthy_account_gets_no_fixes() -> None:
    assert plan(healthy_snapshot()).fixes == ()


def catalogue_snapshot(*entries: dict, extra_products: list | None = None,
                       extra_prices: list | None = None) -> Snapshot:
    pro, basic = product("prod_Pro", "Pro"), product("prod_Basic", "Basic", active=False)
    prices = [price("price_ProMonthly", "prod_Pro"), price("price_ProYearly", "prod_Pro", interval="year"),
              price("price_Setup", "prod_Pro", type="one_time", recurring=None),
              price("price_BasicMonthly", "prod_Basic")]
    snap = healthy_snapshot(
        products=ok({p["id"]: p for p in [pro, basic, *(extra_products or [])]}),
        prices=ok({p["id"]: p for p in [*prices, *(extra_prices or [])]}),
    )
    return with_conf(snap, features=features(subscription_update=True, products=list(entries)))


def test_products_removes_one_time_prices_keeping_every_other_entry_as_is() -> None:
    entries = [{**allowed("prod_Basic", "price_BasicMonthly"), "adjustable_quantity": QTY},
               {**allowed("prod_Pro", "price_ProMonthly", "price_Setup", "price_ProYearly"),
                "adjustable_quantity": QTY}]
    snap = catalogue_snapshot(*entries)
    fixes = plan(snap).for_check("portal.products")
    # The archived product Basic is a choice of its own (restore it, or take it off); the one-time
    # price, which nothing can make usable, is taken off by one write that keeps everything else.
    assert [f.id for f in fixes] == ["portal.products.restore_product", "portal.products.remove_product",
                                     "portal.products.remove_unusable"]
    fix = fixes[-1]
    assert fix.ready and not fix.group
    [change] = fix.changes
    assert change.before == plan_entries(snap.default_configuration)
    assert change.after == [{**allowed("prod_Basic", "price_BasicMonthly"), "adjustable_quantity": QTY},
                            {"product": "prod_Pro", "prices": ["price_ProMonthly", "price_ProYearly"],
                             "adjustable_quantity": QTY}]
    assert fix.requests[0].params == {"features": {"subscription_update": {"products": [
        {"product": "prod_Basic", "prices": ["price_BasicMonthly"], "adjustable_quantity": QTY},
        {"product": "prod_Pro", "prices": ["price_ProMonthly", "price_ProYearly"], "adjustable_quantity": QTY}]}}}
    assert fix.summary.startswith("Remove the price price_Setup ")


def test_products_with_nothing_usable_left_is_guided() -> None:
    fix = only(plan(catalogue_snapshot(allowed("prod_Pro", "price_Setup"))), "portal.products")
    assert fix.kind == GUIDED and fix.id == "portal.products.choose_plans" and not fix.requests
    assert fix.dashboard_url == "https://dashboard.stripe.com/test/settings/billing/portal" and fix.steps
    assert fix.blocker() and "owner" in (fix.blocker() or "")


def test_taking_the_only_archived_product_off_would_leave_nothing_so_that_choice_is_guided() -> None:
    restore, choose = plan(catalogue_snapshot(allowed("prod_Basic", "price_BasicMonthly"))).for_check(
        "portal.products")
    assert restore.id == "portal.products.restore_product" and restore.ready
    assert choose.id == "portal.products.choose_plans" and choose.kind == GUIDED
    assert choose.group == restore.group and "no longer switch to Basic" in choose.for_customer


def yearly_snapshot(*, replacement: bool = False) -> Snapshot:
    """Pro Monthly and the archived Pro Yearly on the list; with `replacement`, an active yearly
    price of Pro (USD, like the archived one) exists but is not offered, and a EUR one too."""
    extra = [price("price_ProYearly2", "prod_Pro", interval="year", unit_amount=30000, nickname="Pro Yearly 2026",
                   created=1234567999),
             price("price_ProYearlyEur", "prod_Pro", interval="year", currency="eur")] if replacement else []
    snap = catalogue_snapshot(allowed("prod_Pro", "price_ProMonthly", "price_ProYearly"), extra_prices=extra)
    prices = dict(snap.prices.value or {})
    prices["price_ProYearly"] = {**prices["price_ProYearly"], "active": False, "nickname": "Pro Yearly",
                                 "unit_amount": 29000}
    return replace(snap, prices=ok(prices))


def test_an_archived_price_can_be_restored_replaced_or_taken_off_restoring_first() -> None:
    p = plan(yearly_snapshot(replacement=True))
    restore, swap, remove = p.for_check("portal.products")
    assert [f.id for f in (restore, swap, remove)] == [
        "portal.products.restore_price", "portal.products.replace_price", "portal.products.remove_price"]
    assert restore.group == swap.group == remove.group == "portal.products:price_ProYearly"
    assert p.choices_for("portal.products") == [restore, swap, remove]
    # Restore: one request on the price itself, nothing else.
    [request] = restore.requests
    assert (request.method, request.path, dict(request.params)) == ("POST", "/v1/prices/price_ProYearly",
                                                                   {"active": True})
    [change] = restore.changes
    assert (change.object, change.field, change.before, change.after) == ("price_ProYearly", "active", False, True)
    assert "Customers can move to Pro Yearly (290.00 USD / year) again" in restore.for_customer
    # Replace: the same-period active price in the archived one's place (never the EUR one).
    assert swap.changes[0].after == [{"product": "prod_Pro", "prices": ["price_ProMonthly", "price_ProYearly2"]}]
    assert "Pro Yearly 2026 (300.00 USD / year)" in swap.for_customer
    # Remove: honest about what customers lose.
    assert remove.changes[0].after == [{"product": "prod_Pro", "prices": ["price_ProMonthly"]}]
    assert "no longer move to Pro Yearly" in remove.for_customer
    # The preview's words for the ids.
    assert swap.names["price_ProYearly2"] == "Pro Yearly 2026 — 300.00 USD / year" and swap.names["prod_Pro"] == "Pro"


def test_without_an_active_price_of_the_same_period_there_is_no_replacement() -> None:
    assert [f.id for f in plan(yearly_snapshot()).for_check("portal.products")] == [
        "portal.products.restore_price", "portal.products.remove_price"]


def test_an_archived_product_can_be_restored_or_taken_off() -> None:
    snap = catalogue_snapshot(allowed("prod_Basic", "price_BasicMonthly"), allowed("prod_Pro", "price_ProMonthly"))
    restore, remove = plan(snap).for_check("portal.products")
    assert (restore.id, remove.id) == ("portal.products.restore_product", "portal.products.remove_product")
    assert [(r.method, r.path, dict(r.params)) for r in restore.requests] == [
        ("POST", "/v1/products/prod_Basic", {"active": True})]
    assert remove.changes[0].after == [{"product": "prod_Pro", "prices": ["price_ProMonthly"]}]


def test_all_and_a_check_id_pick_the_first_choice_and_two_choices_of_one_group_are_refused() -> None:
    entries = [allowed("prod_Pro", "price_ProMonthly", "price_ProYearly", "price_Setup")]
    snap = catalogue_snapshot(*entries)
    prices = dict(snap.prices.value or {})
    prices["price_ProYearly"] = {**prices["price_ProYearly"], "active": False}
    p = plan(replace(snap, prices=ok(prices)))
    assert [f.id for f in p.fixes] == ["portal.products.restore_price", "portal.products.remove_price",
                                       "portal.products.remove_unusable"]
    assert [f.id for f in p.select(["all"])] == ["portal.products.restore_price", "portal.products.remove_unusable"]
    assert [f.id for f in p.select(["portal.products"])] == [f.id for f in p.select(["all"])]
    assert [f.id for f in p.select(["portal.products.remove_price"])] == ["portal.products.remove_price"]
    with pytest.raises(ConflictingSelection, match="two ways to repair the same thing"):
        p.select(["portal.products.restore_price", "portal.products.remove_price"])
    with pytest.raises(ConflictingSelection, match="both rewrite features.subscription_update.products"):
        p.select(["portal.products.remove_price", "portal.products.remove_unusable"])
    data = p.to_dict()["fixes"]
    assert [(f["id"], f["preferred"], f["alternatives"]) for f in data] == [
        ("portal.products.restore_price", True, ["portal.products.remove_price"]),
        ("portal.products.remove_price", False, ["portal.products.restore_price"]),
        ("portal.products.remove_unusable", True, [])]
    assert data[0]["group"] == "portal.products:price_ProYearly" and data[2]["group"] is None
    assert data[0]["changes"][0]["object"] == "price_ProYearly"  # the JSON keeps ids


def test_the_preview_names_plans_and_marks_what_goes_and_comes_in_words() -> None:
    swap = plan(yearly_snapshot(replacement=True)).for_check("portal.products")[1]
    shown = preview(swap.changes[0], swap.names)
    assert shown.label == "Switch plan: products and prices"
    assert [(b.shown if b else None, a.shown if a else None) for b, a in shown.rows] == [
        ("Pro: 20.00 USD / month", "Pro: 20.00 USD / month"),
        ("\u2212 Pro: Pro Yearly — 290.00 USD / year (removed)", "+ Pro: Pro Yearly 2026 — 300.00 USD / year (added)")]
    assert "price_" not in " ".join(line.text for row in shown.rows for line in row if line)
    assert "bpc_1Pgc70B7WZ01zgkWSnFO04Vt" in shown.detail and "removed price_ProYearly" in shown.detail
    assert "added price_ProYearly2" in shown.detail
    url = preview(FieldChange("bpc_1", "default_return_url", None, "https://x.example/a", CONFIGURATION))
    assert (url.label, [(b.shown, a.shown) for b, a in url.rows]) == (
        "Default redirect link", [("(none)", "https://x.example/a")])


def test_undoing_a_restore_archives_it_again() -> None:
    snap = yearly_snapshot()
    prices = dict(snap.prices.value or {})
    prices["price_ProYearly"] = {**prices["price_ProYearly"], "active": True}
    restored = replace(snap, prices=ok(prices))
    fix = plan_undo([_Recorded("active", False, True, object_id="price_ProYearly")], [restored])
    assert [(r.method, r.path, dict(r.params)) for r in fix.requests] == [
        ("POST", "/v1/prices/price_ProYearly", {"active": False})]
    with pytest.raises(UndoRefused, match="has changed since"):
        plan_undo([_Recorded("active", False, True, object_id="price_ProYearly")], [snap])


def test_products_problems_of_the_list_alone_have_no_api_fix() -> None:
    snap = catalogue_snapshot(allowed("prod_Pro", "price_ProMonthly"))
    snap = with_conf(snap, features=features(subscription_update=True, default_allowed_updates=[],
                                             products=[allowed("prod_Pro", "price_ProMonthly")]))
    assert plan(snap).for_check("portal.products") == []


def test_return_url_needs_the_url_and_judges_it_by_the_checks_rule() -> None:
    snap = with_conf(healthy_snapshot(), default_return_url=None)
    fix = only(plan(snap), "portal.return_url")
    assert fix.needs == ("return_url",) and not fix.requests and "--return-url URL" in (fix.blocker() or "")
    bad = only(plan(snap, return_url="example.com/account"), "portal.return_url")
    assert bad.problem and not bad.ready
    fix = only(plan(snap, return_url="https://shop.example/account"), "portal.return_url")
    assert fix.ready and fix.requests[0].params == {"default_return_url": "https://shop.example/account"}
    assert (fix.changes[0].before, fix.changes[0].after) == (None, "https://shop.example/account")


def test_return_url_in_live_mode_refuses_a_local_or_http_address() -> None:
    snap = with_conf(healthy_snapshot("live"), mode="live", default_return_url=None)
    for url in ("http://localhost:3000/account", "http://shop.example/account"):
        assert only(plan(snap, return_url=url), "portal.return_url").problem


def test_a_bad_url_the_app_passes_is_not_fixed_in_stripe() -> None:
    snap = healthy_snapshot()
    checks = tuple(run_checks(CheckContext(snapshot=snap, return_url="nope")))
    diagnosis = Diagnosis("2024-06-04T10:00:00Z", "test", "sk_test_…abcd", None, checks)
    assert plan_fixes(diagnosis, snap, inputs=FixInputs(return_url="https://a.example/")).fixes == ()


def test_features_switches_on_plan_changes_with_the_payment_method_update() -> None:
    off = features(customer_update=False, invoice_history=False, payment_method_update=False,
                   subscription_cancel=False, subscription_update=False,
                   products=[allowed("prod_Pro", "price_ProMonthly")], default_allowed_updates=["promotion_code"])
    fix = only(plan(with_conf(healthy_snapshot(), features=off)), "portal.features")
    assert {c.field: (c.before, c.after) for c in fix.changes} == {
        "features.payment_method_update.enabled": (False, True),
        "features.subscription_update.enabled": (False, True),
        "features.subscription_update.default_allowed_updates": (["promotion_code"], ["promotion_code", "price"]),
    }
    assert fix.requests[0].params == {"features": {
        "payment_method_update": {"enabled": True},
        "subscription_update": {"enabled": True, "default_allowed_updates": ["promotion_code", "price"]}}}


def test_features_without_plans_switches_on_only_the_payment_method_update() -> None:
    off = features(customer_update=False, invoice_history=False, payment_method_update=False,
                   subscription_cancel=False, subscription_update=False, products=[])
    fix = only(plan(with_conf(healthy_snapshot(), features=off)), "portal.features")
    assert [c.field for c in fix.changes] == ["features.payment_method_update.enabled"] and fix.notes


def test_webhooks_grow_the_best_endpoint_never_shrink_it_and_leave_star_alone() -> None:
    hooks = [webhook_endpoint("we_Old", ["*"], status="disabled", url="https://old.example/h"),
             webhook_endpoint("we_Few", ["customer.updated"], url="https://few.example/h"),
             webhook_endpoint("we_Most", ["invoice.paid", *PORTAL_EVENTS[:3]], url="https://most.example/h")]
    fix = only(plan(healthy_snapshot(webhook_endpoints=ok(hooks))), "webhooks.events")
    assert fix.id == "webhooks.events.add_events" and fix.requests[0].path == "/v1/webhook_endpoints/we_Most"
    [change] = fix.changes
    # only what no enabled endpoint receives yet (customer.updated reaches we_Few already)
    assert change.after == ["invoice.paid", *PORTAL_EVENTS[:3], "payment_method.detached"]
    assert change.after[: len(change.before)] == change.before
    assert any("old.example" in n for n in fix.notes)


def test_webhooks_without_an_endpoint_create_one_from_the_agents_url() -> None:
    snap = healthy_snapshot(webhook_endpoints=ok([]))
    fix = only(plan(snap), "webhooks.events")
    assert fix.id == "webhooks.events.create_endpoint" and fix.needs == ("webhook_url",)
    assert any("signing secret" in n for n in fix.notes)
    assert only(plan(snap, webhook_url="http://localhost:4242/hooks"), "webhooks.events").problem
    fix = only(plan(snap, webhook_url="https://shop.example/hooks"), "webhooks.events")
    assert fix.requests[0].params == {"url": "https://shop.example/hooks", "enabled_events": PORTAL_EVENTS}
    assert [c.object for c in fix.changes] == [None, None]


def test_configuration_never_saved_is_guided_to_the_modes_settings_page() -> None:
    for mode, url in (("test", "https://dashboard.stripe.com/test/settings/billing/portal"),
                      ("live", "https://dashboard.stripe.com/settings/billing/portal")):
        snap = replace(healthy_snapshot(mode), configurations=ok([]))
        fix = only(plan(snap), "portal.configuration")
        assert fix.kind == GUIDED and fix.dashboard_url == url and fix.mode == mode and len(fix.steps) == 3


def _parity(test_catalogue: ModeCatalogue | None, live_catalogue: ModeCatalogue | None) -> Plan:
    test_products = [product("prod_T1", "Pro"), product("prod_T2", "Team")]
    test_prices = [price("price_T1m", "prod_T1", unit_amount=2000), price("price_T1y", "prod_T1", unit_amount=20000,
                                                                          interval="year"),
                   price("price_T2m", "prod_T2", unit_amount=5000)]
    test = healthy_snapshot(products=ok({p["id"]: p for p in test_products}),
                            prices=ok({p["id"]: p for p in test_prices}))
    test = with_conf(test, features=features(subscription_update=True, products=[
        {**allowed("prod_T1", "price_T1m", "price_T1y"), "adjustable_quantity": QTY},
        allowed("prod_T2", "price_T2m")]), default_return_url="https://shop.example/account")
    live_conf = configuration("bpc_Live", mode="live", default_return_url=None,
                              features=features(subscription_update=False, products=[],
                                                default_allowed_updates=[]))
    live = Snapshot(key=classify_key(key("live")), configurations=ok([live_conf]))
    catalogues = {m: c for m, c in (("test", test_catalogue), ("live", live_catalogue)) if c is not None}
    return plan(test, other=live, catalogues=catalogues)


def test_parity_copies_settings_to_live_and_matches_products_by_name_and_amount() -> None:
    live = ModeCatalogue(products=ok([product("prod_L1", "Pro"), product("prod_L2", "Team"),
                                      product("prod_L3", "Team")]),
                     prices=ok([price("price_L1m", "prod_L1", unit_amount=2000),
                                price("price_L1y", "prod_L1", unit_amount=19900, interval="year")]))
    fix = only(_parity(None, live), "parity.test_live")
    assert fix.mode == "live" and fix.live and fix.requests[0].path == "/v1/billing_portal/configurations/bpc_Live"
    by_field = {c.field: c for c in fix.changes}
    assert by_field["default_return_url"].after == "https://shop.example/account"
    assert by_field["features.subscription_update.enabled"].after is True
    assert by_field["features.subscription_update.products"].after == [
        {"product": "prod_L1", "prices": ["price_L1m"], "adjustable_quantity": QTY}]
    [unmatched] = fix.notes
    assert "price_T1y" in unmatched and '"Team"' in unmatched  # listed, not guessed
    assert set(fix.requests[0].params) == {"default_return_url", "features"}


def test_parity_without_the_live_catalogue_copies_no_products_and_says_so() -> None:
    fix = only(_parity(None, ModeCatalogue(products=Fetched(error=None), prices=Fetched())), "parity.test_live")
    assert "features.subscription_update.products" not in {c.field for c in fix.changes}
    assert any("catalogue could not be read" in n for n in fix.notes)


def test_selections_pick_by_check_fix_id_or_all_and_refuse_the_rest() -> None:
    snap = with_conf(healthy_snapshot(webhook_endpoints=ok([])), default_return_url=None)
    p = plan(snap)
    assert [f.id for f in p.select(["all"])] == [f.id for f in p.fixes]
    assert [f.id for f in p.select(["webhooks.events", "portal.return_url.set_default"])] == [
        "portal.return_url.set_default", "webhooks.events.create_endpoint"]
    with pytest.raises(UnknownSelection, match="has no fix"):
        p.select(["portal.products"], check_ids())
    with pytest.raises(UnknownSelection, match="not a check id"):
        p.select(["nope"], check_ids())


def test_params_unset_with_empty_strings_and_leave_out_missing_entry_values() -> None:
    assert params_for([("default_return_url", None), ("features.subscription_update.default_allowed_updates", [])]) \
        == {"default_return_url": "", "features": {"subscription_update": {"default_allowed_updates": ""}}}
    entry = {"product": "prod_1", "prices": ["price_1"], "adjustable_quantity": {"enabled": False, "maximum": None}}
    assert params_for([("features.subscription_update.products", [entry])])["features"]["subscription_update"][
        "products"] == [{"product": "prod_1", "prices": ["price_1"], "adjustable_quantity": {"enabled": False}}]


class _Recorded:
    def __init__(self, field: str, before: object, after: object, object_id: str = "bpc_1Pgc70B7WZ01zgkWSnFO04Vt"):
        self.change_uid, self.object_id, self.field, self.before, self.after = "c1", object_id, field, before, after
        self.check_id, self.fix_id, self.mode, self.summary = "portal.return_url", "fix.id", "test", "return URL set"


def test_undo_sends_the_previous_values_back_unless_they_changed_since() -> None:
    snap = healthy_snapshot()
    fix = plan_undo([_Recorded("default_return_url", None, "https://example.com/account")], [snap])
    assert fix.requests[0].method == "POST" and fix.requests[0].params == {"default_return_url": ""}
    with pytest.raises(UndoRefused, match="has changed since"):
        plan_undo([_Recorded("default_return_url", None, "https://other.example/")], [snap])
    with pytest.raises(UndoRefused, match="no longer there"):
        plan_undo([_Recorded("default_return_url", None, "x", object_id="bpc_gone")], [snap])
    created = [_Recorded("url", None, "https://example.com/my/webhook/endpoint", "we_1Pgc6yB7WZ01zgkWzAudq4eU"),
               _Recorded("enabled_events", None, list(PORTAL_EVENTS), "we_1Pgc6yB7WZ01zgkWzAudq4eU")]
    fix = plan_undo(created, [snap])
    request = fix.requests[0]
    assert (request.method, request.path) == ("DELETE", "/v1/webhook_endpoints/we_1Pgc6yB7WZ01zgkWzAudq4eU")


def test_every_declared_fix_names_a_check_a_planner_and_its_words() -> None:
    declared = wording.planners()
    assert set(declared) <= set(check_ids())
    for check_id in declared:
        assert callable(planner_for(check_id))
    fixes = wording.catalogue()["fixes"]
    for fix_id, words in fixes.items():
        assert fix_id.rsplit(".", 1)[0] in declared, fix_id
        assert words["title"] and words["summary"]
    for module_name in {d.rpartition(".")[0] for d in declared.values()}:
        module = importlib.import_module(f"{wording.PACKAGE}.{module_name}")
        for name in ("FIX", "REMOVE", "CHOOSE", "ADD", "CREATE", "COPY", "SAVE"):
            if hasattr(module, name):
                assert getattr(module, name) in fixes


def test_business_profile_links_are_set_from_the_agents_addresses() -> None:
    profile = {"headline": None, "privacy_policy_url": None, "terms_of_service_url": "http://x.example/terms"}
    snap = with_conf(healthy_snapshot(), business_profile=profile)
    fix = only(plan(snap), "portal.business_profile")
    assert fix.takes == ("privacy_url", "terms_url") and fix.needs == ("privacy_url", "terms_url")
    fix = only(plan(snap, privacy_url="https://www.acmeyoga.studio/privacy", terms_url="https://www.acmeyoga.studio/terms"),
               "portal.business_profile")
    assert fix.ready and fix.requests[0].params == {"business_profile": {
        "privacy_policy_url": "https://www.acmeyoga.studio/privacy", "terms_of_service_url": "https://www.acmeyoga.studio/terms"}}
    assert only(plan(snap, privacy_url="https://www.acmeyoga.studio/p", terms_url="acmeyoga.studio/t"),
                "portal.business_profile").problem
    # a placeholder typed back in is refused like an unusable address
    assert only(plan(snap, privacy_url="https://example.com/privacy", terms_url="https://www.acmeyoga.studio/t"),
                "portal.business_profile").problem


def test_a_placeholder_legal_link_is_replaced_from_the_agents_address() -> None:
    profile = {"headline": None, "privacy_policy_url": "https://example.com/privacy",
               "terms_of_service_url": "https://www.acmeyoga.studio/terms"}
    fix = only(plan(with_conf(healthy_snapshot(), business_profile=profile),
                    privacy_url="https://www.acmeyoga.studio/privacy"), "portal.business_profile")
    assert fix.ready and fix.requests[0].params == {"business_profile": {
        "privacy_policy_url": "https://www.acmeyoga.studio/privacy"}}


def test_a_missing_public_name_alone_is_the_owners_to_fill_in() -> None:
    from support.stripe_objects import account

    snap = healthy_snapshot(account=ok(account(business_profile={"name": None})))
    fix = only(plan(snap), "portal.business_profile")
    assert fix.kind == GUIDED and fix.dashboard_url == "https://dashboard.stripe.com/test/settings/public"
