"""Issue 14 in the window: the same verdict as the CLI, a time limit the agent can set, and
hostile account data shown as inert text (no control characters, no foreign links)."""

from __future__ import annotations

import re
import time

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QLabel
from support.practice import practice
from support.window import make_window, paste_key, run_and_wait, until, visible_texts

from assistant.diagnosis.model import Status
from assistant.ui.results.card import CheckCard
from assistant.ui.window.support import default_size

CONTROL_NAME = "Pro\x1b[2J\x1b]8;;https://evil.example\x07click\x1b]8;;\x07\x00\x9b31m\u202egnp.exe\u2066x\u2069"
FORBIDDEN = ("\x1b", "\x07", "\x00", "\x9b", "\u202e", "\u2066", "\u2069")
HOSTILE_URL = "https://evil.example\\@stripe.com/login"


async def test_the_summary_line_says_a_check_could_not_run(qtbot, tmp_path) -> None:
    with practice("healthy") as (scenario, server):
        server.inject_fault("/v1/webhook_endpoints", status=500, times=50)
        window = make_window(qtbot, tmp_path, api_base=server.base_url)
        paste_key(window.connect_page.key_field, scenario.primary_key)
        await run_and_wait(window)
    assert window.outcome.diagnosis.check("webhooks.events").status is Status.ERROR
    assert "could not run: Webhooks" in window.status_line.summary_label.text()
    assert window.activity_label.text().count("Done in") == 1


async def test_the_summary_line_says_all_ran_only_when_they_did(qtbot, tmp_path) -> None:
    with practice("healthy") as (scenario, server):
        window = make_window(qtbot, tmp_path, api_base=server.base_url)
        paste_key(window.connect_page.key_field, scenario.primary_key)
        await run_and_wait(window)
    assert window.status_line.summary_label.text() == "No problems: every check ran and none failed."


async def test_the_time_limit_set_in_the_window_cuts_a_hanging_server(qtbot, tmp_path) -> None:
    with practice("healthy") as (scenario, server):
        server.inject_fault("/v1/webhook_endpoints", kind="slow", delay=30.0, times=50)
        window = make_window(qtbot, tmp_path, api_base=server.base_url)
        window.connect_page.timeout_field.setValue(1)
        assert window.controller.run_timeout == 1.0
        paste_key(window.connect_page.key_field, scenario.primary_key)
        started = time.monotonic()
        await run_and_wait(window, timeout=15)
        elapsed = time.monotonic() - started
    assert elapsed < 10
    webhooks = window.outcome.diagnosis.check("webhooks.events")
    assert webhooks.status is Status.ERROR and "GET /v1/webhook_endpoints" in webhooks.summary
    assert window.outcome.diagnosis.check("portal.configuration").status is Status.PASS


async def test_hostile_product_names_are_inert_text_in_the_window(qtbot, tmp_path) -> None:
    with practice("archived_product") as (scenario, server):
        products = server.store.data["test"]["products"]
        products[0]["name"] = f"{CONTROL_NAME} {HOSTILE_URL}"
        products[1]["name"] = "Gold " + "y" * 50_000
        window = make_window(qtbot, tmp_path, api_base=server.base_url)
        paste_key(window.connect_page.key_field, scenario.primary_key)
        await run_and_wait(window)
        for page in window.ensure_all_pages():
            window.go_to_step(window.step_index(page.step_id))
    texts = list(visible_texts(window))
    shown = "\n".join(text for _, text in texts)
    assert "click" in shown and "evil.example" in shown  # the name is there, as text
    for where, text in texts:
        for ch in FORBIDDEN:
            assert ch not in text, (where, repr(ch))
        assert "y" * 5_000 not in text, where
    hrefs = [h for card in window.findChildren(CheckCard)
             for label in card.findChildren(QLabel)
             for h in re.findall(r'href="([^"]*)"', label.text())]
    assert hrefs, "the Dashboard links in fix steps stay clickable"
    assert not any("evil" in h for h in hrefs), hrefs
    from assistant.knowledge.links import is_app_link

    assert all(is_app_link(h.replace("&amp;", "&")) for h in hrefs), hrefs


async def test_a_damaged_history_is_named_and_the_run_says_it_was_not_saved(qtbot, tmp_path) -> None:
    """Issue 14, item 14, in the window."""
    from assistant.store.history import HistoryStore

    history_file = tmp_path / "history.sqlite3"
    store = HistoryStore(history_file)
    with practice("healthy") as (scenario, server):
        window = make_window(qtbot, tmp_path, api_base=server.base_url, history=store)
        history_file.write_bytes(b"not a history database\n" * 100)  # damaged after it was opened
        paste_key(window.connect_page.key_field, scenario.primary_key)
        await run_and_wait(window)
    line = window.activity_label.text()
    assert "not saved to history" in line and str(history_file) in line
    assert history_file.read_bytes().startswith(b"not a history")  # nothing deleted
    # The long note (a path) never pushes the run's summary off the status bar: it is elided,
    # whole in its tooltip, and the summary keeps room to be read.
    assert window.activity_label.toolTip() == line
    summary = window.status_line.summary_label
    assert summary.text() and summary.isVisible()
    room = summary.fontMetrics().averageCharWidth() * 30
    for size in (default_size(window), QSize(1280, 720)):
        window.resize(size)
        await until(lambda: summary.width() >= room, timeout=3, what=f"the summary's room at {size}")


async def test_a_report_saved_from_the_window_is_private(qtbot, tmp_path) -> None:
    """Issue 14, item 8, in the window: Markdown and HTML created 0600 (the PDF too)."""
    import os
    import stat

    from support.ui_outcomes import run_scenario

    from assistant.ui.pages.report import FILTER_HTML, FILTER_MARKDOWN, ReportPage

    outcome, _ = await run_scenario("healthy")
    old = os.umask(0o022)
    try:
        for name, chosen in (("r.md", FILTER_MARKDOWN), ("r.html", FILTER_HTML), ("r.pdf", FILTER_MARKDOWN)):
            page = ReportPage(save_dialog=lambda *a, n=name, c=chosen: (str(tmp_path / n), c))
            qtbot.addWidget(page)
            page.show_outcome(outcome)
            assert page.save_report() == str(tmp_path / name)
            assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name
    finally:
        os.umask(old)
