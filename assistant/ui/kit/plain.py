"""Text from an account is shown as typed, never as rich text: the one way the window does it.

Qt guesses. A tooltip, and a label or message box left at its default format, is drawn as HTML
whenever its first line "might be rich text", so a customer who names themself
`<img src="file:///dev/zero">Mallory` in the portal makes hovering the status line read
/dev/zero on the UI thread (the window stops), and a live customer's name can print a fake
"TEST MODE" line in big green type over the question that guards a live write. Business,
product, price, configuration and customer names, e-mails, URLs and anything Stripe or a
history file says go through here:

- `plain_tooltip(text)`: a tooltip that reads as `text` (escaped HTML when it holds `<` or
  `&`, which Qt cannot mistake; very long text shortened);
- `set_plain(label, text)`: a label whose text is never interpreted;
- `plain_message_box(...)`: a message box that never interprets its text nor opens a link.

Rich text the app builds on purpose (Dashboard links: `url_text.linkify`; talk tracks; the
report preview) escapes every piece of account data it holds. `tests/ui/kit/test_plain.py`
keeps every tooltip, status tip and What's This that is not a literal going through here.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

# A tooltip longer than this is shortened: a 200 KB name laid out in a tooltip costs seconds.
TOOLTIP_CHARS = 1000
# A name in a question is shortened too: the box must stay on the screen, and the id says who.
QUESTION_NAME_CHARS = 120
_ELLIPSIS = "…"
_SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard


def shortened(text: str, limit: int) -> str:
    """`text`, cut to `limit` characters with an ellipsis when longer."""
    return text if len(text) <= limit else text[: max(0, limit - 1)] + _ELLIPSIS


def plain_tooltip(text: str, limit: int = TOOLTIP_CHARS) -> str:
    """A tooltip that shows `text` as typed. Without `<` or `&`, Qt cannot take it for rich
    text, so it is returned as it is; otherwise it is escaped and wrapped in a paragraph that
    keeps its spaces and line breaks, so Qt renders exactly the characters of `text` (blank
    lines before and after it aside)."""
    text = shortened(text, limit).strip("\n")
    if "<" not in text and "&" not in text:
        return text
    return f'<p style="white-space:pre-wrap">{html.escape(text, quote=False)}</p>'


def set_plain(label: QLabel, text: str) -> None:
    """Show `text` in `label` as typed (Qt's default would guess, and may render it as HTML)."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)


def plain_message_box(icon: QMessageBox.Icon, title: str, text: str,
                      buttons: QMessageBox.StandardButton, parent: QWidget | None = None) -> QMessageBox:
    """A message box whose text is shown as typed (wrapped, selectable) and that opens no link:
    the only kind the app shows, since its questions name accounts and customers."""
    box = QMessageBox(icon, title, "", buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setTextInteractionFlags(_SELECTABLE)  # never LinksAccessibleByMouse
    box.setText(text)
    for label in box.findChildren(QLabel):
        label.setOpenExternalLinks(False)
        if label.objectName() == "qt_msgbox_label":
            label.setWordWrap(True)  # plain text does not wrap by itself: a long name would widen the box
    return box
