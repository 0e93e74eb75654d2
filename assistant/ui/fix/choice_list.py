"""The ways one problem can be repaired, as radio buttons: each with what it means for the owner's
customers, the one that keeps what the owner offered first and chosen to begin with. Hidden when
there is only one way. Plain text throughout (product and price names are account data).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QLabel, QRadioButton, QVBoxLayout, QWidget

from assistant.diagnosis.fixes.model import Fix
from assistant.ui.state.display import shown_text

FIRST_NOTE = " (keeps what the owner offered)"


class ChoiceList(QWidget):
    chosen = Signal(int)  # the index of the choice now selected

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fixChoices")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel("Choose how to repair it")
        heading.setObjectName("fixChoicesHeading")
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        self._layout.addWidget(heading)
        self._group = QButtonGroup(self)
        self._group.idToggled.connect(self._toggled)
        self.buttons: list[QRadioButton] = []
        self._meanings: list[QLabel] = []

    def set_choices(self, choices: Sequence[Fix], selected: int = 0) -> None:
        """Show these choices (again, after a re-plan), keeping `selected` chosen."""
        if [b.property("fixId") for b in self.buttons] != [c.id for c in choices]:
            self._rebuild(len(choices))
        for i, (button, meaning, fix) in enumerate(zip(self.buttons, self._meanings, choices, strict=True)):
            button.setText(shown_text(fix.title + (FIRST_NOTE if i == 0 else "")))
            button.setProperty("fixId", fix.id)
            button.setAccessibleDescription(shown_text(fix.for_customer))
            meaning.setText(shown_text(fix.for_customer))
            meaning.setVisible(bool(fix.for_customer))
        if self.buttons:
            self.buttons[min(max(selected, 0), len(self.buttons) - 1)].setChecked(True)
        self.setVisible(len(choices) > 1)

    @property
    def selected(self) -> int:
        return max(self._group.checkedId(), 0)

    def _rebuild(self, count: int) -> None:
        for button, meaning in zip(self.buttons, self._meanings, strict=True):
            self._group.removeButton(button)
            for widget in (button, meaning):
                self._layout.removeWidget(widget)
                widget.deleteLater()
        self.buttons, self._meanings = [], []
        for i in range(count):
            button = QRadioButton()
            button.setObjectName(f"fixChoice_{i}")
            meaning = QLabel()
            meaning.setObjectName(f"fixChoiceMeaning_{i}")
            meaning.setTextFormat(Qt.TextFormat.PlainText)
            meaning.setWordWrap(True)
            meaning.setIndent(button.style().pixelMetric(button.style().PixelMetric.PM_ExclusiveIndicatorWidth) + 8)
            self._group.addButton(button, i)
            self._layout.addWidget(button)
            self._layout.addWidget(meaning)
            self.buttons.append(button)
            self._meanings.append(meaning)

    def _toggled(self, index: int, checked: bool) -> None:
        if checked:
            self.chosen.emit(index)
