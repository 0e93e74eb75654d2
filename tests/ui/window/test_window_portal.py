"""Opening the customer portal is the app's one write: in live mode, never without a yes."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox
from support.practice import practice
from support.window import Recorder, make_window, paste_key, run_and_wait, until

SESSION_PATH = "/v1/billing_portal/sessions"


def session_posts(server) -> list:
    return [e for e in server.request_log if e[0] == "POST" and e[1] == SESSION_PATH]


async def _live_window(qtbot, tmp_path, server, scenario, **kwargs):
    window = make_window(qtbot, tmp_path, api_base=server.base_url, **kwargs)
    paste_key(window.connect_page.key_field, scenario.primary_key)
    window.pages[window.step_index("customer")].set_customer_query(scenario.customer) \
        if hasattr(window.pages[window.step_index("customer")], "set_customer_query") else None
    await run_and_wait(window)
    return window


async def test_live_key_shows_banner_and_badge(qtbot, tmp_path) -> None:
    with practice("live_key") as (scenario, server):
        window = await _live_window(qtbot, tmp_path, server, scenario)
        assert window.live_banner.isVisible()
        assert window.live_label.text() == (
            "LIVE — real customers; nothing is changed without your confirmation")
        assert window.mode_badge.text() == "LIVE"
        assert "LIVE" in window.windowTitle()


async def test_declined_confirmation_sends_nothing(qtbot, tmp_path) -> None:
    with practice("live_key") as (scenario, server):
        asked = Recorder(answer=False)
        opened = Recorder()
        window = await _live_window(qtbot, tmp_path, server, scenario,
                                    confirm=asked.confirm, opener=opened.opener)
        window.request_portal(scenario.customer)
        await until(lambda: bool(asked.calls))
        assert asked.calls == [
            (f"Open the LIVE portal for Ada Lovelace ({scenario.customer})? "
             "This creates a real portal session.")
        ]
        await __import__("asyncio").sleep(0.3)
        assert session_posts(server) == []
        assert opened.calls == []


async def test_accepted_confirmation_opens_the_session_url(qtbot, tmp_path) -> None:
    with practice("live_key") as (scenario, server):
        asked = Recorder(answer=True)
        opened = Recorder()
        window = await _live_window(qtbot, tmp_path, server, scenario,
                                    confirm=asked.confirm, opener=opened.opener)
        window.request_portal(scenario.customer)
        await until(lambda: bool(opened.calls), what="the opener to be called")
        assert len(session_posts(server)) == 1
        urls = [s.get("url") for s in server.sessions.values()]
        assert opened.calls == urls
        assert len(asked.calls) == 1


async def test_real_dialog_defaults_to_no(qtbot, tmp_path) -> None:
    with practice("live_key") as (scenario, server):
        opened = Recorder()
        window = await _live_window(qtbot, tmp_path, server, scenario, opener=opened.opener)
        window.request_portal(scenario.customer)
        box = window.findChild(QMessageBox, "liveConfirmation")
        assert box is not None and box.isVisible()
        assert "Ada Lovelace" in box.text() and scenario.customer in box.text()
        assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
        box.button(QMessageBox.StandardButton.No).click()
        await __import__("asyncio").sleep(0.3)
        assert session_posts(server) == [] and opened.calls == []


async def test_controller_refuses_a_live_session_without_confirmation(qtbot, tmp_path) -> None:
    with practice("live_key") as (scenario, server):
        window = await _live_window(qtbot, tmp_path, server, scenario)
        with qtbot.waitSignal(window.controller.portal_failed, timeout=1000):
            assert not window.controller.open_portal(scenario.customer, None, live=False)
        assert session_posts(server) == []


async def test_test_mode_opens_without_asking(qtbot, tmp_path) -> None:
    with practice("healthy") as (scenario, server):
        asked = Recorder(answer=False)
        opened = Recorder()
        window = await _live_window(qtbot, tmp_path, server, scenario,
                                    confirm=asked.confirm, opener=opened.opener)
        window.request_portal(scenario.customer)
        await until(lambda: bool(opened.calls), what="the opener to be called")
        assert asked.calls == []
        assert opened.calls[0].startswith("http")
