"""Nothing stale (issue 13, item 5): what belonged to the previous key goes the moment the key
changes, so no FAIL row of another account sits under "Ready to check"."""

from __future__ import annotations

from support.practice import practice
from support.window import make_window, paste_key, run_and_wait, sidebar_words, until

from assistant.ui.state.window_state import PortalLink


async def test_a_new_key_clears_the_previous_keys_results_everywhere(qtbot, tmp_path) -> None:
    with practice("archived_product") as (scenario, server):
        window = make_window(qtbot, tmp_path, api_base=server.base_url)
        paste_key(window.connect_page.key_field, scenario.primary_key)
        await until(lambda: not window.controller.busy)
        if window.outcome is None:
            await run_and_wait(window)
        assert window.outcome is not None
        page = window.connect_page
        assert any(line.isVisibleTo(page) for line in page.check_lines)
        products = window.pages[window.step_index("products")]
        window.flush_pages()
        assert products.cards["portal.products"].result is not None
        window.state.set_portal_link(PortalLink("https://billing.example/p/session/x", 0.0, "cus_1"))

        paste_key(page.key_field, "sk_test_" + "Z" * 30)  # another account's key

        assert window.outcome is None
        assert set(sidebar_words(window).values()) <= {"not run", "checking…"}
        window.flush_pages()  # the run opened Plans and prices: Connect renders when shown again
        assert not any(line.isVisibleTo(page) for line in page.check_lines)
        assert "Ready to check" in page.key_status.text()
        window.flush_pages()
        assert products.cards["portal.products"].result is None
        report = window.pages[window.step_index("report")]
        assert not report.copy_button.isEnabled()
        assert window.state.portal_link is None
        assert "previous key" in window.activity_label.text() or window.controller.busy
        assert "Practice" not in window.account_label.text()


async def test_emptying_the_key_then_checking_never_shows_an_old_fail(qtbot, tmp_path) -> None:
    with practice("archived_product") as (scenario, server):
        window = make_window(qtbot, tmp_path, api_base=server.base_url)
        window.open_practice("archived_product")
        await until(lambda: window.outcome is not None and not window.controller.busy)
        page = window.connect_page
        page.key_field.setFocus()
        page.key_field.selectAll()
        from PySide6.QtCore import Qt

        qtbot.keyClick(page.key_field, Qt.Key.Key_Delete)
        assert window.outcome is None
        window.run_all()
        assert "Paste the customer's key first" in page.result.text()
        assert not any(line.isVisibleTo(page) for line in page.check_lines)
        assert set(sidebar_words(window).values()) == {"not run"}


async def test_a_key_changed_during_a_run_stops_that_run(qtbot, tmp_path) -> None:
    with practice("healthy", latency=0.3) as (scenario, server):
        window = make_window(qtbot, tmp_path, api_base=server.base_url)
        paste_key(window.connect_page.key_field, scenario.primary_key)
        if not window.controller.busy:
            window.run_all()
        assert window.controller.busy
        paste_key(window.connect_page.key_field, "sk_test_" + "Y" * 30)
        await until(lambda: window.outcome is None and not window.controller.busy or
                    (window.outcome is not None and window.outcome.diagnosis.masked_key.endswith("YYYY")))
        if window.outcome is not None:  # the new key's own run may already have finished
            assert window.outcome.diagnosis.masked_key.endswith("YYYY")


async def test_the_first_time_hint_goes_once_a_real_key_is_in(qtbot, tmp_path) -> None:
    from assistant.ui.app import show_first_run_hint

    window = make_window(qtbot, tmp_path)
    show_first_run_hint(window)
    assert "First time?" in window.statusBar().currentMessage()
    paste_key(window.connect_page.key_field, "sk_test_" + "Q" * 30)
    assert window.statusBar().currentMessage() == ""
