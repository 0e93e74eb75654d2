"""Every check of a run in a few lines: problems first with what to say, passes one line each.

The Report step's "All checks": a list the agent reads down while wrapping up, so it grows with
its rows inside the page (never a scroll area of its own), and each title is a link to the
check's known causes in the glossary.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from assistant.diagnosis.model import CheckResult
from assistant.ui.kit.widgets import IconLabel

_LINKS = Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.LinksAccessibleByMouse
# A problem's known causes are a Tab stop; a passing line is read, not acted on, so Tab skips it
# (sixteen passing lines would put the notes and Copy far from the keyboard).
_PROBLEM_LINKS = _LINKS | Qt.TextInteractionFlag.LinksAccessibleByKeyboard


def line_text(check: CheckResult) -> str:
    """A problem with its summary (what to tell the owner); anything else by its title alone."""
    if check.status.is_problem:
        return f"{check.status.label} — {check.title}: {check.summary}"
    return f"{check.status.label} — {check.title}"


def ordered(checks: Iterable[CheckResult]) -> list[CheckResult]:
    """Problems first, worst first; the rest in run order (a stable sort on severity)."""
    return sorted(checks, key=lambda c: (not c.status.is_problem, -c.status.severity if c.status.is_problem else 0))


class CheckLines(QWidget):
    """One IconLabel per check; the check's title opens its known causes."""

    check_activated = Signal(str)  # check id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("All checks")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._rows: list[IconLabel] = []
        self._texts: list[str] = []
        self._empty = QLabel()
        self._empty.setWordWrap(True)
        self._layout.addWidget(self._empty)

    def show_checks(self, checks: Iterable[CheckResult], empty: str = "") -> None:
        for row in self._rows:
            self._layout.removeWidget(row)
            row.deleteLater()
        self._rows, self._texts = [], []
        for check in ordered(checks):
            text = line_text(check)
            row = IconLabel(check.status.value, "", wrap=True)
            label = row.text_label
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setTextInteractionFlags(_PROBLEM_LINKS if check.status.is_problem else _LINKS)
            label.setText(_rich(check))
            label.setToolTip("Open what usually causes this in the glossary")
            label.linkActivated.connect(self._activated)
            row.setAccessibleName(text)
            self._layout.addWidget(row)
            self._rows.append(row)
            self._texts.append(text)
        self._empty.setText(empty)
        self._empty.setVisible(not self._rows and bool(empty))

    def texts(self) -> list[str]:
        return list(self._texts) if self._rows else ([self._empty.text()] if self._empty.text() else [])

    def rows(self) -> list[IconLabel]:
        return list(self._rows)

    def _activated(self, href: str) -> None:
        if href.startswith("check:"):
            self.check_activated.emit(href.removeprefix("check:"))


def _rich(check: CheckResult) -> str:
    title = (f'<a href="check:{html.escape(check.id, quote=True)}">{html.escape(check.title)}</a>')
    head = f"<b>{html.escape(check.status.label)}</b> — {title}"
    return f"{head}: {html.escape(check.summary)}" if check.status.is_problem else head
