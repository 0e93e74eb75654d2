"""key.format, key.mode, key.accepted as an agent would see them."""

from __future__ import annotations

from support.scenarios import auth, perm
from support.stripe_objects import context, failed, healthy_snapshot
from support.stripe_objects import key as make_key

from assistant.account.keys import classify_key
from assistant.account.snapshot import Fetched
from assistant.diagnosis.checks import key
from assistant.diagnosis.model import Status


def test_format_passes_for_a_secret_key_and_names_kind_and_mode() -> None:
    r = key.check_format(context(healthy_snapshot("live")))
    assert r.status is Status.PASS
    assert r.summary == "This is a secret key for live mode."
    assert all(make_key("live") not in d for d in r.details)  # only the masked key is shown


def test_format_fails_with_the_classifier_message_for_a_publishable_key() -> None:
    info = classify_key(make_key("test", "pk"))
    r = key.check_format(context(healthy_snapshot("test", key=info)))
    assert r.status is Status.FAIL
    assert r.summary == info.problem
    assert any("https://dashboard.stripe.com/test/apikeys" in f for f in r.fix)


def test_format_fails_for_webhook_secret_and_inner_space() -> None:
    for raw in ("whsec_abcdef123456", "sk_test_abc def123456"):
        r = key.check_format(context(healthy_snapshot("test", key=classify_key(raw))))
        assert r.status is Status.FAIL
        assert "Secret Key" in r.glossary


def test_surrounding_whitespace_is_not_a_problem() -> None:
    snap = healthy_snapshot("test", key=classify_key(f"  {make_key('test')}\n"))
    assert key.check_format(context(snap)).status is Status.PASS


def test_mode_warns_in_live_and_passes_in_test() -> None:
    live = key.check_mode(context(healthy_snapshot("live")))
    assert live.status is Status.WARN and "real customers" in live.summary
    assert key.check_mode(context(healthy_snapshot("test"))).status is Status.PASS


def test_mode_and_accepted_skip_for_an_unusable_key() -> None:
    snap = healthy_snapshot("test", key=classify_key("nonsense"))
    assert key.check_mode(context(snap)).status is Status.SKIP
    assert key.check_accepted(context(snap)).status is Status.SKIP


def test_accepted_quotes_stripes_message_on_401() -> None:
    err = auth()
    r = key.check_accepted(context(healthy_snapshot("test", auth_error=err)))
    assert r.status is Status.FAIL
    assert "Invalid API Key provided" in r.summary
    assert r.stripe_error == err.info
    assert r.stripe_error.request_id == "req_auth1"


def test_accepted_says_expired_for_a_rolled_key() -> None:
    r = key.check_accepted(context(healthy_snapshot(
        "test", auth_error=auth("api_key_expired", "Expired API Key provided: sk_test_****abcd"))))
    assert r.status is Status.FAIL
    assert "expired or was rolled" in r.summary


def test_accepted_says_publishable_for_secret_key_required() -> None:
    r = key.check_accepted(context(healthy_snapshot(
        "test", auth_error=auth("secret_key_required", "This API call cannot be made with a publishable API key."))))
    assert "publishable" in r.summary


def test_accepted_names_every_missing_permission() -> None:
    snap = healthy_snapshot(
        "test", key=classify_key(make_key("test", "rk")),
        configurations=failed(perm("rak_customer_portal_read")),
        products=failed(perm("rak_product_read")),
        prices=failed(perm("rak_product_read")),
    )
    r = key.check_accepted(context(snap))
    assert r.status is Status.FAIL
    # Said as the Dashboard shows them, once each; Stripe's names stay in the finding.
    assert "Customer portal: Read" in r.summary and "Products: Read" in r.summary
    assert r.summary.count("Products: Read") == 1 and "rak_" not in r.summary
    assert r.findings[0].texts("missing") == ("rak_customer_portal_read", "rak_product_read")
    assert r.stripe_error is not None


def test_account_refused_for_a_restricted_key_is_not_a_failure() -> None:
    snap = healthy_snapshot("test", key=classify_key(make_key("test", "rk")),
                            account=failed(perm(None)))
    r = key.check_accepted(context(snap))
    assert r.status is Status.PASS
    assert any("restricted key may not read" in d for d in r.details)
    assert any("restricted key" in d for d in r.details)


def test_accepted_pass_details_include_account_and_kind() -> None:
    r = key.check_accepted(context(healthy_snapshot("test")))
    assert r.status is Status.PASS
    assert any("acct_1PgafTB7WZ01zgkW" in d and "Acme Yoga" in d for d in r.details)
    assert any("secret key" in d for d in r.details)


def test_accepted_is_an_error_when_nothing_could_be_read() -> None:
    from assistant.account.errors import NetworkFailed
    err = NetworkFailed("Connection refused")
    snap = healthy_snapshot("test", account=failed(err), configurations=failed(err),
                            webhook_endpoints=failed(err), products=Fetched(), prices=Fetched())
    r = key.check_accepted(context(snap))
    assert r.status is Status.ERROR
    assert r.summary == err.summary
