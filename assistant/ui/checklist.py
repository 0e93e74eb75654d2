"""The checklist sidebar: one row per step with an icon AND a word for its status.

A step's status is the worst of its checks' statuses; the current step is bold, so neither
position nor state ever depends on colour alone.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from assistant.diagnosis.model import Diagnosis, Status, worst
from assistant.ui.icons import CANCELLED, NOT_RUN, RUNNING, state_word, status_icon

# The one ranking (diagnosis/status.py): a FAIL (the set-up is wrong) outranks an ERROR (we could not tell).
SEVERITY = {s: s.severity for s in Status}
State = Status | str


def step_state(diagnosis: Diagnosis, check_ids: Iterable[str]) -> State:
    """Worst status among the step's checks (all checks when `check_ids` is empty)."""
    ids = tuple(check_ids)
    results = [c for c in diagnosis.checks if not ids or c.id in ids]
    if not results:
        return NOT_RUN
    return worst(c.status for c in results) or NOT_RUN


class ChecklistSidebar(QListWidget):
    """Up/Down move between steps (QListWidget's own keys); the window adds Ctrl+1..7."""

    def __init__(self, titles: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Checklist")
        self.setAccessibleDescription("The seven set-up steps and the status of each")
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        fm = self.fontMetrics()
        side = round(fm.height() * 1.25)
        self.setIconSize(QSize(side, side))
        self.setSpacing(max(2, fm.height() // 5))
        self._titles = list(titles)
        self._states: list[State] = [NOT_RUN] * len(titles)
        self._details: list[str] = [""] * len(titles)
        for _ in titles:
            self.addItem(QListWidgetItem())
        for row in range(len(titles)):
            self._paint(row)
        self.currentRowChanged.connect(self._embolden)
        longest = max((self._text(r, CANCELLED) for r in range(len(titles))), key=fm.horizontalAdvance, default="")
        self.setMinimumWidth(fm.horizontalAdvance(longest) + side + fm.averageCharWidth() * 5)

    def status_at(self, row: int) -> State:
        return self._states[row]

    def item_text(self, row: int) -> str:
        return self.item(row).text()

    def set_state(self, row: int, state: State, detail: str = "") -> None:
        self._states[row] = state
        self._details[row] = detail
        self._paint(row)

    def set_all(self, state: State) -> None:
        for row in range(self.count()):
            self.set_state(row, state)

    def show_diagnosis(self, diagnosis: Diagnosis, steps: Iterable[tuple[str, ...]]) -> None:
        """Each row from its step's checks (`steps`: each row's check ids, empty = all)."""
        for row, ids in enumerate(steps):
            detail = "\n".join(
                f"{c.status.label}: {c.title}" for c in diagnosis.checks if not ids or c.id in ids
            )
            self.set_state(row, step_state(diagnosis, ids), detail)

    def _text(self, row: int, state: State) -> str:
        return f"{row + 1}. {self._titles[row]} — {state_word(state)}"

    def _paint(self, row: int) -> None:
        item = self.item(row)
        state = self._states[row]
        text = self._text(row, state)
        item.setText(text)
        item.setIcon(status_icon(state))
        item.setData(Qt.ItemDataRole.AccessibleTextRole, text)
        tip = f"{self._titles[row]}: {state_word(state)} (Ctrl+{row + 1})"
        if self._details[row]:
            tip += "\n" + self._details[row]
        item.setToolTip(tip)

    def _embolden(self, current: int) -> None:
        for row in range(self.count()):
            item = self.item(row)
            font = QFont(item.font())
            font.setBold(row == current)
            item.setFont(font)


__all__ = ["ChecklistSidebar", "step_state", "NOT_RUN", "RUNNING", "CANCELLED", "SEVERITY"]
