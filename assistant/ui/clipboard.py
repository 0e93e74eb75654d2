"""The clipboard as the window uses it: plain text, or HTML with a plain-text twin. Widgets
take one in their constructor so tests hand in a fake; None means the system clipboard."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QGuiApplication


class Clipboard(Protocol):
    def setText(self, text: str, /) -> None: ...

    def setMimeData(self, data: QMimeData, /) -> None: ...


def clipboard_or_default(clipboard: Clipboard | None) -> Clipboard:
    return clipboard if clipboard is not None else QGuiApplication.clipboard()
