"""Cancelling a slow run: the window stays usable, the checklist says what happened, and the
next run completes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from support.practice import practice
from support.window import make_window, paste_key, run_and_wait, sidebar_words, until


async def test_escape_cancels_a_slow_run_and_a_second_run_completes(qtbot, tmp_path) -> None:
    with practice("healthy", latency=0.5) as (scenario, server):
        window = make_window(qtbot, tmp_path, api_base=server.base_url)
        paste_key(window.connect_page.key_field, scenario.primary_key)
        assert window.run_all()
        assert window.controller.busy
        assert window.cancel_action.isEnabled() and not window.run_action.isEnabled()
        assert window.busy_bar.isVisible()
        assert set(sidebar_words(window).values()) == {"checking…"}
        await until(lambda: len(server.request_log) >= 1, what="a request to reach the server")
        assert window.activity_label.text().startswith("Reading Stripe…")

        qtbot.keyClick(window, Qt.Key.Key_Escape)  # the Cancel action's shortcut
        window.cancel_action.trigger()  # (offscreen windows may not be active: trigger too)
        await until(lambda: not window.controller.busy, 5.0, "the run to stop")

        assert window.outcome is None
        assert set(sidebar_words(window).values()) == {"cancelled"}
        assert window.activity_label.text().startswith("Cancelled after")
        assert not window.cancel_action.isEnabled() and window.run_action.isEnabled()
        assert not window.busy_bar.isVisible()
        assert "Cancelled" in window.connect_page.result.text()
        assert window.connect_page.check_button.isEnabled()
        window.go_to_step(3)  # still navigable
        assert window.stack.currentIndex() == 3

        server.latency = 0.0
        await run_and_wait(window)
        assert window.outcome is not None
        assert sidebar_words(window)["connect"] == "OK"


async def test_cancel_after_a_finished_run_keeps_the_previous_results(qtbot, tmp_path) -> None:
    with practice("archived_product") as (scenario, server):
        window = make_window(qtbot, tmp_path, api_base=server.base_url)
        paste_key(window.connect_page.key_field, scenario.primary_key)
        await run_and_wait(window)
        before = sidebar_words(window)
        assert before["products"] == "1 problem"

        server.latency = 0.5
        assert window.run_all()
        await until(lambda: len(server.request_log) > 9, what="the second run's first request")
        window.cancel()
        await until(lambda: not window.controller.busy, 5.0)
        assert sidebar_words(window) == before
        assert "previous results" in window.connect_page.result.text()
