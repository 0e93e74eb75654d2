"""The one way the window opens an address: every link (a card's Dashboard link, the glossary,
a guided fix, the portal session, Help, About's folders) comes through `LinkOpener.open`.

A link that does nothing is worse than no link: the agent clicks again, then doubts the app.
Where no browser opens (QDesktopServices says False, or the opener fails), the address goes on
the clipboard and the status line says so, so the agent can paste it into a browser or a chat.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from assistant.ui.kit.clipboard import Clipboard, copied_address, not_opened_text
from assistant.ui.window.support import Opener

log = logging.getLogger(__name__)

class LinkOpener:
    """Opens with the injected opener; when nothing opened, copies the address and says so."""

    def __init__(self, opener: Opener, clipboard: Clipboard, say: Callable[[str], None]) -> None:
        self._opener = opener
        self._clipboard = clipboard
        self._say = say

    def open(self, url: str) -> bool:
        try:
            opened = bool(self._opener(url))
        except Exception as err:
            log.warning("opening a link failed: %s", type(err).__name__)
            opened = False
        if not opened:
            self._clipboard.setText(copied_address(url))
            self._say(not_opened_text(url))
        return opened
