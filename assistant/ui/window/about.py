"""Help → About: the version, the Stripe API version every request is pinned to, where the case
history and the logs are kept (with a button that opens each folder), and the licences.

What an agent reads out when support asks "which version are you on, and send us the log".
The facts are gathered by `about_facts()` and handed to the dialog, so tests give their own;
the folder is opened through the window's injected opener (a file:// URL), never directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

Opener = Callable[[str], bool]


@dataclass(frozen=True)
class AboutFacts:
    version: str
    stripe_api_version: str
    places: tuple[tuple[str, Path], ...]  # (what, folder): case history, logs
    licences: str


def about_facts() -> AboutFacts:
    """The running app's facts. Imports what it reads only when About is opened."""
    from assistant import __version__, notices
    from assistant.store.history import HistoryStore
    from assistant.store.log_file import default_log_dir
    from assistant.ui.window.support import pinned_stripe_version

    return AboutFacts(
        version=__version__,
        stripe_api_version=pinned_stripe_version(),
        places=(("Case history", HistoryStore.default_path().parent), ("Log files", default_log_dir())),
        licences=notices.full_text(),
    )


def _selectable(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    return label


class AboutDialog(QDialog):
    def __init__(self, facts: AboutFacts, *, opener: Opener, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle("About Portal Setup Assistant")
        self._opener = opener
        column = QVBoxLayout(self)

        title = QLabel(f"Portal Setup Assistant {facts.version}")
        title.setObjectName("aboutTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)
        column.addWidget(title)

        grid = QGridLayout()
        grid.addWidget(QLabel("Stripe API version"), 0, 0)
        self.api_version_label = _selectable(facts.stripe_api_version)
        self.api_version_label.setToolTip("Every request the app sends is pinned to this version.")
        grid.addWidget(self.api_version_label, 0, 1, 1, 2)
        self.place_labels: dict[str, QLabel] = {}
        self.open_buttons: dict[str, QPushButton] = {}
        for row, (what, folder) in enumerate(facts.places, start=1):
            grid.addWidget(QLabel(what), row, 0)
            self.place_labels[what] = _selectable(str(folder))
            grid.addWidget(self.place_labels[what], row, 1)
            button = QPushButton(f"Open {what.lower()} folder")
            button.setAccessibleName(f"Open the {what.lower()} folder")
            button.clicked.connect(lambda _checked=False, f=folder: self.open_folder(f))
            self.open_buttons[what] = button
            grid.addWidget(button, row, 2)
        grid.setColumnStretch(1, 1)
        column.addLayout(grid)

        self.message = _selectable("")
        self.message.setWordWrap(True)
        self.message.hide()
        column.addWidget(self.message)

        column.addWidget(QLabel("Licences of the software it is built on:"))
        self.licences = QPlainTextEdit(facts.licences)
        self.licences.setObjectName("aboutLicences")
        self.licences.setAccessibleName("Licences")
        self.licences.setReadOnly(True)
        self.licences.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.licences.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        column.addWidget(self.licences, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)
        # Wide enough for the licence texts' 80 columns in the fixed font, tall enough to read.
        line = self.fontMetrics().height()
        columns = self.licences.fontMetrics().horizontalAdvance("M" * 84)
        self.resize(max(line * 48, columns + line * 3), line * 36)

    def open_folder(self, folder: Path) -> bool:
        """Open the folder in the file manager; it is made first, since a fresh install has
        written no history or log yet. Failure says so and leaves the path to copy."""
        try:
            folder.mkdir(parents=True, exist_ok=True)
            opened = self._opener(QUrl.fromLocalFile(str(folder)).toString())
        except OSError as err:
            opened, reason, copy = False, err.strerror or type(err).__name__, "the path above can be copied"
        else:  # the window's opener copies the path of a folder that did not open
            reason, copy = "no file manager answered", "its path is copied"
        self.message.setVisible(not opened)
        if not opened:
            self.message.setText(f"Could not open {folder} ({reason}); {copy}.")
        return opened


def make_about_action(window: QMainWindow, opener: Opener,
                      facts: Callable[[], AboutFacts] = about_facts) -> QAction:
    """Help → About (on macOS Qt moves it into the application menu; the window's menu bar
    places it). The dialog is built when asked for, and is window-modal without a nested
    event loop."""
    action = QAction("&About Portal Setup Assistant", window)
    action.setObjectName("aboutAction")
    action.setMenuRole(QAction.MenuRole.AboutRole)

    def show() -> None:
        dialog = AboutDialog(facts(), opener=opener, parent=window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    action.triggered.connect(show)
    return action
