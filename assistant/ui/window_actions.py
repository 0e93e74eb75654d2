"""The window's toolbar, its actions and the Ctrl+1..7 step shortcuts."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QMainWindow, QToolBar

from assistant.ui.icons import icon


@dataclass
class WindowActions:
    run: QAction
    cancel: QAction
    glossary: QAction  # stands in for the dock's own toggle until the dock exists
    search_glossary: QAction  # F1: the cursor into the glossary's search field
    history: QAction
    steps: list[QShortcut]


def make_actions(window: QMainWindow, step_count: int, extra: list[QAction]) -> WindowActions:
    """Build the toolbar; the window connects the actions. `extra` go at its end (team settings)."""
    toolbar = QToolBar("Main toolbar")
    toolbar.setObjectName("mainToolbar")
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    toolbar.setMovable(False)
    side = round(window.fontMetrics().height() * 1.2)
    toolbar.setIconSize(QSize(side, side))
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)

    run = QAction(icon("running"), "&Run all checks", window)
    run.setShortcuts([QKeySequence("Ctrl+R"), QKeySequence(Qt.Key.Key_F5)])
    run.setToolTip("Run all checks (Ctrl+R, F5)")
    cancel = QAction(icon("cancelled"), "Cancel", window)
    cancel.setShortcut(QKeySequence(Qt.Key.Key_Escape))
    cancel.setToolTip("Stop the checks that are running (Esc)")
    cancel.setEnabled(False)
    glossary = QAction(icon("info"), "&Glossary", window)
    glossary.setCheckable(True)
    glossary.setToolTip("Show or hide the glossary (F1 searches it)")
    search_glossary = QAction("&Search the glossary", window)
    search_glossary.setShortcut(QKeySequence(Qt.Key.Key_F1))
    search_glossary.setToolTip("Type what the owner said (F1; Esc goes back)")
    window.addAction(search_glossary)
    history = QAction(icon("history"), "&History", window)
    history.setShortcut(QKeySequence("Ctrl+H"))
    history.setToolTip("Saved runs and what changed since the last one (Ctrl+H)")

    for action in (run, cancel):
        toolbar.addAction(action)
        window.addAction(action)
    toolbar.addSeparator()
    for action in (glossary, history, *extra):
        toolbar.addAction(action)
        window.addAction(action)
    steps = []
    for row in range(step_count):
        shortcut = QShortcut(QKeySequence(f"Ctrl+{row + 1}"), window)
        steps.append(shortcut)
    return WindowActions(run, cancel, glossary, search_glossary, history, steps)
