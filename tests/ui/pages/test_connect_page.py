"""Step 1 on its own: what the agent sees while pasting a key, the keychain, the practice picker."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLineEdit
from support.ui_outcomes import run_scenario
from support.window import MemoryKeyring, paste_key

from assistant.account.keychain import Keychain
from assistant.practice.scenarios import ScenarioInfo
from assistant.ui.pages.connect import ConnectPage

SCENARIOS = [
    ScenarioInfo("healthy", "Healthy account", "I'd like a look before we launch.", "Every check passes."),
    ScenarioInfo("archived_product", "Archived product still offered", "Basic cannot be chosen.",
                 "Basic was archived."),
]


def make_page(qtbot, keychain=None, **kwargs) -> ConnectPage:
    page = ConnectPage(keychain=keychain or Keychain(), scenarios=SCENARIOS, **kwargs)
    qtbot.addWidget(page)
    return page


@pytest.mark.parametrize(
    ("pasted", "icon", "words"),
    [
        ("  sk_test_abcdef123456 \n", "pass", "Secret key, test mode (sk_test_…3456)"),
        ("rk_test_abcdef123456", "pass", "Restricted key, test mode"),
        ("sk_live_abcdef123456", "live", "LIVE mode"),
        ("pk_test_abcdef123456", "fail", "publishable key"),
        ("whsec_abcdef123456", "fail", "webhook signing secret"),
        ("sk_test_abc def123456", "fail", "space or line break in the middle"),
        ("hello there", "fail", "not a Stripe API key"),
    ],
)
def test_pasted_key_is_cleaned_and_explained(qtbot, pasted, icon, words) -> None:
    page = make_page(qtbot)
    paste_key(page.key_field, pasted)
    assert page.key() == pasted.strip()
    assert page.key_field.text() == pasted.strip()  # surrounding blanks removed in the field
    assert page.key_status.icon_name == icon
    assert words in page.key_status.text()
    assert pasted.strip() not in page.key_status.text() or not pasted.strip().startswith(("sk_", "rk_"))


def test_key_field_is_a_password_field_with_a_reveal_action(qtbot) -> None:
    page = make_page(qtbot)
    assert page.key_field.echoMode() == QLineEdit.EchoMode.Password
    assert page.second_field.echoMode() == QLineEdit.EchoMode.Password
    assert page.key_field.accessibleName() == "Secret key"
    assert page.key_field.reveal_action.isCheckable()
    assert page.check_button.text() == "&Check key"


def test_second_key_of_the_same_mode_is_flagged(qtbot) -> None:
    page = make_page(qtbot)
    paste_key(page.key_field, "sk_test_abcdef123456")
    paste_key(page.second_field, "sk_test_zzzzzz999999")
    assert page.second_status.icon_name == "warn"
    assert "other mode" in page.second_status.text()
    paste_key(page.second_field, "sk_live_zzzzzz999999")
    assert page.second_status.icon_name == "live"


def test_no_keychain_disables_remember_and_says_why(qtbot) -> None:
    page = make_page(qtbot)  # conftest forces keyring's fail backend
    assert not page.remember.isChecked()
    assert not page.remember.isEnabled()
    assert "session only" in page.keychain_status.text()
    assert "session only" in page.remember.toolTip()


async def test_remember_stores_after_a_good_check_and_forget_removes(qtbot) -> None:
    backend = MemoryKeyring()
    page = make_page(qtbot, keychain=Keychain(backend))
    assert page.remember.isEnabled() and not page.remember.isChecked()
    outcome, scenario = await run_scenario("healthy")
    paste_key(page.key_field, scenario.primary_key)
    page.show_outcome(outcome)
    assert backend.store == {}  # not ticked: nothing stored
    page.remember.setChecked(True)
    page.show_outcome(outcome)
    assert backend.store == {("portal-setup-assistant", "primary"): scenario.primary_key}
    assert f"Stored in {backend.name}" in page.keychain_status.text()

    again = make_page(qtbot, keychain=Keychain(backend))  # next start: loaded back
    assert again.key() == scenario.primary_key and again.remember.isChecked()

    page.forget_button.click()
    assert backend.store == {}
    assert "Removed 1 stored key" in page.keychain_status.text()


async def test_outcome_shows_account_and_masked_key(qtbot) -> None:
    page = make_page(qtbot)
    outcome, scenario = await run_scenario("healthy")
    paste_key(page.key_field, scenario.primary_key)
    page.show_outcome(outcome)
    text = page.result.text()
    assert scenario.account["business_profile"]["name"] in text and "acct_" in text and "sk_test_…4242" in text
    assert scenario.primary_key not in text
    assert page.result.icon_name == "pass"
    assert all(line.isVisibleTo(page) for line in page.check_lines)


def test_practice_picker_shows_complaints_and_emits_the_name(qtbot) -> None:
    page = make_page(qtbot, last_scenario="archived_product")
    assert page.selected_scenario() == "archived_product"
    assert page.practice.complaint.text() == "The owner says: “Basic cannot be chosen.”"
    page.select_scenario("healthy")
    assert page.practice.complaint.text() == "The owner says: “I'd like a look before we launch.”"
    with qtbot.waitSignal(page.practice_requested) as blocker:
        page.practice_button.click()
    assert blocker.args == ["healthy"]


def test_first_run_hint_shows_until_a_key_is_entered(qtbot) -> None:
    page = make_page(qtbot)
    page.show()
    assert page.hint_frame.isVisible()
    paste_key(page.key_field, "sk_test_abcdef123456")
    assert not page.hint_frame.isVisible()


def test_busy_disables_the_buttons_that_start_work(qtbot) -> None:
    page = make_page(qtbot)
    page.set_busy(True)
    assert not page.check_button.isEnabled() and not page.practice_button.isEnabled()
    assert page.result.icon_name == "running"
    page.set_busy(False)
    assert page.check_button.isEnabled() and page.practice_button.isEnabled()


def test_picker_lists_every_practice_account() -> None:
    from assistant.practice.scenarios import list_scenarios
    from assistant.ui.pages import connect

    real = [(s.name, s.title, s.complaint, s.answer) for s in list_scenarios()]
    read = [(s.name, s.title, s.complaint, s.answer) for s in connect._load_scenarios()]
    assert read == real and len(read) >= 10


def test_listing_practice_accounts_does_not_load_the_server() -> None:
    """The picker is filled before the first paint; the HTTP server is for when one is opened."""
    import subprocess
    import sys

    code = (
        "import sys; from assistant.ui.pages import connect; assert connect._load_scenarios();"
        "assert 'http.server' not in sys.modules and 'assistant.practice.server' not in sys.modules;"
        "from assistant.practice import PracticeServer; assert PracticeServer.__name__ == 'PracticeServer'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr


def test_keychain_can_arrive_after_the_page_is_shown(qtbot) -> None:
    """The window looks for the keychain after its first paint; until then the page says so,
    and a stored key that arrives late never replaces one the agent already typed."""
    backend = MemoryKeyring()
    backend.store[("portal-setup-assistant", "primary")] = "sk_test_storedstored_1111"
    page = ConnectPage(scenarios=SCENARIOS, keychain_later=True)
    qtbot.addWidget(page)
    assert not page.keychain_ready
    assert not page.remember.isEnabled() and not page.forget_button.isEnabled()
    assert "keychain" in page.keychain_status.text().lower()
    page.set_keychain(Keychain(backend))
    assert page.keychain_ready and page.remember.isEnabled() and page.remember.isChecked()
    assert page.key() == "sk_test_storedstored_1111"
    assert backend.name in page.keychain_status.text()

    typed = ConnectPage(scenarios=SCENARIOS, keychain_later=True)
    qtbot.addWidget(typed)
    paste_key(typed.key_field, "sk_test_typedtyped_2222")
    typed.set_keychain(Keychain(backend), ("sk_test_storedstored_1111", None))
    assert typed.key() == "sk_test_typedtyped_2222" and not typed.remember.isChecked()


def test_talk_track_can_be_added_later_below_the_fields(qtbot) -> None:
    from PySide6.QtWidgets import QLabel

    page = make_page(qtbot)
    assert page.talk_track is None
    panel = QLabel("talk track")
    page.set_talk_track(panel)
    assert page.talk_track is panel and panel.parent() is not None


@pytest.mark.parametrize(("pasted", "words"), [
    ('"sk_test_abcdef123456"', "quotes"),
    ("Bearer sk_test_abcdef123456", "Bearer"),
    ("STRIPE_API_KEY=sk_test_abcdef123456", "STRIPE_API_KEY="),
    ("sk_test_abcdef123456 sk_test_abcdef123456", "pasted twice"),
])
def test_a_pasted_form_holding_a_key_says_what_was_removed(qtbot, pasted, words) -> None:
    """Issue 14, item 10: never "not a Stripe API key" when the paste plainly holds one."""
    page = make_page(qtbot)
    paste_key(page.key_field, pasted)
    assert page.key_status.icon_name == "pass"
    text = page.key_status.text()
    assert "not a Stripe API key" not in text
    assert words in text and "sk_test_…3456" in text
    assert "abcdef123456" not in text


async def test_a_quoted_key_is_checked_with_stripe_as_the_key_itself(qtbot, tmp_path) -> None:
    from support.practice import practice
    from support.window import make_window, run_and_wait

    with practice("healthy") as (scenario, server):
        window = make_window(qtbot, tmp_path, api_base=server.base_url)
        paste_key(window.connect_page.key_field, f'STRIPE_API_KEY="{scenario.primary_key}"')
        await run_and_wait(window)
    assert window.outcome.diagnosis.check("key.accepted").status.value == "pass"
