"""The clipboard as the window uses it: plain text, or HTML with a plain-text twin. Widgets
take one in their constructor so tests hand in a fake; None means the system clipboard. The
window hands its pages a NotifyingClipboard, so every Copy shows "Copied …" on the status line."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QMimeData, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QClipboard, QGuiApplication

from assistant.ui.kit.url_text import WORD_JOINER


class Clipboard(Protocol):
    def setText(self, text: str, /) -> None: ...

    def setMimeData(self, data: QMimeData, /) -> None: ...


def clipboard_or_default(clipboard: Clipboard | None) -> Clipboard:
    return clipboard if clipboard is not None else QGuiApplication.clipboard()


class NotifyingClipboard(QObject):
    """The clipboard every page copies through: it passes each copy on, and says what was
    copied (`copied`, one short line) so the window can show it: no Copy goes unanswered."""

    copied = Signal(str)

    def __init__(self, inner: Clipboard | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._inner = inner

    def setText(self, text: str, /) -> None:
        clipboard_or_default(self._inner).setText(text)
        self.copied.emit(describe_copy(text))

    def setMimeData(self, data: QMimeData, /) -> None:
        rich = data.hasHtml()
        clipboard_or_default(self._inner).setMimeData(data)  # the clipboard owns `data` now
        self.copied.emit("Copied the report (formatted, and Markdown for plain text)" if rich
                         else describe_copy(data.text()))


def describe_copy(text: str, width: int = 60) -> str:
    """"Copied “https://billing.stripe.com/p/…”", or "Copied 12 lines: “…”" for a block."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return "Copied nothing: there was no text"
    first = lines[0].strip()
    if len(first) > width:
        half = (width - 1) // 2
        first = f"{first[:half]}…{first[-half:]}"
    if len(lines) == 1:
        return f"Copied “{first}”"
    return f"Copied {len(lines)} lines: “{first}” …"


NOT_OPENED = "No browser opened; the address is copied: {address}"
NOT_OPENED_FILE = "No program opened it; its path is copied: {address}"  # a folder, or a local file


def copied_address(url: str) -> str:
    """What goes on the clipboard for a link that did not open: the address, or a local path."""
    qurl = QUrl(url)
    return qurl.toLocalFile() if qurl.isLocalFile() else url


def not_opened_text(url: str) -> str:
    """What the agent reads when `url` did not open: the address (a local path) is copied."""
    template = NOT_OPENED_FILE if QUrl(url).isLocalFile() else NOT_OPENED
    return template.format(address=copied_address(url))


def keep_copies_clean(clipboard: QClipboard) -> None:
    """Text the agent selects in a card and copies (Ctrl+C, or the label's context menu) comes
    from what is drawn, so an address would carry the invisible word joiners that keep it on
    one line, and a pasted link would then fail in the owner's browser or in a ticket. Qt offers
    no hook in a label's own copy, so the clipboard is cleaned the moment this app fills it."""

    def clean() -> None:
        ours = clipboard.ownsClipboard() or (  # some platforms (offscreen, Wayland) never say
            QGuiApplication.applicationState() == Qt.ApplicationState.ApplicationActive)
        if not ours:
            return  # another program's copy: never touched
        text = clipboard.text()
        if WORD_JOINER in text:
            clipboard.setText(text.replace(WORD_JOINER, ""))  # plain text: the copy as read

    clipboard.dataChanged.connect(clean)
