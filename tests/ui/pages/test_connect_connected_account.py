"""Step 1's connected account field (Stripe Connect): its id is checked as it is typed, and a key
pasted there by mistake is named as one, never echoed."""

from __future__ import annotations

import pytest
from support.window import paste_key

from assistant.account.keychain import Keychain
from assistant.ui.pages.connect import CONNECTED_HINT, ConnectPage


def make_page(qtbot) -> ConnectPage:
    page = ConnectPage(keychain=Keychain(), scenarios=[])
    qtbot.addWidget(page)
    return page


def test_an_empty_field_explains_what_it_is_for(qtbot) -> None:
    page = make_page(qtbot)
    assert page.connected_account() is None and page.connected_account_problem() is None
    assert page.connected_status.text() == CONNECTED_HINT
    assert "direct charges" in CONNECTED_HINT and "destination charges" in CONNECTED_HINT


@pytest.mark.parametrize(("typed", "icon", "words"), [
    (" acct_1SunLoftYoga7Kqz ", "info", "Every request acts as acct_1SunLoftYoga7Kqz (Stripe-Account)"),
    ("acct_", "fail", "starts with acct_ followed by letters and digits only"),
    ("Sunrise Loft", "fail", "starts with acct_ followed by letters and digits only"),
    ("cus_Q3SunLoftMember1", "fail", "starts with acct_ followed by letters and digits only"),
])
def test_the_id_is_checked_as_it_is_typed(qtbot, typed: str, icon: str, words: str) -> None:
    page = make_page(qtbot)
    paste_key(page.connected_field, typed)
    assert page.connected_status.icon_name == icon
    assert words in page.connected_status.text()
    assert page.connected_account() == typed.strip()


def test_a_key_pasted_in_the_field_is_named_and_never_shown(qtbot) -> None:
    page = make_page(qtbot)
    paste_key(page.connected_field, "sk_test_practice_marigold_4242")
    assert page.connected_status.icon_name == "fail"
    assert "That is an API key, not a connected account id" in page.connected_status.text()
    assert "sk_test_" not in page.connected_status.text()


def test_the_field_is_in_the_tab_order_after_the_keychain(qtbot) -> None:
    page = make_page(qtbot)
    assert page.forget_button.nextInFocusChain() is page.connected_field
