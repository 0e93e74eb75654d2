"""What the agent sees when pasting a key: the right kind, mode and message, and only a mask."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.account.keys import KeyKind, classify_key, mask_key

SECRET = "sk_test_51HxYzAbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd"


@pytest.mark.parametrize(
    ("raw", "kind", "mode", "usable"),
    [
        (SECRET, KeyKind.SECRET, "test", True),
        ("sk_live_practice_golive_4242", KeyKind.SECRET, "live", True),
        ("rk_test_abc123XYZ", KeyKind.RESTRICTED, "test", True),
        ("rk_live_abc_123_XYZ", KeyKind.RESTRICTED, "live", True),
        ("pk_test_abc123XYZ", KeyKind.PUBLISHABLE, "test", False),
        ("pk_live_abc123XYZ", KeyKind.PUBLISHABLE, "live", False),
        ("whsec_abc123XYZ", KeyKind.WEBHOOK_SECRET, None, False),
        ("hello world", KeyKind.UNKNOWN, None, False),
        ("", KeyKind.UNKNOWN, None, False),
        ("sk_test_", KeyKind.SECRET, "test", False),
        ("sk_test_abc$%^", KeyKind.SECRET, "test", False),
    ],
)
def test_kind_mode_and_usability(raw: str, kind: KeyKind, mode: str | None, usable: bool) -> None:
    info = classify_key(raw)
    assert (info.kind, info.mode, info.usable) == (kind, mode, usable)
    if not usable:
        assert info.problem and info.problem.endswith(".")


def test_surrounding_whitespace_is_stripped_silently() -> None:
    info = classify_key(f"  \t{SECRET}\n ")
    assert info.usable and info.key == SECRET


def test_inner_space_is_named() -> None:
    info = classify_key("sk_test_abc def")
    assert not info.usable and "space" in (info.problem or "")


def test_publishable_key_message_points_to_the_secret_key() -> None:
    problem = classify_key("pk_test_abc123").problem or ""
    assert "publishable" in problem and "sk_test_" in problem


def test_webhook_secret_is_recognised() -> None:
    assert "webhook" in (classify_key("whsec_abc123").problem or "")


def test_mask_shows_prefix_and_last_four_only() -> None:
    assert mask_key(SECRET) == "sk_test_…abcd"
    assert mask_key("rk_live_abc_123_XYZ") == "rk_live_…_XYZ"
    assert mask_key("sk_test_ab") == "sk_test_…"
    assert mask_key("whatever-secret-1234") == "…1234"


def test_repr_never_shows_the_key() -> None:
    info = classify_key(SECRET)
    assert SECRET not in repr(info) and SECRET not in str(info)


@given(st.text())
def test_no_input_crashes_and_the_mask_never_reveals_more_than_four(raw: str) -> None:
    info = classify_key(raw)
    assert isinstance(info.kind, KeyKind)
    masked = mask_key(raw)
    body = raw.strip()
    if len(body) > 16:
        assert body not in masked


@given(
    st.sampled_from(["sk_test_", "sk_live_", "rk_test_", "pk_live_", "whsec_", "xx_"]),
    st.from_regex(r"[A-Za-z0-9_]{0,40}", fullmatch=True),
    st.text(alphabet=" \t\r\n\u00a0\u2003", max_size=5),
    st.text(alphabet=" \t\r\n\u00a0\u2003", max_size=5),
)
def test_surrounding_whitespace_never_changes_the_classification(
    prefix: str, body: str, before: str, after: str
) -> None:
    bare = classify_key(prefix + body)
    padded = classify_key(before + prefix + body + after)
    assert (padded.kind, padded.mode, padded.usable, padded.key) == (
        bare.kind, bare.mode, bare.usable, bare.key,
    )


# --- issue 14, item 10: pasted forms that hold a key -----------------------------------------

@pytest.mark.parametrize(("pasted", "removed"), [
    (f'"{SECRET}"', "quotes"),
    (f"'{SECRET}'", "quotes"),
    (f"`{SECRET}`", "backticks"),
    (f"Bearer {SECRET}", "Bearer"),
    (f"Authorization: Bearer {SECRET}", "Authorization: Bearer"),
    (f"STRIPE_API_KEY={SECRET}", "STRIPE_API_KEY="),
    (f'export STRIPE_SECRET_KEY="{SECRET}"', "export STRIPE_SECRET_KEY="),
    (f"{SECRET} {SECRET}", "pasted twice"),
    (f"{SECRET}\n{SECRET}", "pasted twice"),
    (f"{SECRET}{SECRET}", "pasted twice"),
])
def test_a_key_inside_a_pasted_form_is_taken_out_and_what_was_removed_is_said(pasted: str, removed: str) -> None:
    info = classify_key(pasted)
    assert info.usable, info.problem
    assert info.key == SECRET
    assert info.removed is not None and removed in info.removed
    assert SECRET not in info.removed


@pytest.mark.parametrize("pasted", [
    f"{SECRET} sk_test_51OtherKeyAbCdEfGhIjKlMnOpQrStUv",
    f"sk_test_abc {SECRET}",
    f"Bearer {SECRET} and more words",
])
def test_a_paste_holding_a_key_is_never_called_not_a_key(pasted: str) -> None:
    info = classify_key(pasted)
    assert info.problem is None or "not a Stripe API key" not in info.problem
    if not info.usable:
        assert info.problem and ("two different keys" in info.problem or "more than the key" in info.problem)
        assert SECRET not in info.problem


def test_a_plain_key_has_nothing_removed() -> None:
    assert classify_key(f"  {SECRET}\n").removed is None
