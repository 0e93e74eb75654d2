"""Every link the window offers answers, with or without a browser (issue 22, item 6).

On a machine where no browser opens (a locked-down laptop, a remote session), a Dashboard link
on a card, in the glossary or in a guided fix used to do nothing but write a log line: the
agent clicked and nothing happened. Now the address goes on the clipboard and the status line
says so, as it does wherever a link is opened.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QUrl
from support.practice import practice
from support.window import make_window, paste_key, run_and_wait, until

PORTAL_SETTINGS = "https://dashboard.stripe.com/test/settings/billing/portal"


class FakeClipboard:
    def __init__(self) -> None:
        self.texts: list[str] = []

    def setText(self, text: str, /) -> None:
        self.texts.append(text)

    def setMimeData(self, data: QMimeData, /) -> None:
        self.texts.append(data.text())


class NoBrowser:
    """The opener of a machine where no browser opens: QDesktopServices says False."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, url: str) -> bool:
        self.asked.append(url)
        return False


def _said_and_copied(window, clipboard: FakeClipboard, url: str) -> bool:
    said = window.statusBar().currentMessage()
    return clipboard.texts[-1:] == [url] and "No browser opened" in said and url in said


async def _window(qtbot, tmp_path, server, scenario):
    clipboard, opener = FakeClipboard(), NoBrowser()
    window = make_window(qtbot, tmp_path, api_base=server.base_url, opener=opener, clipboard=clipboard)
    paste_key(window.connect_page.key_field, scenario.primary_key)
    await run_and_wait(window)
    return window, clipboard, opener


async def test_a_cards_dashboard_link_copies_the_address_when_no_browser_opens(qtbot, tmp_path) -> None:
    with practice("no_return_url") as (scenario, server):
        window, clipboard, opener = await _window(qtbot, tmp_path, server, scenario)
        window.go_to_step(window.step_index("return_url"))
        window.flush_pages()
        card = window.pages[window.step_index("return_url")].cards["portal.return_url"]
        assert PORTAL_SETTINGS in card.fix_label().text()
        card.fix_label().linkActivated.emit(PORTAL_SETTINGS)  # what a click on the link does
        assert opener.asked == [PORTAL_SETTINGS]
        assert _said_and_copied(window, clipboard, PORTAL_SETTINGS)


async def test_a_glossary_link_copies_the_address_when_no_browser_opens(qtbot, tmp_path) -> None:
    with practice("healthy") as (scenario, server):
        window, clipboard, opener = await _window(qtbot, tmp_path, server, scenario)
        window.show_glossary("Customer Portal")
        window.glossary.view.anchorClicked.emit(QUrl(PORTAL_SETTINGS))
        assert opener.asked == [PORTAL_SETTINGS]
        assert _said_and_copied(window, clipboard, PORTAL_SETTINGS)


async def test_a_guided_fix_link_copies_the_address_and_says_so_in_the_preview(qtbot, tmp_path) -> None:
    with practice("portal_never_saved") as (scenario, server):
        window, clipboard, opener = await _window(qtbot, tmp_path, server, scenario)
        dialogs: list = []
        window.fix_flow.dialog_opened.connect(dialogs.append)
        window.go_to_step(window.step_index("configuration"))
        window.flush_pages()
        card = window.pages[window.step_index("configuration")].cards["portal.configuration"]
        await until(lambda: card.fix_button().isVisible(), what="Fix… on the configuration card")
        card.fix_button().click()
        await until(lambda: bool(dialogs), what="the guided fix")
        dialogs[0].open_link.click()
        assert opener.asked == [PORTAL_SETTINGS]
        assert _said_and_copied(window, clipboard, PORTAL_SETTINGS)
        # the preview covers the status line: it says it there too
        assert "No browser opened" in dialogs[0].status_text() and PORTAL_SETTINGS in dialogs[0].status_text()


async def test_a_link_that_opens_says_nothing_and_copies_nothing(qtbot, tmp_path) -> None:
    with practice("no_return_url") as (scenario, server):
        opened: list[str] = []
        clipboard = FakeClipboard()
        window = make_window(qtbot, tmp_path, api_base=server.base_url, clipboard=clipboard,
                             opener=lambda url: opened.append(url) or True)
        paste_key(window.connect_page.key_field, scenario.primary_key)
        await run_and_wait(window)
        window.show_glossary("Customer Portal")
        window.glossary.view.anchorClicked.emit(QUrl(PORTAL_SETTINGS))
        assert opened == [PORTAL_SETTINGS] and clipboard.texts == []
        assert "No browser" not in window.statusBar().currentMessage()


def test_an_about_folder_that_does_not_open_has_its_path_copied(qtbot, tmp_path) -> None:
    from assistant.ui.window.about import AboutDialog

    clipboard = FakeClipboard()
    window = make_window(qtbot, tmp_path, lazy=True, opener=NoBrowser(), clipboard=clipboard)
    window.about_action.trigger()
    dialog = window.findChild(AboutDialog)
    folder = tmp_path / "logs"
    assert not dialog.open_folder(folder)
    assert clipboard.texts[-1:] == [str(folder)]
    assert "its path is copied" in dialog.message.text()
    assert window.statusBar().currentMessage() == f"No program opened it; its path is copied: {folder}"
