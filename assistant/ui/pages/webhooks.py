"""Step "webhooks": which endpoint hears which portal event, as a grid with marks and words.

The grid is the check's own endpoint rows and missing-event findings; the page decides nothing.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from assistant.diagnosis.checks.webhooks import (
    CID,
    REQUIRED_EVENTS,
    EndpointRow,
    endpoint_rows,
    missing_events,
)
from assistant.diagnosis.model import Status
from assistant.diagnosis.run import RunOutcome
from assistant.knowledge.base import KnowledgeBase
from assistant.knowledge.dashboard import dashboard_url
from assistant.ui.check_card import status_icon
from assistant.ui.clipboard import Clipboard
from assistant.ui.pages.common import (
    cell_text,
    ResultsPage,
    configure_table,
    fit_table_height,
    heading,
    text_label,
)

YES = "✓ yes"
ALL = "✓ yes (all events, *)"
NO = "— no"
COVERED = "✓ covered"
MISSING = "✗ MISSING"
COVERAGE_ROW = "Any enabled endpoint"


def endpoint_marks(row: EndpointRow) -> list[str]:
    if row.all_events:
        return [ALL] * len(REQUIRED_EVENTS)
    return [YES if on else NO for on in row.receives]


class WebhooksPage(ResultsPage):
    """Endpoints (rows) × the five portal events (columns); the last row says what is missing."""

    step_id = "webhooks"

    def __init__(
        self,
        knowledge: KnowledgeBase | None = None,
        clipboard: Clipboard | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(knowledge, clipboard, parent)
        self._missing: list[str] = []
        self.note = text_label("")
        self.grid = QTableWidget(0, 2 + len(REQUIRED_EVENTS))
        # Event names are long: break them at the dots so every column header reads in full.
        self.grid.setHorizontalHeaderLabels(
            ["Endpoint URL", "Status", *(e.replace(".", ".\n") for e in REQUIRED_EVENTS)])
        for column, event in enumerate(REQUIRED_EVENTS, start=2):
            header = self.grid.horizontalHeaderItem(column)
            if header is not None:
                header.setToolTip(event)
        configure_table(self.grid)
        self.grid.setAccessibleName("Portal events each webhook endpoint receives")
        self.copy_events_button = QPushButton("Copy the five event names")
        self.copy_events_button.setToolTip("For the owner to paste when adding events to an endpoint")
        self.copy_events_button.clicked.connect(self.copy_events)
        self.open_button = QPushButton("Open webhooks in Dashboard")
        self.connect_open(self.open_button, lambda: dashboard_url(self.mode, "webhooks"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_events_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        self.add_content(heading("Portal events per endpoint"), self.note, self.grid, buttons)
        self.body.addStretch(1)
        self.render_outcome(None)

    def missing(self) -> list[str]:
        return list(self._missing)

    def copy_events(self) -> None:
        self.clipboard().setText("\n".join(REQUIRED_EVENTS))

    def render_outcome(self, outcome: RunOutcome | None) -> None:
        """The endpoints and missing events as the check found them; its summary as the note."""
        self.grid.setRowCount(0)
        result = outcome.diagnosis.check(CID) if outcome else None
        if result is None:
            self._missing = []
            self.note.setText("Run the diagnosis to see the webhook endpoints.")
            fit_table_height(self.grid)
            return
        rows = endpoint_rows(result)
        missing = missing_events(result)
        self._missing = [e for e in REQUIRED_EVENTS if e in missing]
        self.note.setText(result.summary)
        read = bool(rows) or bool(missing) or result.has("webhooks.complete")
        if not read:  # skipped or an error: the summary says why, there is no grid
            fit_table_height(self.grid)
            return
        self.grid.setRowCount(len(rows) + 1)
        for r, row in enumerate(rows):
            self.grid.setItem(r, 0, QTableWidgetItem(row.url if row.url not in ("", "—") else row.endpoint_id))
            status_item = QTableWidgetItem((row.endpoint_status or "—").capitalize())
            if row.status is not Status.PASS:
                status_item.setIcon(status_icon(row.status))
                status_item.setText(f"{row.endpoint_status.capitalize()} (receives nothing)")
            self.grid.setItem(r, 1, status_item)
            for c, mark in enumerate(endpoint_marks(row), start=2):
                self.grid.setItem(r, c, QTableWidgetItem(mark))
        last = len(rows)
        self.grid.setItem(last, 0, QTableWidgetItem(COVERAGE_ROW))
        self.grid.setItem(last, 1, QTableWidgetItem(""))
        for c, event in enumerate(REQUIRED_EVENTS, start=2):
            gap = missing.get(event)
            item = QTableWidgetItem(status_icon(gap.status if gap else Status.PASS),
                                    MISSING if gap else COVERED)
            self.grid.setItem(last, c, item)
        self.grid.resizeColumnsToContents()
        fit_table_height(self.grid, min_rows=2)

    def grid_rows(self) -> list[list[str]]:
        g = self.grid
        return [[cell_text(g, r, c) for c in range(g.columnCount())]
                for r in range(g.rowCount())]


PAGE = WebhooksPage
