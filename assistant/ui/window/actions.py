"""The window's actions, its toolbar and its menu bar: one QAction per command, so the toolbar
button, the menu item and the shortcut are the same thing and never disagree.

File: Save report… (Ctrl+S), Team history…, Quit (Ctrl+Q). Edit: Copy report (Ctrl+Shift+C:
Ctrl+C belongs to whatever text has focus). View: the seven steps (Ctrl+1..7), the glossary
(F1 searches it), History (Ctrl+H). Checks: Run all checks (Ctrl+R, F5), Check again
(Ctrl+Shift+R: every check, this step stays), Cancel (Esc), Fix the first problem…
(Ctrl+Shift+F), Open customer portal (Ctrl+Shift+P). Help: User guide, About. The keys are
written once, in `kit/keys.py`; each tooltip names them from there. The window connects them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QToolBar

from assistant.ui.kit import keys as k
from assistant.ui.kit.icons import icon
from assistant.ui.kit.plain import plain_tooltip

COPY_REPORT_KEYS = k.COPY_REPORT[0]


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
    check_again: QAction  # every check again, the step on screen stays (a page's "Check again")
    fix_first: QAction  # the preview of the first problem's fix (the step on screen first)
    open_portal: QAction  # a portal session for the customer the checks found


def _action(window: QMainWindow, text: str, keys: Sequence[str] = (), tip: str = "",
            icon_name: str = "") -> QAction:
    """An action whose tooltip and status tip end with its keys, so they are written once."""
    action = QAction(icon(icon_name), text, window) if icon_name else QAction(text, window)
    action.setShortcuts([QKeySequence(key) for key in keys])
    if tip:
        action.setToolTip(plain_tooltip(k.with_keys(tip, keys)))
        action.setStatusTip(k.with_keys(tip, keys))
    window.addAction(action)  # its shortcut works wherever focus is in the window
    return action


def make_actions(window: QMainWindow, step_titles: Sequence[str]) -> WindowActions:
    """Every action of the window; `install_toolbar` and `install_menus` place them."""
    run = _action(window, "&Run all checks", k.RUN_ALL, "Run all checks", "running")
    cancel = _action(window, "Cancel", k.CANCEL, "Stop the checks that are running", "cancelled")
    cancel.setEnabled(False)
    copy_report = _action(window, "&Copy report", k.COPY_REPORT,
                          "Copy the report, without the key, for the ticket", "copy")
    copy_report.setEnabled(False)
    save_report = _action(window, "&Save report…", k.SAVE_REPORT, "Save the report as Markdown, HTML or PDF")
    save_report.setEnabled(False)
    quit_ = _action(window, "&Quit", k.QUIT, "Close the assistant")
    quit_.setMenuRole(QAction.MenuRole.QuitRole)
    glossary = QAction(icon("info"), "&Glossary", window)
    glossary.setCheckable(True)
    glossary.setToolTip(f"Show or hide the glossary ({k.keys_text(k.SEARCH_GLOSSARY)} searches it)")
    search_glossary = _action(window, "&Search the glossary", k.SEARCH_GLOSSARY,
                              "Type what the owner said (Esc goes back)")
    history = _action(window, "&History", k.HISTORY, "Saved runs and what changed since the last one", "history")
    user_guide = _action(window, "&User guide", (), "How to use the assistant on a call, and every shortcut")
    steps = [
        _action(window, f"&{row + 1}. {title}", [f"Ctrl+{row + 1}"], f"Open step {row + 1}, {title}")
        for row, title in enumerate(step_titles)
    ]
    check_again = _action(window, "Check &again", k.CHECK_AGAIN,
                          "Run every check again and stay on this step")
    fix_first = _action(window, "&Fix the first problem…", k.FIX_FIRST,
                        "Preview the fix of the first problem (this step's first), before anything changes")
    open_portal = _action(window, "&Open customer portal", k.OPEN_PORTAL,
                          "Create a portal session for the customer the checks found, and open it")
    return WindowActions(run, cancel, copy_report, save_report, quit_, glossary, search_glossary, history,
                         user_guide, steps, check_again, fix_first, open_portal)


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
    checks = bar.addMenu("Chec&ks")  # Alt+C is the Connect page's "Check key"
    checks.addAction(actions.run)
    checks.addAction(actions.check_again)
    checks.addAction(actions.cancel)
    checks.addSeparator()
    checks.addAction(actions.fix_first)
    checks.addAction(actions.open_portal)
    help_menu = bar.addMenu("&Help")
    help_menu.addAction(actions.user_guide)
    help_menu.addAction(about)
