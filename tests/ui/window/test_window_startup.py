"""Issue #6: the first window needs only the frame, the checklist and Connect; everything else
comes after the first paint, and nothing the agent sees is lost by building it later."""

from __future__ import annotations

import asyncio
import sys

from PySide6.QtWidgets import QLabel
from support.practice import practice
from support.window import make_window, paste_key, run_and_wait, sidebar_words, until

from assistant.ui.pages.registry import STEP_IDS, PlaceholderPage
from assistant.ui.window.main_window import MainWindow


async def test_only_connect_is_built_for_the_first_paint(qtbot, tmp_path) -> None:
    window = make_window(qtbot, tmp_path, lazy=True)
    assert [p.step_id for p in window.built_pages()] == ["connect"]
    assert window.glossary_host.dock is None
    # the checklist still has all seven steps, and going to one builds its page
    assert window.sidebar.count() == len(STEP_IDS)
    window.go_to_step(window.step_index("webhooks"))
    webhooks = window.stack.currentWidget()
    assert webhooks.step_id == "webhooks" and not isinstance(webhooks, PlaceholderPage)
    assert [p.step_id for p in window.built_pages()] == ["connect", "webhooks"]


async def test_after_the_first_paint_the_keychain_talk_track_and_glossary_arrive(qtbot, tmp_path) -> None:
    window = make_window(qtbot, tmp_path, lazy=True, keychain=None)
    assert not window.connect_page.keychain_ready
    await until(lambda: window.connect_page.keychain_ready and window.glossary_host.dock is not None,
                10.0, "the after-paint work")
    assert window.connect_page.talk_track is not None
    # the test keyring is keyring's fail backend: the page says keys stay in memory
    assert not window.connect_page.remember.isEnabled()
    assert "session only" in window.connect_page.keychain_status.text()
    assert "assistant.diagnosis.run" in sys.modules  # preloaded on the worker thread


async def test_a_page_built_after_a_run_shows_that_run(qtbot, tmp_path) -> None:
    with practice("archived_product") as (scenario, server):
        window = make_window(qtbot, tmp_path, lazy=True, api_base=server.base_url)
        paste_key(window.connect_page.key_field, scenario.primary_key)
        await run_and_wait(window)
        assert sidebar_words(window)["products"] == "1 problem"
        # the run opened its first failing step, built then: no other page was built
        products = window.stack.currentWidget()
        assert window.built_pages() == [window.connect_page, products]
        assert products.step_id == "products"
        assert scenario.primary_key not in products.findChildren(object).__repr__()
        texts = " ".join(w.text() for w in products.findChildren(QLabel))
        assert "FAIL" in texts or "archived" in texts.lower()


async def test_hidden_pages_get_a_new_run_when_shown(qtbot, tmp_path) -> None:
    with practice("healthy") as (scenario, server):
        window = make_window(qtbot, tmp_path, api_base=server.base_url)  # every page built
        paste_key(window.connect_page.key_field, scenario.primary_key)
        await run_and_wait(window)
        assert window.stack.currentWidget() is window.pages[window.step_index("report")]  # all clear
        hidden = window.step_index("webhooks")
        seen: list[object] = []
        page = window.pages[hidden]
        original = page.show_outcome
        page.show_outcome = lambda outcome: (seen.append(outcome), original(outcome))
        await run_and_wait(window)
        assert window.stale_pages == len(STEP_IDS) - 1  # not painted while nobody looks
        assert seen == []
        window.go_to_step(hidden)
        assert seen == [window.outcome]
        assert window.stale_pages == len(STEP_IDS) - 2


async def test_run_happens_off_the_qt_thread(qtbot, tmp_path) -> None:
    import threading

    with practice("healthy") as (scenario, server):
        threads: set[str] = set()

        def factory(api_base):
            from assistant.account.gateway.client import StripeGateway

            def make(key: str):
                threads.add(threading.current_thread().name)
                return StripeGateway(key, api_base=server.base_url)

            return make

        window = make_window(qtbot, tmp_path, factory_maker=factory)
        paste_key(window.connect_page.key_field, scenario.primary_key)
        await run_and_wait(window)
        assert sidebar_words(window)["connect"] == "OK"
        assert threads == {"stripe-worker"}
        await asyncio.sleep(0)
        assert isinstance(window, MainWindow)
