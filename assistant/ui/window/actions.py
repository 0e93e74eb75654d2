"""The window's actions, its toolbar and its menu bar: one QAction per command, so the toolbar
button, the menu item and the shortcut are the same thing and never disagree.

File: Save report… (Ctrl+S), Team history…, Quit (Ctrl+Q). Edit: Copy report (Ctrl+Shift+C:
Ctrl+C belongs to whatever text has focus). View: the seven steps (Ctrl+1..7), the glossary
(F1 searches it), History (Ctrl+H). Help: User guide, About. The window connects them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QToolBar

from assistant.ui.kit.icons import icon
from assistant.ui.kit.plain import plain_tooltip

COPY_REPORT_KEYS = "Ctrl+Shift+C"


@dataclass
class WindowActions:
    run: QAction
    cancel: QAction
    copy_report: QAction
    save_report: QAction
    quit: QAction
    glossary: QAction  # stands in for the dock's own toggle until the dock exists
    search_glossary: QAction  # F1: the cursor into the glossary's search field
    history: QAction
    user_guide: QAction
    steps: list[QAction]


def _action(window: QMainWindow, text: str, keys: Sequence[str | QKeySequence.StandardKey | Qt.Key] = (),
            tip: str = "", icon_name: str = "") -> QAction:
    action = QAction(icon(icon_name), text, window) if icon_name else QAction(text, window)
    action.setShortcuts([QKeySequence(k) for k in keys])
    if tip:
        action.setToolTip(plain_tooltip(tip))
        action.setStatusTip(tip)
    window.addAction(action)  # its shortcut works wherever focus is in the window
    return action


def make_actions(window: QMainWindow, step_titles: Sequence[str]) -> WindowActions:
    """Every action of the window; `install_toolbar` and `install_menus` place them."""
    run = _action(window, "&Run all checks", ["Ctrl+R", Qt.Key.Key_F5], "Run all checks (Ctrl+R, F5)", "running")
    cancel = _action(window, "Cancel", [Qt.Key.Key_Escape], "Stop the checks that are running (Esc)", "cancelled")
    cancel.setEnabled(False)
    copy_report = _action(window, "&Copy report", [COPY_REPORT_KEYS],
                          "Copy the report, without the key, for the ticket (Ctrl+Shift+C)", "copy")
    copy_report.setEnabled(False)
    save_report = _action(window, "&Save report…", ["Ctrl+S"],
                          "Save the report as Markdown, HTML or PDF (Ctrl+S)")
    save_report.setEnabled(False)
    quit_ = _action(window, "&Quit", ["Ctrl+Q"], "Close the assistant (Ctrl+Q)")
    quit_.setMenuRole(QAction.MenuRole.QuitRole)
    glossary = QAction(icon("info"), "&Glossary", window)
    glossary.setCheckable(True)
    glossary.setToolTip("Show or hide the glossary (F1 searches it)")
    search_glossary = _action(window, "&Search the glossary", [Qt.Key.Key_F1],
                              "Type what the owner said (F1; Esc goes back)")
    history = _action(window, "&History", ["Ctrl+H"], "Saved runs and what changed since the last one (Ctrl+H)",
                      "history")
    user_guide = _action(window, "&User guide", [], "How to use the assistant on a call, and every shortcut")
    steps = [
        _action(window, f"&{row + 1}. {title}", [f"Ctrl+{row + 1}"], f"Open step {row + 1}, {title} (Ctrl+{row + 1})")
        for row, title in enumerate(step_titles)
    ]
    return WindowActions(run, cancel, copy_report, save_report, quit_, glossary, search_glossary, history,
                         user_guide, steps)


def install_toolbar(window: QMainWindow, actions: WindowActions) -> QToolBar:
    """Run and Cancel, Copy report, then the glossary and the history."""
    toolbar = QToolBar("Main toolbar")
    toolbar.setObjectName("mainToolbar")
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    toolbar.setMovable(False)
    side = round(window.fontMetrics().height() * 1.2)
    toolbar.setIconSize(QSize(side, side))
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
    toolbar.addAction(actions.run)
    toolbar.addAction(actions.cancel)
    toolbar.addSeparator()
    toolbar.addAction(actions.copy_report)
    toolbar.addSeparator()
    toolbar.addAction(actions.glossary)
    toolbar.addAction(actions.history)
    return toolbar


def install_menus(window: QMainWindow, actions: WindowActions, *, team: QAction, about: QAction) -> None:
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addAction(actions.save_report)
    file_menu.addAction(team)
    file_menu.addSeparator()
    file_menu.addAction(actions.quit)
    edit = bar.addMenu("&Edit")
    edit.addAction(actions.copy_report)
    view = bar.addMenu("&View")
    for step in actions.steps:
        view.addAction(step)
    view.addSeparator()
    view.addAction(actions.search_glossary)
    view.addAction(actions.glossary)
    view.addAction(actions.history)
    help_menu = bar.addMenu("&Help")
    help_menu.addAction(actions.user_guide)
    help_menu.addAction(about)
