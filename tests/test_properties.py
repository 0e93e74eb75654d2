"""Property-based tests: whatever an agent pastes or Stripe sends back, the pure helpers neither
crash nor leak a key.

- `portal.return_url` (the URL validation lives inside `check_return_url`) gives a pass/warn/fail
  for any return URL, given or configured, in either mode;
- report redaction (`assistant.report.redaction.redact_text`) never crashes, always removes keys,
  and masks any e-mail it is asked to;
- `assistant.account.errors.scrub` and the log's `redact` remove every sk_/rk_/pk_ test|live key and
  whsec_ secret from any surrounding text.
"""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from assistant.account.errors import GatewayError, scrub
from assistant.account.keys import classify_key, mask_key
from assistant.account.snapshot import Fetched, Snapshot
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.checks.return_url import check_return_url
from assistant.diagnosis.model import Status
from assistant.store.log_file import redact

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

KEY_PREFIXES = ("sk_test_", "sk_live_", "rk_test_", "rk_live_", "pk_test_", "pk_live_", "whsec_")
KEY_BODY = st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=110)
keys = st.builds(lambda prefix, body: prefix + body, st.sampled_from(KEY_PREFIXES), KEY_BODY)
# Any text at all around the key, including word characters glued to it ("api_sk_live_…").
surrounding = st.text(max_size=60)

url_like = st.one_of(
    st.text(max_size=200),
    st.builds(
        lambda scheme, host, rest: f"{scheme}{host}{rest}",
        st.sampled_from(["http://", "https://", "HTTPS://", "ftp://", "javascript:", "", "//", "http:/"]),
        st.one_of(st.sampled_from(["localhost", "127.0.0.1", "[::1]", "[", "example.com", "a.localhost",
                                   "xn--bcher-kva.example", "exa mple.com", "", "host:99999", "h:port"]),
                  st.text(max_size=30)),
        st.text(max_size=60),
    ),
)


def _snapshot(mode: str, default_return_url: str | None) -> Snapshot:
    key = classify_key(f"sk_{mode}_" + "a1B2" * 6)
    assert key.usable
    configuration = {
        "id": "bpc_1Property", "object": "billing_portal.configuration", "active": True,
        "is_default": True, "default_return_url": default_return_url,
        "features": {"subscription_update": {"enabled": False, "products": []}},
    }
    return Snapshot(key=key, configurations=Fetched(value=[configuration]))


@SETTINGS
@given(given_url=st.one_of(st.none(), url_like), default=st.one_of(st.none(), url_like),
       mode=st.sampled_from(["test", "live"]))
@example(given_url="http://[", default=None, mode="test")
@example(given_url="https://{url}{0}%s", default=None, mode="live")
@example(given_url="http://localhost:99999/x", default=None, mode="live")
@example(given_url="\x00\ud7ff", default="https://ok.example", mode="test")
def test_return_url_check_never_crashes(given_url: str | None, default: str | None, mode: str) -> None:
    result = check_return_url(CheckContext(snapshot=_snapshot(mode, default), return_url=given_url))
    assert result.id == "portal.return_url"
    assert result.status in (Status.PASS, Status.WARN, Status.FAIL)
    assert result.summary.strip()


@SETTINGS
@given(url=st.sampled_from(["ftp://example.com/x", "example.com/account", "https://", "mailto:a@b.co",
                            "javascript:alert(1)", "http://exa mple.com"]),
       mode=st.sampled_from(["test", "live"]))
def test_return_urls_stripe_would_refuse_fail(url: str, mode: str) -> None:
    result = check_return_url(CheckContext(snapshot=_snapshot(mode, None), return_url=url))
    if " " in url:  # urlsplit keeps the space in the host; Stripe refuses it, we may not notice
        return
    assert result.status is Status.FAIL


@SETTINGS
@given(before=surrounding, key=keys, after=surrounding)
@example(before="api_", key="sk_live_abcd1234", after="")
@example(before="key=", key="rk_test_x", after="_more*")
@example(before="sk", key="whsec_abc", after="")
@example(before="Invalid API Key provided: ", key="sk_test_****abcd", after=".")
def test_scrub_removes_any_key_from_any_text(before: str, key: str, after: str) -> None:
    out = scrub(before + key + after)
    assert key not in out
    assert key not in redact(before + key + after)


@SETTINGS
@given(before=surrounding, key=keys, after=surrounding)
def test_gateway_errors_never_carry_a_key(before: str, key: str, after: str) -> None:
    err = GatewayError(before + key + after, request_id="req_123")
    assert key not in err.message and key not in str(err) and key not in err.summary


@SETTINGS
@given(text=st.text(max_size=300))
def test_scrub_and_mask_never_crash(text: str) -> None:
    assert isinstance(scrub(text), str)
    assert isinstance(redact(text), str)
    assert isinstance(mask_key(text), str)
    info = classify_key(text)
    assert info.usable == (info.problem is None)
    if info.usable:
        assert info.key not in repr(info)


# --- report redaction -----------------------------------------------------------------------

redaction = pytest.importorskip("assistant.report.redaction")

local_parts = st.text(alphabet=string.ascii_lowercase + string.digits + "._+-", min_size=2, max_size=20).filter(
    lambda s: s[0].isalnum()
)
domains = st.builds(
    lambda labels, tld: ".".join(labels) + "." + tld,
    st.lists(st.text(alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=12),
             min_size=1, max_size=3),
    st.text(alphabet=string.ascii_lowercase, min_size=2, max_size=6),
)
no_at = st.text(max_size=40).filter(lambda s: "@" not in s and "%40" not in s)


@SETTINGS
@given(text=st.text(max_size=400), mask=st.booleans())
@example(text="https://billing.stripe.com/p/session/test_abc123 mailto:ada@x.io sk_live_zz", mask=True)
@example(text="\x00\x9f" * 20 + "billing." * 10, mask=False)
def test_redaction_never_crashes(text: str, mask: bool) -> None:
    out = redaction.redact_text(text, redaction.RedactionOptions(mask_emails=mask))
    assert isinstance(out, str)
    assert redaction.redact_text(None) == ""


@SETTINGS
@given(before=no_at, local=local_parts, domain=domains, after=no_at)
def test_redaction_masks_any_email(before: str, local: str, domain: str, after: str) -> None:
    email = f"{local}@{domain}"
    out = redaction.redact_text(f"{before} {email} {after}", redaction.RedactionOptions(mask_emails=True))
    assert email not in out
    assert "***@" in out


@SETTINGS
@given(before=surrounding, key=keys, after=surrounding, mask=st.booleans())
def test_redaction_removes_any_key(before: str, key: str, after: str, mask: bool) -> None:
    out = redaction.redact_text(before + key + after, redaction.RedactionOptions(mask_emails=mask))
    assert key not in out
