"""The fix preview: what will change, field by field, in which mode; Apply only when the fix can
be applied, and in live mode only once the account's id or name is typed."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QWidget
from support.stripe_objects import configuration, healthy_snapshot, key, ok

from assistant.account.keys import classify_key
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.checks.registry import run_checks
from assistant.diagnosis.fixes.model import Fix, FixInputs
from assistant.diagnosis.fixes.planner import plan_fixes
from assistant.diagnosis.model import AccountInfo, Diagnosis
from assistant.ui.fix.dialog import FixPreview, confirms

ACCOUNT = AccountInfo("acct_1PgafTB7WZ01zgkW", "Acme Yoga")


def planned_fix(mode: str = "test", **inputs: str) -> Fix:
    snap = replace(healthy_snapshot(mode), key=classify_key(key(mode)),
                   configurations=ok([configuration(mode=mode, default_return_url=None)]))
    checks = tuple(run_checks(CheckContext(snapshot=snap)))
    diagnosis = Diagnosis("2024-06-04T10:00:00Z", mode, "sk_…abcd", ACCOUNT, checks)
    [fix] = plan_fixes(diagnosis, snap, inputs=FixInputs(**inputs)).fixes
    return fix


def dialog(qtbot, fix: Fix) -> FixPreview:
    preview = FixPreview(fix, ACCOUNT)
    qtbot.addWidget(preview)
    preview.show()
    return preview


def test_the_preview_shows_each_field_before_and_after_and_applies(qtbot) -> None:
    preview = dialog(qtbot, planned_fix(return_url="https://shop.example/account"))
    assert preview.changes.rowCount() == 1
    assert [preview.changes.item(0, c).text() for c in range(3)] == [
        "Default redirect link", "(none)", "https://shop.example/account"]
    details = preview.findChild(QWidget, "fixDetails").text()
    assert "bpc_1Pgc70B7WZ01zgkWSnFO04Vt" in details and "default_return_url" in details  # ids in the detail line
    assert preview.findChild(QWidget, "fixObjects").text() == "Changes the test mode portal settings."
    assert preview.findChild(QWidget, "fixMode").text() == "Test mode."
    assert preview.apply_button.isEnabled() and not preview.confirm.isVisible()
    with qtbot.waitSignal(preview.apply_requested) as sent:
        preview.apply_button.click()
    assert sent.args[0].id == "portal.return_url.set_default"


def test_an_input_still_needed_keeps_apply_off_until_it_is_typed(qtbot) -> None:
    preview = dialog(qtbot, planned_fix())
    assert preview.input.isVisible() and not preview.apply_button.isEnabled()
    with qtbot.waitSignal(preview.inputs_edited) as typed:
        qtbot.keyClicks(preview.input, "x")
    assert typed.args == ["return_url", "x"]
    preview.set_fix(planned_fix(return_url="not a url"))
    assert preview.findChild(QWidget, "fixProblem").isVisible() and not preview.apply_button.isEnabled()
    preview.set_fix(planned_fix(return_url="https://shop.example/account"))
    assert preview.apply_button.isEnabled()


def test_live_mode_needs_the_account_typed(qtbot) -> None:
    preview = dialog(qtbot, planned_fix("live", return_url="https://shop.example/account"))
    assert preview.confirm.isVisible() and "LIVE" in preview.findChild(QWidget, "fixMode").text()
    assert not preview.apply_button.isEnabled()
    qtbot.keyClicks(preview.confirm, "acct_wrong")
    assert not preview.apply_button.isEnabled()
    preview.confirm.clear()
    qtbot.keyClicks(preview.confirm, "acme yoga")
    assert preview.apply_button.isEnabled()
    preview.set_working(True)
    assert not preview.apply_button.isEnabled() and not preview.cancel_button.isEnabled()


def test_confirmation_matches_the_id_exactly_or_the_name() -> None:
    assert confirms(" acct_1PgafTB7WZ01zgkW ", ACCOUNT) and confirms("ACME YOGA", ACCOUNT)
    assert not confirms("acct_1pgaftb7wz01zgkw", ACCOUNT) and not confirms("", ACCOUNT)
    assert not confirms("anything", None)


def test_a_guided_fix_links_the_modes_settings_and_waits(qtbot) -> None:
    snap = replace(healthy_snapshot("live"), key=classify_key(key("live")), configurations=ok([]))
    checks = tuple(run_checks(CheckContext(snapshot=snap)))
    [fix] = plan_fixes(Diagnosis("2024-06-04T10:00:00Z", "live", "sk_…abcd", ACCOUNT, checks), snap).fixes
    preview = dialog(qtbot, fix)
    assert not preview.apply_button.isVisible() and preview.open_link.isVisible()
    assert preview.cancel_button.text() == "Close"
    with qtbot.waitSignal(preview.link_requested) as link:
        preview.open_link.click()
    assert link.args == ["https://dashboard.stripe.com/settings/billing/portal"]
    with qtbot.waitSignal(preview.wait_requested):
        preview.wait_button.click()
    preview.set_waiting(True)
    assert "Waiting for the owner to save" in preview.status_text()
    with qtbot.waitSignal(preview.stop_waiting_requested):
        preview.wait_button.click()


def test_a_fix_taking_two_addresses_has_a_field_for_each(qtbot) -> None:
    profile = {"headline": None, "privacy_policy_url": None, "terms_of_service_url": None}
    snap = replace(healthy_snapshot(), configurations=ok([configuration(business_profile=profile)]))
    checks = tuple(run_checks(CheckContext(snapshot=snap)))
    diagnosis = Diagnosis("2024-06-04T10:00:00Z", "test", "sk_…abcd", ACCOUNT, checks)
    [fix] = plan_fixes(diagnosis, snap).fixes
    preview = dialog(qtbot, fix)
    assert list(preview.inputs) == ["privacy_url", "terms_url"] and not preview.apply_button.isEnabled()
    with qtbot.waitSignal(preview.inputs_edited) as typed:
        qtbot.keyClicks(preview.inputs["terms_url"], "h")
    assert typed.args == ["terms_url", "h"]


def test_account_text_that_looks_like_markup_is_shown_as_it_is(qtbot) -> None:
    fix = planned_fix(return_url="https://shop.example/<b>account</b>")
    fix = replace(fix, names={}, changes=(replace(fix.changes[0], after="<b>bold</b> https://x.example"),))
    preview = dialog(qtbot, fix)
    item = preview.changes.item(0, 2)
    assert item.text() == "<b>bold</b> https://x.example"
    assert item.toolTip() == '<p style="white-space:pre-wrap">&lt;b&gt;bold&lt;/b&gt; https://x.example</p>'  # as typed


def test_tab_leaves_the_table_of_changes(qtbot) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    preview = dialog(qtbot, planned_fix(return_url="https://shop.example/account"))
    preview.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is preview, timeout=2000)
    preview.changes.setFocus(Qt.FocusReason.TabFocusReason)
    preview.changes.setCurrentCell(0, 0)
    qtbot.keyClick(preview.changes, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not preview.changes
