"""Help → User guide: a local page (no network) with the live-call flow and every shortcut.

The shortcuts are read from the window's own menus when the page opens, so the page can never
list a key the window does not have. When the full guide (docs/user-guide.md) sits next to the
package, as in a source checkout, a button opens it; the bundle carries only this page.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMainWindow,
    QMenu,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

import assistant

FLOW = (
    ("Paste the owner's secret or restricted key into the key field: the read-only checks start "
     "by themselves."),
    ("The first step with a problem opens. The status line and the Report step say where the "
     "problems are (\u201c1 problem: Plans and prices\u201d) and the sentence to read out."),
    "Read the sentence to the owner; the glossary (F1) explains any word they ask about.",
    "Fix\u2026 on a card shows the change before anything is written; Undo puts it back.",
    "Copy report (Ctrl+Shift+C) puts the report on the clipboard for the ticket; it never holds the key.",
)


def full_guide() -> Path | None:
    """docs/user-guide.md beside the package (a source checkout), else None."""
    guide = Path(assistant.__file__).resolve().parent.parent / "docs" / "user-guide.md"
    return guide if guide.is_file() else None


def shortcut_rows(window: QMainWindow) -> list[tuple[str, str, str]]:
    """(menu, command, keys) for every menu item, in menu order."""
    rows = []
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        if not isinstance(menu, QMenu):
            continue
        for action in menu.actions():
            if action.isSeparator():
                continue
            keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts())
            rows.append((menu_action.text().replace("&", ""), action.text().replace("&", ""), keys))
    return rows


def help_html(window: QMainWindow) -> str:
    steps = "".join(f"<li>{html.escape(line)}</li>" for line in FLOW)
    rows = "".join(
        f"<tr><td>{html.escape(menu)}</td><td>{html.escape(command)}</td><td><b>{html.escape(keys)}</b></td></tr>"
        for menu, command, keys in shortcut_rows(window)
    )
    return (f"<h2>On a call</h2><ol>{steps}</ol>"
            f"<h2>Menus and shortcuts</h2><table cellpadding='4'>"
            f"<tr><th align='left'>Menu</th><th align='left'>Command</th><th align='left'>Keys</th></tr>"
            f"{rows}</table>")


class HelpDialog(QDialog):
    def __init__(self, window: QMainWindow, open_url: Callable[[str], object],
                 guide: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.setWindowTitle("User guide — Portal Setup Assistant")
        self.setObjectName("helpDialog")
        self.page = QTextBrowser()
        self.page.setOpenLinks(False)
        self.page.setHtml(help_html(window))
        self.page.setAccessibleName("User guide")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.guide_button: QPushButton | None = None
        if guide is not None:
            self.guide_button = buttons.addButton("Open the full guide", QDialogButtonBox.ButtonRole.ActionRole)
            url = QUrl.fromLocalFile(str(guide)).toString()
            self.guide_button.clicked.connect(lambda: open_url(url))
        layout = QVBoxLayout(self)
        layout.addWidget(self.page, 1)
        layout.addWidget(buttons)
        fm = self.fontMetrics()
        self.resize(fm.averageCharWidth() * 100, fm.height() * 44)
