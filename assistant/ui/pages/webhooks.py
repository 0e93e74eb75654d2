"""Step "webhooks": which endpoint hears which portal event, as a grid with marks and words."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from assistant.diagnosis.model import Status
from assistant.diagnosis.checks.webhooks import REQUIRED_EVENTS
from assistant.knowledge.dashboard import dashboard_url
from assistant.diagnosis.run import RunOutcome
from assistant.knowledge.base import KnowledgeBase
from assistant.account.snapshot import StripeObject
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


def endpoint_marks(endpoint: StripeObject) -> list[str]:
    enabled = set(endpoint.get("enabled_events") or [])
    if "*" in enabled:
        return [ALL] * len(REQUIRED_EVENTS)
    return [YES if e in enabled else NO for e in REQUIRED_EVENTS]


def missing_events(endpoints: list[StripeObject]) -> list[str]:
    """Portal events no *enabled* endpoint receives."""
    covered: set[str] = set()
    for ep in endpoints:
        if ep.get("status") != "enabled":
            continue
        events = set(ep.get("enabled_events") or [])
        covered.update(REQUIRED_EVENTS if "*" in events else events)
    return [e for e in REQUIRED_EVENTS if e not in covered]


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
        self.grid.setRowCount(0)
        self._missing = []
        fetched = outcome.snapshot.webhook_endpoints if outcome else None
        if fetched is None:
            self.note.setText("Run the diagnosis to see the webhook endpoints.")
            fit_table_height(self.grid)
            return
        if fetched.error is not None:
            self.note.setText(f"Could not read the webhook endpoints: {fetched.error.summary}")
            fit_table_height(self.grid)
            return
        endpoints = list(fetched.value or [])
        self._missing = missing_events(endpoints)
        if not endpoints:
            self.note.setText("No webhook endpoint is registered in this mode: the owner's app never "
                              "hears about portal changes. Missing: " + ", ".join(self._missing) + ".")
        elif self._missing:
            self.note.setText("Missing (no enabled endpoint receives them): "
                              + ", ".join(self._missing) + ".")
        else:
            self.note.setText("Every portal event reaches at least one enabled endpoint.")
        self.grid.setRowCount(len(endpoints) + 1)
        for r, ep in enumerate(endpoints):
            status = str(ep.get("status") or "—")
            self.grid.setItem(r, 0, QTableWidgetItem(str(ep.get("url") or ep.get("id") or "—")))
            status_item = QTableWidgetItem(status.capitalize())
            if status != "enabled":
                status_item.setIcon(status_icon(Status.WARN))
                status_item.setText(f"{status.capitalize()} (receives nothing)")
            self.grid.setItem(r, 1, status_item)
            for c, mark in enumerate(endpoint_marks(ep), start=2):
                self.grid.setItem(r, c, QTableWidgetItem(mark))
        last = len(endpoints)
        self.grid.setItem(last, 0, QTableWidgetItem(COVERAGE_ROW))
        self.grid.setItem(last, 1, QTableWidgetItem(""))
        for c, event in enumerate(REQUIRED_EVENTS, start=2):
            ok = event not in self._missing
            item = QTableWidgetItem(status_icon(Status.PASS if ok else Status.FAIL),
                                    COVERED if ok else MISSING)
            self.grid.setItem(last, c, item)
        self.grid.resizeColumnsToContents()
        fit_table_height(self.grid, min_rows=2)

    def grid_rows(self) -> list[list[str]]:
        g = self.grid
        return [[cell_text(g, r, c) for c in range(g.columnCount())]
                for r in range(g.rowCount())]


PAGE = WebhooksPage
