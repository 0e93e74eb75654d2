"""portal.configuration, portal.features, portal.login_link."""

from __future__ import annotations

from support.scenarios import auth, perm
from support.stripe_objects import (
    configuration,
    context,
    failed,
    features,
    healthy_snapshot,
    ok,
)

from assistant.account.errors import ServerFailed
from assistant.diagnosis.checks import portal
from assistant.diagnosis.model import Status


def test_configuration_passes_with_id_name_and_count() -> None:
    confs = [configuration(name="Main"), configuration("bpc_Other", is_default=False)]
    r = portal.check_configuration(context(healthy_snapshot("test", configurations=ok(confs))))
    assert r.status is Status.PASS
    assert r.title == "Customer portal is configured in test mode"
    text = "\n".join(r.details)
    assert "bpc_1Pgc70B7WZ01zgkWSnFO04Vt" in text and "Main" in text
    assert "Active configurations in test mode: 2" in text
    assert "bpc_Other" in text


def test_configuration_fails_without_a_default_and_links_this_modes_settings() -> None:
    for mode, link in (("test", "https://dashboard.stripe.com/test/settings/billing/portal"),
                       ("live", "https://dashboard.stripe.com/settings/billing/portal")):
        r = portal.check_configuration(context(healthy_snapshot(mode, configurations=ok([]))))
        assert r.status is Status.FAIL
        assert mode in r.summary
        assert any(link in f and "Save" in f for f in r.fix)
        assert any("separately" in f for f in r.fix)


def test_inactive_or_non_default_configurations_do_not_count() -> None:
    confs = [configuration(active=False), configuration("bpc_2", is_default=False)]
    r = portal.check_configuration(context(healthy_snapshot("test", configurations=ok(confs))))
    assert r.status is Status.FAIL


def test_configuration_error_keeps_stripes_error() -> None:
    err = ServerFailed("Something went wrong", http_status=500, request_id="req_9")
    r = portal.check_configuration(context(healthy_snapshot("test", configurations=failed(err))))
    assert r.status is Status.ERROR
    assert r.summary == err.summary
    assert r.stripe_error is not None and r.stripe_error.request_id == "req_9"
    assert any("req_9" in d for d in r.details)


def test_configuration_permission_error_names_the_permission() -> None:
    r = portal.check_configuration(context(healthy_snapshot(
        "test", configurations=failed(perm("rak_customer_portal_read")))))
    assert r.status is Status.ERROR
    assert "Customer portal: Read" in r.summary and "rak_" not in r.summary
    assert any("Customer portal: Read" in f and "/test/apikeys" in f for f in r.fix)
    assert r.findings[0].fact("permission") == "rak_customer_portal_read"


def test_configuration_skips_when_the_key_was_rejected() -> None:
    r = portal.check_configuration(context(healthy_snapshot("test", auth_error=auth())))
    assert r.status is Status.SKIP
    assert "key" in r.summary


def test_features_warn_when_all_off() -> None:
    conf = configuration(features=features(customer_update=False, invoice_history=False,
                                           payment_method_update=False, subscription_cancel=False))
    r = portal.check_features(context(healthy_snapshot("test", configurations=ok([conf]))))
    assert r.status is Status.WARN
    # one line per feature first, then the plan change, payment method and pause settings
    assert len(r.with_code(portal.FEATURE_STATE)) == 6 and all(d.endswith(": off") for d in r.details[:6])
    assert len(r.details) == 6 + len(r.with_code(portal.FEATURE_SETTING))


def test_features_pass_lists_enabled_ones() -> None:
    conf = configuration(features=features(customer_update=False, subscription_cancel=False))
    r = portal.check_features(context(healthy_snapshot("test", configurations=ok([conf]))))
    assert r.status is Status.PASS
    assert "see their invoices" in r.summary and "update their payment methods" in r.summary
    assert "cancel" not in r.summary
    assert any("subscription_cancel" in d and ": off" in d for d in r.details)


def test_features_skip_without_default_configuration() -> None:
    r = portal.check_features(context(healthy_snapshot("live", configurations=ok([]))))
    assert r.status is Status.SKIP and "live mode" in r.summary


def test_login_link_on_and_off() -> None:
    on = configuration(login_page={"enabled": True, "url": "https://billing.stripe.com/p/login/x"})
    r = portal.check_login_link(context(healthy_snapshot("test", configurations=ok([on]))))
    assert r.status is Status.PASS
    assert any("https://billing.stripe.com/p/login/x" in d for d in r.details)
    off = portal.check_login_link(context(healthy_snapshot("test")))
    assert off.status is Status.SKIP
    assert "Activate link" in off.summary
