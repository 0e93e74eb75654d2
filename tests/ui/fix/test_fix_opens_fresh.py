"""Fix… opens fresh from the current findings every time (issue 22, item 1): after an Apply and
an Undo, or after Esc, the preview shows no value typed before, the cursor is in its first
input, what the agent types reaches the preview, and Apply sends exactly what the preview shows.

Driven through the real window over real HTTP to the practice account `no_return_url`; what was
written is read from the practice server's own request log."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from support.fix_window import open_preview, window_on_card
from support.practice import practice
from support.window import until, visible_texts

from assistant.diagnosis.model import Status

FIRST = "https://app.practice.example/first"
SECOND = "https://app.practice.example/second"
CONFIG_POSTS = "/v1/billing_portal/configurations/"


def _return_urls_sent(server) -> list[object]:
    """The `default_return_url` of every configuration write the server received, in order."""
    return [params.get("default_return_url") for method, path, params, _ in server.request_log
            if method == "POST" and path.startswith(CONFIG_POSTS)]


async def _open(qtbot, card, opened):
    preview = await open_preview(qtbot, card, opened)
    await until(lambda: QApplication.focusWidget() is preview.input, timeout=3,
                what="the cursor in the preview's input")
    return preview


def _shown(preview) -> str:
    return "\n".join(text for _, text in visible_texts(preview))


async def _window_on_no_return_url(qtbot, tmp_path, server, scenario):
    return await window_on_card(qtbot, tmp_path, server, scenario, "return_url", "portal.return_url")


async def _type_apply_and_check(qtbot, window, card, preview, server) -> None:
    """Type into whatever has the focus (as a person does), then Apply: exactly that URL is sent."""
    qtbot.keyClicks(QApplication.focusWidget(), SECOND)
    assert SECOND in _shown(preview) and FIRST not in _shown(preview)
    assert preview.fix.changes and preview.fix.changes[0].after == SECOND
    sent_before = len(_return_urls_sent(server))
    qtbot.mouseClick(preview.apply_button, Qt.MouseButton.LeftButton)
    await until(lambda: card.result.status is Status.PASS and window.fix_flow.dialog is None
                and not window.fix_controller.busy, what="the second URL to be applied")
    assert _return_urls_sent(server)[sent_before:] == [SECOND]  # no write the preview did not show


async def test_after_apply_and_undo_fix_opens_without_the_undone_url(qtbot, tmp_path) -> None:
    with practice("no_return_url") as (scenario, server):
        window, card, opened = await _window_on_no_return_url(qtbot, tmp_path, server, scenario)
        preview = await _open(qtbot, card, opened)
        qtbot.keyClicks(preview.input, FIRST)
        qtbot.mouseClick(preview.apply_button, Qt.MouseButton.LeftButton)
        await until(lambda: card.result.status is Status.PASS and card.undo_button().isVisible(),
                    what="the first URL to be applied")
        qtbot.mouseClick(card.undo_button(), Qt.MouseButton.LeftButton)
        await until(lambda: card.result.status is Status.FAIL and card.fix_button().isVisible()
                    and not window.fix_controller.busy, what="the undo")
        await until(lambda: window.state.fixes is not None and window.state.fixes.plan is not None,
                    what="the plan after the undo")
        assert _return_urls_sent(server) == [FIRST, ""]

        preview = await _open(qtbot, card, opened)
        assert FIRST not in _shown(preview), "the undone URL is still in the preview"
        assert preview.input.text() == "" and not preview.apply_button.isEnabled()
        assert not preview.fix.requests
        await _type_apply_and_check(qtbot, window, card, preview, server)
        assert _return_urls_sent(server) == [FIRST, "", SECOND]


async def test_after_esc_fix_opens_without_what_was_typed(qtbot, tmp_path) -> None:
    with practice("no_return_url") as (scenario, server):
        window, card, opened = await _window_on_no_return_url(qtbot, tmp_path, server, scenario)
        preview = await _open(qtbot, card, opened)
        qtbot.keyClicks(preview.input, FIRST)
        assert FIRST in _shown(preview)
        qtbot.keyClick(preview, Qt.Key.Key_Escape)
        await until(lambda: window.fix_flow.dialog is None, what="Esc to close the preview")

        preview = await _open(qtbot, card, opened)
        assert FIRST not in _shown(preview), "what was typed before Esc is still in the preview"
        assert preview.input.text() == "" and not preview.apply_button.isEnabled()
        await _type_apply_and_check(qtbot, window, card, preview, server)
        assert _return_urls_sent(server) == [SECOND]


async def test_apply_never_sends_what_the_preview_does_not_show(qtbot, tmp_path) -> None:
    """The field holds another URL than the preview shows (changed without the preview following):
    Apply sends nothing, shows the current plan and says so; Apply again sends what is shown now."""
    with practice("no_return_url") as (scenario, server):
        window, card, opened = await _window_on_no_return_url(qtbot, tmp_path, server, scenario)
        preview = await _open(qtbot, card, opened)
        qtbot.keyClicks(preview.input, FIRST)
        preview.input.setText(SECOND)  # no textEdited: the preview still shows FIRST
        assert preview.fix.changes[0].after == FIRST
        qtbot.mouseClick(preview.apply_button, Qt.MouseButton.LeftButton)
        assert "Nothing was sent" in preview.status_text() and preview.fix.changes[0].after == SECOND
        await until(lambda: not window.fix_controller.busy)
        assert server.write_attempts == []
        qtbot.mouseClick(preview.apply_button, Qt.MouseButton.LeftButton)
        await until(lambda: card.result.status is Status.PASS and not window.fix_controller.busy, what="the apply")
        assert _return_urls_sent(server) == [SECOND]
