"""Named check contexts that together reach every outcome in resources/checks.json."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from assistant.account.errors import (
    AuthenticationFailed,
    DeadlineExceeded,
    EndpointMissing,
    InvalidRequest,
    MalformedAnswer,
    NetworkFailed,
    NotFound,
    PermissionMissing,
    RateLimited,
    ServerFailed,
)
from assistant.account.keys import classify_key
from assistant.account.snapshot import CustomerLookup, Fetched, Page
from assistant.diagnosis.checks.context import CheckContext
from support.stripe_objects import (
    PORTAL_EVENTS,
    allowed,
    configuration,
    context,
    customer,
    failed,
    features,
    healthy_snapshot,
    key,
    lookup,
    offered_price,
    ok,
    price,
    product,
    session_event,
    subscription,
    webhook_endpoint,
)


def perm(permission: str | None = "rak_customer_portal_read") -> PermissionMissing:
    tail = (f" Having the '{permission}' permission would allow this request to continue."
            if permission else "")
    return PermissionMissing(
        "The provided key 'rk_test_****abcd' does not have the required permissions for this "
        "endpoint on account 'acct_1'." + tail,
        http_status=403, request_id="req_perm1",
    )


def auth(code: str | None = None, message: str = "Invalid API Key provided: sk_test_****abcd"
         ) -> AuthenticationFailed:
    return AuthenticationFailed(message, code=code, http_status=401, request_id="req_auth1")


def other_mode_missing(mode: str) -> NotFound:
    other = "live" if mode == "test" else "test"
    return NotFound(
        f"No such customer: 'cus_Other'; a similar object exists in {other} mode, but a "
        f"{mode} mode key was used to make this request.",
        code="resource_missing", param="id", http_status=404, request_id="req_nf1",
    )


def _other(mode: str) -> str:
    return "live" if mode == "test" else "test"


def scenarios(mode: str) -> Iterator[tuple[str, CheckContext]]:
    """(name, context) pairs for one mode of the key."""
    H = healthy_snapshot
    yield "healthy", context(H(mode))
    yield "healthy_with_other", context(H(mode), other=H(_other(mode)))
    # keys
    yield "publishable", context(H(mode, key=classify_key(key(mode, "pk"))))
    yield "junk", context(H(mode, key=classify_key("hello")))
    yield "restricted", context(H(mode, key=classify_key(key(mode, "rk")),
                                  account=failed(perm(None))))
    yield "rejected", context(H(mode, auth_error=auth()), other=H(_other(mode)))
    yield "expired", context(H(mode, auth_error=auth("api_key_expired", "Expired API Key provided")))
    publishable = "This API call cannot be made with a publishable API key."
    yield "not_secret", context(H(mode, auth_error=auth("secret_key_required", publishable)))
    yield "auth_network", context(H(mode, auth_error=NetworkFailed("Connection refused")))
    yield "one_permission", context(H(mode, key=classify_key(key(mode, "rk")),
                                      configurations=failed(perm())))
    yield "two_permissions", context(H(
        mode, key=classify_key(key(mode, "rk")),
        configurations=failed(perm()), webhook_endpoints=failed(perm("rak_webhook_read")),
    ))
    yield "unnamed_permission", context(H(mode, key=classify_key(key(mode, "rk")),
                                          webhook_endpoints=failed(perm(None))))
    yield "account_unread", context(H(mode, account=failed(ServerFailed("Bad gateway"))))
    yield "all_network", context(H(
        mode, account=failed(NetworkFailed("timed out")),
        configurations=failed(NetworkFailed("timed out")),
        webhook_endpoints=failed(NetworkFailed("timed out")),
        products=Fetched(), prices=Fetched(),
    ))
    # errors of each kind on configurations
    for name, err in (
        ("rate", RateLimited("Too many requests", code="rate_limit", http_status=429)),
        ("server", ServerFailed("Internal error", http_status=500, request_id="req_500")),
        ("invalid", InvalidRequest("Received unknown parameter: foo", http_status=400)),
        ("auth_late", AuthenticationFailed("Expired API Key provided", http_status=401)),
        ("malformed", MalformedAnswer("Stripe's answer to GET /v1/billing_portal/configurations was "
                                      "not what the API documents (`data` is missing).")),
        ("not_offered", EndpointMissing("This server does not offer GET /v1/billing_portal/configurations.",
                                        http_status=404)),
        ("deadline", DeadlineExceeded("No answer to GET /v1/billing_portal/configurations within the "
                                      "run's 30 s limit.")),
    ):
        yield f"configurations_{name}", context(H(mode, configurations=failed(err)))
    yield "configurations_unread", context(H(mode, configurations=Fetched()))
    yield "no_configuration", context(H(mode, configurations=ok([])), other=H(_other(mode)))
    yield "no_configuration_both", context(H(mode, configurations=ok([])),
                                           other=H(_other(mode), configurations=ok([])))
    yield "two_configurations", context(H(mode, configurations=ok([
        configuration(mode=mode), configuration("bpc_Other", is_default=False, name="Partners"),
    ])))
    partners = configuration("bpc_Partners", is_default=False, name="Partners")
    yield "no_default", context(H(mode, configurations=ok([partners, configuration("bpc_Legacy", is_default=False)])))
    yield "no_default_used", context(H(mode, configurations=ok([partners]),
                                       session_events=ok(Page([session_event(configuration="bpc_Partners")]))))
    yield "features_off", context(H(mode, configurations=ok([configuration(
        mode=mode, features=features(customer_update=False, invoice_history=False,
                                     payment_method_update=False, subscription_cancel=False),
    )])))
    yield "login_on", context(H(mode, configurations=ok([configuration(
        mode=mode, login_page={"enabled": True, "url": "https://billing.stripe.com/p/login/test_abc"},
    )])))
    # products
    yield from _product_scenarios(mode)
    # return url
    for name, url in (("given", "https://app.example.com/billing"), ("localhost", "http://localhost:3000/"),
                      ("http", "http://example.com/account"), ("relative", "/account"),
                      ("ftp", "ftp://example.com/x")):
        yield f"return_{name}", context(H(mode), return_url=url)
    yield "return_missing", context(H(mode, configurations=ok([configuration(
        mode=mode, default_return_url=None)])))
    # webhooks
    yield "webhooks_none", context(H(mode, webhook_endpoints=ok([])))
    yield "webhooks_disabled", context(H(mode, webhook_endpoints=ok([
        webhook_endpoint(events=["*"], status="disabled")])))
    yield "webhooks_partial", context(H(mode, webhook_endpoints=ok([
        webhook_endpoint(events=PORTAL_EVENTS[:2]),
        webhook_endpoint("we_2", PORTAL_EVENTS[2:4], url="https://example.com/hooks/2")])))
    yield "webhooks_star", context(H(mode, webhook_endpoints=ok([webhook_endpoint(events=["*"])])))
    yield "webhooks_permission", context(H(mode, webhook_endpoints=failed(perm("rak_webhook_read"))))
    yield "webhooks_unread", context(H(mode, webhook_endpoints=Fetched()))
    # parity
    yield from _parity_scenarios(mode)
    # customers
    yield from _customer_scenarios(mode)
    # what the owner's integration does (events)
    yield from _events_scenarios(mode)


def _product_scenarios(mode: str) -> Iterator[tuple[str, CheckContext]]:
    H = healthy_snapshot

    def with_catalogue(entries, prods, prices, updates=("price",)):
        conf = configuration(mode=mode, features=features(
            subscription_update=True, products=entries, default_allowed_updates=list(updates)))
        return H(mode, configurations=ok([conf]),
                 products=ok({p["id"]: p for p in prods}), prices=ok({p["id"]: p for p in prices}))

    yield "switching_off", context(H(mode, configurations=ok([configuration(mode=mode)])))
    yield "no_products", context(with_catalogue(None, [], []))
    yield "no_updates", context(with_catalogue(
        [allowed("prod_Pro", "price_A")], [product("prod_Pro", "Pro")],
        [price("price_A", "prod_Pro")], updates=()))
    many = [product(f"prod_{i}", f"Plan {i}") for i in range(11)]
    yield "too_many", context(with_catalogue(
        [allowed(p["id"], f"price_{i}") for i, p in enumerate(many)], many,
        [price(f"price_{i}", f"prod_{i}") for i in range(11)]))
    yield "archived", context(with_catalogue(
        [allowed("prod_Old", "price_OldMonthly"), allowed("prod_Pro", "price_Gone", "price_Once", "price_Arch"),
         allowed("prod_Missing", "price_M")],
        [product("prod_Old", "Pro Monthly", active=False), product("prod_Pro", "Pro")],
        [price("price_OldMonthly", "prod_Old"), price("price_Once", "prod_Pro", interval=None),
         price("price_Arch", "prod_Pro", active=False, nickname="Legacy")]))
    yield "archived_product_archived_prices", context(with_catalogue(
        [allowed("prod_Old", "price_OldMonthly")], [product("prod_Old", "Old", active=False)],
        [price("price_OldMonthly", "prod_Old", active=False)]))
    yield "promotion_code_only", context(with_catalogue(
        [allowed("prod_Pro", "price_A")], [product("prod_Pro", "Pro")],
        [price("price_A", "prod_Pro")], updates=("promotion_code",)))
    yield "same_interval", context(with_catalogue(
        [allowed("prod_Pro", "price_A", "price_B")], [product("prod_Pro", "Pro")],
        [price("price_A", "prod_Pro", nickname="Monthly"), price("price_B", "prod_Pro", nickname="Monthly v2")]))
    yield "tax_unspecified_offered", context(with_catalogue(
        [allowed("prod_Pro", "price_A", "price_Y")], [product("prod_Pro", "Pro")],
        [price("price_A", "prod_Pro", tax_behavior="unspecified"),
         price("price_Y", "prod_Pro", interval="year")]))
    catalogue = with_catalogue(
        [allowed("prod_Pro", "price_A")], [product("prod_Pro", "Pro"), product("prod_Team", "Team")],
        [price("price_A", "prod_Pro"), price("price_Team", "prod_Team", nickname="Team Monthly"),
         price("price_Old", "prod_Team", active=False), price("price_Once", "prod_Team", interval=None)])
    yield "not_offered", context(catalogue)
    yield "not_offered_partial", context(replace(catalogue, catalogue_complete=False))
    snap = with_catalogue([allowed("prod_Pro", "price_A")], [product("prod_Pro")], [])
    yield "products_permission", context(replace(snap, products=failed(perm("rak_product_read"))))
    yield "prices_unread", context(replace(snap, prices=Fetched()))


def _parity_scenarios(mode: str) -> Iterator[tuple[str, CheckContext]]:
    H = healthy_snapshot
    other = _other(mode)
    yield "parity_other_rejected", context(H(mode), other=H(other, auth_error=auth()))
    yield "parity_other_junk", context(H(mode), other=H(other, key=classify_key("pk_x")))
    yield "parity_same_mode", context(H(mode), other=H(mode))
    yield "parity_other_missing", context(H(mode), other=H(other, configurations=ok([])))
    yield "parity_other_error", context(H(mode), other=H(other, configurations=failed(perm())))
    yield "parity_other_unread", context(H(mode), other=H(other, configurations=Fetched()))
    differ = configuration(
        mode=other, default_return_url="https://example.com/other",
        features=features(invoice_history=False, subscription_update=True,
                          products=[allowed("prod_Basic", "price_BasicMonthly")]),
    )
    yield "parity_differ", context(H(mode), other=H(other, configurations=ok([differ])))
    login_on = configuration(mode=other, login_page={"enabled": True, "url": "https://billing.stripe.com/p/login/x"})
    yield "parity_login_differs", context(H(mode), other=H(other, configurations=ok([login_on])))


def _customer_scenarios(mode: str) -> Iterator[tuple[str, CheckContext]]:
    H = healthy_snapshot
    yield "customer_found", context(H(mode, customer=lookup(subscriptions=[subscription()])))
    yield "customer_by_email", context(H(mode, customer=lookup(
        "jenny@example.com", [customer()], subscriptions=[subscription()])))
    yield "customer_other_mode", context(H(mode, customer=lookup(
        "cus_Other", other_mode_missing(mode))))
    yield "customer_missing_id", context(H(mode, customer=lookup(
        "cus_Nope", NotFound("No such customer: 'cus_Nope'", code="resource_missing"))))
    yield "customer_missing_email", context(H(mode, customer=lookup("nobody@example.com", [])))
    yield "customer_network", context(H(mode, customer=lookup(
        "cus_X", NetworkFailed("Connection reset"))))
    older = customer("cus_Old", created=1600000000)
    newer = customer("cus_New", created=1700000000)
    yield "customer_several", context(H(mode, customer=lookup(
        "jenny@example.com", [older, newer], chosen=newer, subscriptions=[subscription(customer="cus_New")])))
    yield "customer_several_none", context(H(mode, customer=lookup(
        "jenny@example.com", [older, newer], chosen=None)))
    yield "customer_no_email", context(H(mode, customer=lookup(
        "cus_NoMail", [customer("cus_NoMail", email=None)])))
    yield "customer_no_subs", context(H(mode, customer=lookup(subscriptions=[])))
    yield "customer_no_configuration", context(H(mode, configurations=ok([]), customer=lookup(
        subscriptions=[subscription()])))
    yield "customer_subs_error", context(H(mode, customer=lookup(
        subscriptions=RateLimited("Too many requests", http_status=429))))
    yield "customer_subs_unread", context(H(mode, customer=CustomerLookup(
        query="cus_QXg1o8vcGmoR32", matches=ok([customer()]), chosen=customer())))
    metered = price("price_Meter", "prod_Api", usage_type="metered")
    gone = {"id": "cus_Gone", "object": "customer", "deleted": True}
    yield "customer_deleted", context(H(mode, customer=lookup("cus_Gone", [gone])))
    now = 1_800_000_000
    yield "customer_statuses", context(H(mode, read_at=now, customer=lookup(subscriptions=[
        subscription("sub_Trial", status="trialing", trial_end=now + 86400 * 7),
        subscription("sub_Late", status="past_due"),
        subscription("sub_Unpaid", status="unpaid"),
        subscription("sub_Incomplete", status="incomplete"),
        subscription("sub_Expired", status="incomplete_expired"),
        subscription("sub_Paused", status="paused"),
    ])))
    yield "customer_trial_only", context(H(mode, read_at=now, customer=lookup(subscriptions=[
        subscription("sub_Trial", status="trialing", trial_end=now + 86400 * 7)])))
    yield "customer_only_cancelled", context(H(mode, customer=lookup(subscriptions=[
        subscription("sub_Old", status="canceled", canceled_at=now - 86400, ended_at=now - 86400)])))
    yield "customer_plan_checks", context(H(mode, read_at=now, customer=lookup(subscriptions=[
        subscription("sub_OtherPlan", prices=[price("price_Legacy", "prod_Legacy", nickname="Legacy")]),
        subscription("sub_NoTax", prices=[offered_price(tax_behavior="unspecified")]),
        subscription("sub_Inclusive", prices=[offered_price(tax_behavior="inclusive")]),
        subscription("sub_Wallet", default_payment_method={"id": "pm_Kr", "object": "payment_method",
                                                           "type": "kr_card"}),
        subscription("sub_TwoSeats", prices=[offered_price(), price("price_ProSeat", "prod_Pro")]),
        subscription("sub_IdleSchedule", schedule={
            "id": "sub_sched_Idle", "object": "subscription_schedule", "status": "active",
            "phases": [{"start_date": now - 86400 * 60, "end_date": now - 86400}]}),
    ])))
    yield "customer_limited", context(H(mode, customer=lookup(subscriptions=[
        subscription("sub_Multi", prices=[price(), price("price_B", "prod_Other")]),
        subscription("sub_Meter", prices=[metered]),
        subscription("sub_Invoice", collection_method="send_invoice"),
        subscription("sub_Sched", schedule="sub_sched_1"),
        subscription("sub_Fine"),
    ])))


def _events_scenarios(mode: str) -> Iterator[tuple[str, CheckContext]]:
    H = healthy_snapshot
    now = 1_800_000_000
    live = mode == "live"
    default = "bpc_1Pgc70B7WZ01zgkWSnFO04Vt"
    sessions = [session_event(f"evt_S{n}", configuration=c, return_url=u, livemode=live, locale=loc)
                for n, (c, u, loc) in enumerate([
                    (default, "https://example.com/account", None),
                    ("bpc_Partners", "http://localhost:3000/", "fr"),
                    ("bpc_Gone", "https://example.com/account", None)])]
    partners = configuration("bpc_Partners", is_default=False, name="Partners", mode=mode)
    yield "sessions_seen", context(H(mode, read_at=now, session_events=ok(Page(sessions[:1]))))
    yield "sessions_mixed", context(H(mode, read_at=now, configurations=ok([configuration(mode=mode), partners]),
                                      session_events=ok(Page(sessions, has_more=True))))
    yield "sessions_none", context(H(mode, read_at=now, session_events=ok(Page([]))))
    yield "sessions_none_possible", context(H(mode, read_at=now, configurations=ok([]),
                                              session_events=ok(Page([]))))
    yield "events_permission", context(H(mode, session_events=failed(perm("rak_event_read")),
                                         undelivered_events=failed(perm("rak_event_read"))))
    yield "events_error", context(H(mode, session_events=failed(ServerFailed("Bad gateway")),
                                    undelivered_events=failed(ServerFailed("Bad gateway"))))
    yield "events_unread", context(H(mode))
    late = {"id": "evt_Late", "object": "event", "type": "customer.subscription.updated",
            "created": now - 7200, "pending_webhooks": 1, "data": {"object": {"id": "sub_1"}}}
    fresh = {**late, "id": "evt_Fresh", "created": now - 60}
    gone = webhook_endpoint("we_Old", ["*"], status="disabled", url="https://old.example.com/hooks")
    yield "delivery_failing", context(H(mode, read_at=now, undelivered_events=ok(Page([late, fresh])),
                                        webhook_endpoints=ok([webhook_endpoint(events=["*"]), gone])))
    yield "delivery_disabled", context(H(mode, read_at=now, undelivered_events=ok(Page([])),
                                         webhook_endpoints=ok([webhook_endpoint(events=["*"]), gone])))
    yield "delivery_no_endpoints", context(H(mode, read_at=now, undelivered_events=ok(Page([])),
                                             webhook_endpoints=ok([])))
    yield "delivery_ok", context(H(mode, read_at=now, undelivered_events=ok(Page([fresh]))))


ALL_MODES = ("test", "live")


def check_test_scenarios(mode: str) -> Iterator[tuple[str, CheckContext]]:
    """Contexts a check's own test module shares: `tests/test_checks_<name>.py` may define
    `scenarios(mode)`, so a new check brings the cases that reach its wording without
    touching this file (the wording, schema and fault tests then cover it too)."""
    for path in sorted(Path(__file__).resolve().parents[1].glob("test_checks_*.py")):
        module_name = f"_check_scenarios_{path.stem}"
        module = sys.modules.get(module_name)
        if module is None:
            spec = importlib.util.spec_from_file_location(module_name, path)
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            sys.modules[module_name] = module
            spec.loader.exec_module(module)
        shared = getattr(module, "scenarios", None)
        if callable(shared):
            yield from ((f"{path.stem}/{name}", ctx) for name, ctx in shared(mode))


def all_scenarios() -> Iterator[tuple[str, str, CheckContext]]:
    for mode in ALL_MODES:
        for name, ctx in (*scenarios(mode), *check_test_scenarios(mode)):
            yield mode, name, ctx

