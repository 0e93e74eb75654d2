"""The checklist sidebar: one row per step with an icon AND words for its status.

A step's icon is the worst of its checks' statuses; its words are the run's own tally
(`diagnosis/summary.py`): "3. Plans and prices — 1 problem", "— OK", "— not run", and the
Report row speaks for the whole run ("7. Report — 1 problem to fix"). The current step is
bold, so neither position nor state ever depends on colour alone.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from assistant.diagnosis.asks.model import REFUSED
from assistant.diagnosis.model import Diagnosis, Status, worst
from assistant.diagnosis.summary import step_tallies
from assistant.report.asked import asks_news
from assistant.ui.kit.icons import CANCELLED, NOT_RUN, RUNNING, status_icon
from assistant.ui.kit.plain import plain_tooltip

# The one ranking (diagnosis/status.py): a FAIL (the set-up is wrong) outranks an ERROR (we could not tell).
SEVERITY = {s: s.severity for s in Status}
State = Status | str
# Before, during and after a run that did not finish: said in words, like a run's tally.
PLAIN_WORDS = {NOT_RUN: "not run", RUNNING: "checking…", CANCELLED: "cancelled"}
# The words a row usually carries, for the sidebar's width (longer ones wrap onto a second line):
# the last two are the Report row's, which is often the current (bold) one.
_USUAL_WORDS = ("2 problems", PLAIN_WORDS[CANCELLED], "2 problems to fix", asks_news({REFUSED: 1}))


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
        self._words: list[str] = [PLAIN_WORDS[NOT_RUN]] * len(titles)
        for _ in titles:
            self.addItem(QListWidgetItem())
        for row in range(len(titles)):
            self._paint(row)
        self.currentRowChanged.connect(self._embolden)
        bold_font = QFont(self.font())
        bold_font.setBold(True)  # the current row is bold: it must fit too
        bold = QFontMetrics(bold_font)
        longest = max((self._text(r, w) for r in range(len(titles)) for w in _USUAL_WORDS[:2]),
                      key=bold.horizontalAdvance, default="")
        if titles:
            longest = max((longest, *(self._text(len(titles) - 1, w) for w in _USUAL_WORDS[2:])),
                          key=bold.horizontalAdvance)
        self.setMinimumWidth(bold.horizontalAdvance(longest) + side + fm.averageCharWidth() * 3)

    def status_at(self, row: int) -> State:
        return self._states[row]

    def item_text(self, row: int) -> str:
        return self.item(row).text()

    def words_at(self, row: int) -> str:
        """What the row says after its title: "1 problem", "OK", "not run"."""
        return self._words[row]

    def set_state(self, row: int, state: State, detail: str = "", words: str | None = None) -> None:
        self._states[row] = state
        self._details[row] = detail
        self._words[row] = words if words is not None else PLAIN_WORDS.get(str(state), str(state))
        self._paint(row)

    def set_all(self, state: State) -> None:
        for row in range(self.count()):
            self.set_state(row, state)

    def show_diagnosis(self, diagnosis: Diagnosis) -> None:
        """Each row from its step's checks, in the run's own words (rows in checklist order)."""
        for row, tally in enumerate(step_tallies(diagnosis)):
            detail = "\n".join(f"{c.status.label}: {c.title}" for c in tally.results)
            state = worst(c.status for c in tally.results) or NOT_RUN
            self.set_state(row, state, detail, tally.words)

    def add_news(self, row: int, words: str, detail: str = "") -> None:
        """What the run's checks do not say but the agent learnt since (Stripe refused a flow
        when asked): at least a warning's icon, and the news beside the tally ("OK" gives way)."""
        state = self._states[row]
        if isinstance(state, Status):
            self._states[row] = worst((state, Status.WARN)) or Status.WARN
            self._words[row] = words if state in (Status.PASS, Status.SKIP) else f"{self._words[row]}, {words}"
        else:
            self._words[row] = f"{self._words[row]}, {words}"
        if detail:
            self._details[row] = "\n".join(d for d in (self._details[row], detail) if d)
        self._paint(row)

    def _text(self, row: int, words: str) -> str:
        return f"{row + 1}. {self._titles[row]} — {words}"

    def _paint(self, row: int) -> None:
        item = self.item(row)
        state = self._states[row]
        text = self._text(row, self._words[row])
        item.setText(text)
        item.setIcon(status_icon(state))
        item.setData(Qt.ItemDataRole.AccessibleTextRole, text)
        tip = f"{self._titles[row]}: {self._words[row]} (Ctrl+{row + 1})"
        if self._details[row]:
            tip += "\n" + self._details[row]
        item.setToolTip(plain_tooltip(tip))

    def _embolden(self, current: int) -> None:
        for row in range(self.count()):
            item = self.item(row)
            font = QFont(item.font())
            font.setBold(row == current)
            item.setFont(font)


__all__ = ["ChecklistSidebar", "NOT_RUN", "RUNNING", "CANCELLED", "SEVERITY"]
