"""Fixing from the result card in the real window, over real HTTP to practice accounts:
Fix… → preview → Apply → the card passes and offers Undo → Undo → the card fails again."""

from __future__ import annotations

from PySide6.QtCore import Qt
from support.practice import practice
from support.window import make_window, run_on_step, until

from assistant.diagnosis.model import Status
from assistant.store.history import HistoryStore

RETURN_URL = "https://app.practice.example/billing"


async def _window_on(qtbot, tmp_path, server, scenario, step: str):
    store = HistoryStore(tmp_path / "history.sqlite3", agent="Sam")
    window = make_window(qtbot, tmp_path, api_base=server.base_url, history=store)
    opened = await run_on_step(window, scenario.primary_key, step)
    return window, store, opened


def _card(window, step: str, check_id: str):
    return window.pages[window.step_index(step)].cards[check_id]


async def test_fix_preview_apply_then_undo_from_the_card(qtbot, tmp_path) -> None:
    with practice("no_return_url") as (scenario, server):
        window, store, opened = await _window_on(qtbot, tmp_path, server, scenario, "return_url")
        card = _card(window, "return_url", "portal.return_url")
        assert card.result.status is Status.FAIL
        await until(lambda: card.fix_button().isVisible(), what="Fix… on the failing card")
        assert not card.undo_button().isVisible()

        qtbot.mouseClick(card.fix_button(), Qt.MouseButton.LeftButton)
        await until(lambda: bool(opened), what="the preview")
        preview = opened[0]
        assert preview.isVisible() and not preview.apply_button.isEnabled()  # the URL is still needed
        qtbot.keyClicks(preview.input, RETURN_URL)
        assert [preview.changes.item(0, c).text() for c in range(3)] == ["Default redirect link", "(none)", RETURN_URL]
        assert server.writes == []  # nothing is written before Apply
        qtbot.mouseClick(preview.apply_button, Qt.MouseButton.LeftButton)

        await until(lambda: card.result.status is Status.PASS and card.undo_button().isVisible(),
                    what="the card to pass and offer Undo")
        assert not card.fix_button().isVisible() and window.fix_flow.dialog is None  # the preview closed
        assert "Default redirect link: (none) → " + RETURN_URL in window.activity_label.text()
        assert "Undo is on the card" in window.activity_label.text()
        [write] = server.writes
        assert write[0] == "POST" and write[2]  # with an idempotency key
        [change] = store.changes()
        assert (change.field, change.after, change.agent) == ("default_return_url", RETURN_URL, "Sam")

        qtbot.mouseClick(card.undo_button(), Qt.MouseButton.LeftButton)
        await until(lambda: card.result.status is Status.FAIL and card.fix_button().isVisible()
                    and not card.undo_button().isVisible(), what="the card to fail again")
        assert window.activity_label.text().startswith("Undone:")
        assert len(server.writes) == 2 and store.change(change.change_uid).undone_by


async def test_live_mode_needs_the_account_typed_before_apply(qtbot, tmp_path) -> None:
    with practice("live_http_return_url") as (scenario, server):
        window, _, opened = await _window_on(qtbot, tmp_path, server, scenario, "return_url")
        card = _card(window, "return_url", "portal.return_url")
        await until(lambda: card.fix_button().isVisible(), what="Fix… on the live card")
        card.fix_button().click()
        await until(lambda: bool(opened))
        preview = opened[0]
        qtbot.keyClicks(preview.input, "https://app.practice.example/account")
        assert preview.confirm.isVisible() and not preview.apply_button.isEnabled()
        name = scenario.account["business_profile"]["name"]
        qtbot.keyClicks(preview.confirm, name[:-1])
        assert not preview.apply_button.isEnabled()
        qtbot.keyClicks(preview.confirm, name[-1])
        assert preview.apply_button.isEnabled()
        preview.apply_button.click()
        await until(lambda: card.result.status is Status.PASS, what="the live card to pass")
        assert len(server.writes) == 1


async def test_a_refused_fix_says_why_in_the_preview_and_changes_nothing(qtbot, tmp_path) -> None:
    with practice("read_only_key") as (scenario, server):
        window, store, opened = await _window_on(qtbot, tmp_path, server, scenario, "return_url")
        card = _card(window, "return_url", "portal.return_url")
        await until(lambda: card.fix_button().isVisible())
        card.fix_button().click()
        await until(lambda: bool(opened))
        preview = opened[0]
        qtbot.keyClicks(preview.input, RETURN_URL)
        preview.apply_button.click()
        await until(lambda: "Customer portal: Write" in preview.status_text(), what="the refusal in the preview")
        status = preview.status_text()
        assert "Customer portal: Write" in status and "rak_" not in status and "Nothing was changed" in status
        assert preview.isVisible() and preview.apply_button.isEnabled()  # Apply again retries the same change
        assert server.writes == [] and store.changes() == [] and card.result.status is Status.FAIL


async def test_a_guided_fix_waits_for_the_owner_to_save_then_checks_again(qtbot, tmp_path) -> None:
    with practice("portal_never_saved") as (scenario, server):
        opened_urls: list[str] = []
        store = HistoryStore(tmp_path / "history.sqlite3")
        window = make_window(qtbot, tmp_path, api_base=server.base_url, history=store,
                             opener=lambda url: opened_urls.append(url) or True)
        window.fix_controller.wait_seconds = 0.05
        dialogs = await run_on_step(window, scenario.primary_key, "configuration")
        card = _card(window, "configuration", "portal.configuration")
        await until(lambda: card.fix_button().isVisible())
        card.fix_button().click()
        await until(lambda: bool(dialogs))
        preview = dialogs[0]
        assert not preview.apply_button.isVisible()
        preview.open_link.click()
        assert opened_urls == ["https://dashboard.stripe.com/test/settings/billing/portal"]
        preview.wait_button.click()
        await until(lambda: "Waiting for the owner to save" in preview.status_text())
        conf = dict(server.scenario.templates["billing_portal.configuration"], id="bpc_saved", is_default=True,
                    active=True)
        server.store.put("test", "configurations", conf)  # the owner pressed Save
        await until(lambda: card.result is not None and card.result.status is Status.PASS,
                    what="the checks to run again and find the configuration")
        assert window.fix_flow.dialog is None and server.writes == []


async def test_opening_the_practice_account_again_starts_it_afresh(qtbot, tmp_path) -> None:
    store = HistoryStore(tmp_path / "history.sqlite3")
    window = make_window(qtbot, tmp_path, history=store)
    opened: list = []
    window.fix_flow.dialog_opened.connect(opened.append)
    assert window.open_practice("no_return_url")
    await until(lambda: not window.controller.busy and window.outcome is not None, what="the first run")
    window.go_to_step(window.step_index("return_url"))
    window.flush_pages()
    card = _card(window, "return_url", "portal.return_url")
    await until(lambda: card.fix_button().isVisible())
    card.fix_button().click()
    await until(lambda: bool(opened))
    qtbot.keyClicks(opened[0].input, RETURN_URL)
    opened[0].apply_button.click()
    await until(lambda: card.result.status is Status.PASS, what="the fix")
    assert window.open_practice("no_return_url")  # the Connect page's "Open practice account" again
    await until(lambda: not window.controller.busy and card.result is not None
                and card.result.status is Status.FAIL, what="the fresh practice account")
    await until(lambda: card.fix_button().isVisible(), what="Fix… again")
    assert not card.undo_button().isVisible()  # the fix went with the old practice account
