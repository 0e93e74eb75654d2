"""The practice-account picker on the Connect page, laid out for a trainer.

Accounts are listed by title. Below the list stands what the owner says on the call (the
complaint); the answer — which check finds it and why — waits behind a collapsed "Show the
answer" toggle, so a trainee can work the problem out before reading it. Choosing another
account folds the answer away again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from assistant.ui.kit.plain import plain_tooltip

SHOW_ANSWER = "Show the answer"
HIDE_ANSWER = "Hide the answer"


def _wrapping_label(accessible_name: str) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)  # data, never markup
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    label.setAccessibleName(accessible_name)
    return label


class PracticePicker(QGroupBox):
    """Title list, the owner's complaint, the answer behind a toggle, and the Open button.

    `scenarios` are `ScenarioInfo`-like (name, title, complaint, answer); `opened` carries the
    chosen account's name."""

    opened = Signal(str)

    def __init__(self, scenarios: Sequence[Any], parent: QWidget | None = None) -> None:
        super().__init__("Practice accounts", parent)
        self._scenarios = sorted(scenarios, key=lambda s: (s.title.casefold(), s.name))

        self.combo = QComboBox()
        self.combo.setAccessibleName("Practice account")
        # Narrow enough for a page beside the glossary; the popup still shows whole titles.
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(18)
        for info in self._scenarios:
            self.combo.addItem(info.title, info.name)
            self.combo.setItemData(self.combo.count() - 1, plain_tooltip(info.complaint), Qt.ItemDataRole.ToolTipRole)
        label = QLabel("Pr&actice account:")
        label.setBuddy(self.combo)
        self.open_button = QPushButton("Open &practice account")
        self.open_button.setAccessibleName("Open practice account")
        self.open_button.setEnabled(bool(self._scenarios))

        self.complaint = _wrapping_label("What the owner says")
        self.answer_toggle = QToolButton()
        self.answer_toggle.setCheckable(True)
        self.answer_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.answer_toggle.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Tab reaches it; Space opens it
        self.answer_toggle.setAutoRaise(True)
        self.answer = _wrapping_label("The answer")
        self.answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.combo, 1)
        row.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.complaint)
        layout.addWidget(self.answer_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.answer)

        self.open_button.clicked.connect(self._open)
        self.combo.currentIndexChanged.connect(self._show_selected)
        self.answer_toggle.toggled.connect(self._fold)
        if self._scenarios:
            self._show_selected()
        else:
            self.complaint.setText("No practice accounts are installed.")
            self.answer_toggle.hide()
        self._fold(False)

    # -- what the page reads --------------------------------------------------------------

    def names(self) -> list[str]:
        return [info.name for info in self._scenarios]

    def titles(self) -> list[str]:
        return [self.combo.itemText(i) for i in range(self.combo.count())]

    def selected(self) -> str | None:
        name: str | None = self.combo.currentData()
        return name

    def select(self, name: str) -> None:
        index = self.combo.findData(name)
        if index >= 0:
            self.combo.setCurrentIndex(index)

    @property
    def answer_shown(self) -> bool:
        return self.answer_toggle.isChecked()

    def set_busy(self, busy: bool) -> None:
        self.open_button.setEnabled(not busy and bool(self._scenarios))

    # -- behaviour ------------------------------------------------------------------------

    def _open(self) -> None:
        name = self.selected()
        if name:
            self.opened.emit(name)

    def _show_selected(self) -> None:
        index = self.combo.currentIndex()
        if not 0 <= index < len(self._scenarios):
            return
        info = self._scenarios[index]
        self.complaint.setText(f"The owner says: “{info.complaint}”")
        self.answer.setText(info.answer)
        self.answer_toggle.setChecked(False)  # a new account: its answer starts hidden

    def _fold(self, shown: bool) -> None:
        self.answer.setVisible(shown)
        self.answer_toggle.setText(HIDE_ANSWER if shown else SHOW_ANSWER)
        self.answer_toggle.setAccessibleName(HIDE_ANSWER if shown else SHOW_ANSWER)
        self.answer_toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
