"""Paste a key, run every check, read the checklist: the agent's main path, over real HTTP."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFont
from support.practice import practice
from support.window import make_window, paste_key, run_and_wait, settled, sidebar_words, until

from assistant.diagnosis.model import Status
from assistant.practice.scenarios import load_scenario
from assistant.ui.window.sidebar import SEVERITY

# The offscreen platform plugin cannot pass a window's minimum size on (real platforms can);
# that one message is about the test platform, not the app.


async def test_healthy_account_shows_every_read_step_passing(qtbot, tmp_path) -> None:
    with practice("healthy") as (scenario, server):
        window = make_window(qtbot, tmp_path, api_base=server.base_url)
        paste_key(window.connect_page.key_field, f"  {scenario.primary_key}\n")
        assert window.connect_page.key() == scenario.primary_key  # surrounding blanks gone
        await run_and_wait(window)

        words = sidebar_words(window)
        for step in ("connect", "configuration", "products", "return_url", "webhooks"):
            assert words[step] == "OK", (step, words)
        assert window.sidebar.item_text(0) == f"1. {window.pages[0].title} — OK"
        assert scenario.account["business_profile"]["name"] in window.connect_page.result.text()
        assert "acct_" in window.account_label.text()
        assert window.mode_badge.text() == "TEST"
        assert not window.live_banner.isVisible()
        assert window.activity_label.text().startswith("Done in ")
        assert "requests" in window.activity_label.text()
        assert any(entry[1] == "/v1/account" for entry in server.request_log)


@pytest.mark.parametrize(
    ("name", "step", "word"),
    [("archived_product", "products", "1 problem"), ("portal_never_saved", "configuration", "1 problem")],
)
async def test_broken_account_marks_the_broken_step(qtbot, tmp_path, name, step, word) -> None:
    with practice(name) as (scenario, server):
        window = make_window(qtbot, tmp_path, api_base=server.base_url)
        paste_key(window.connect_page.key_field, scenario.primary_key)
        await run_and_wait(window)

        words = sidebar_words(window)
        assert words[step] == word, words
        assert words["connect"] == "OK"
        row = window.step_index(step)
        assert window.sidebar.status_at(row) is Status.FAIL
        # the report step sums up every check, so it shows the failure too
        assert words["report"].endswith("to fix")


async def test_practice_picker_runs_the_scenario_and_matches_its_expectations(qtbot, tmp_path) -> None:
    window = make_window(qtbot, tmp_path)
    page = window.connect_page
    page.select_scenario("archived_product")
    assert "archived" not in page.practice.complaint.text().lower()  # the answer says it
    assert "archived" in page.practice.answer.text().lower()
    page.practice_button.click()
    await until(lambda: window.outcome is not None and settled(window))

    scenario = load_scenario("archived_product")
    got = {c.id: c.status.value for c in window.outcome.diagnosis.checks}
    assert {k: got[k] for k in scenario.expect} == dict(scenario.expect)
    for row, p in enumerate(window.pages):
        ids = p.check_ids or tuple(got)
        worst = max((Status(got[c]) for c in ids), key=SEVERITY.__getitem__)
        assert window.sidebar.status_at(row) is worst, p.step_id
    assert window.account_label.text().startswith("Practice:")
    first = window._practice.server
    assert first is not None

    # switching stops the first server and serves the new account
    page.select_scenario("healthy")
    page.practice_button.click()
    await until(lambda: window.outcome is not None and settled(window))
    assert window._practice.server is not first
    with pytest.raises(RuntimeError):
        _ = first.base_url  # stopped
    assert window._settings.value("practice/last") == "healthy"

    # typing a real key leaves practice mode and stops the server
    page.key_field.setFocus()
    page.key_field.selectAll()
    qtbot.keyClicks(page.key_field, "sk_test_somethingelse_1234")
    assert window._practice.server is None
    assert not page.practice_active
    window.close()


async def test_current_step_is_bold_and_ctrl_digits_jump(qtbot, tmp_path) -> None:
    window = make_window(qtbot, tmp_path)
    window.step_shortcuts[2].trigger()
    assert window.sidebar.currentRow() == 2
    assert window.stack.currentWidget() is window.pages[2]
    assert window.sidebar.item(2).font().bold()
    assert not window.sidebar.item(0).font().bold()
    assert isinstance(window.sidebar.item(2).font(), QFont)
    assert [s.shortcut().toString() for s in window.step_shortcuts] == [f"Ctrl+{i}" for i in range(1, 8)]
