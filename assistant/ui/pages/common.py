"""Shared layout of the step pages: talk track, a "Check again" bar, the step's own view and the
check cards, in one scroll area. Pages fill `self.body` and override `render_outcome`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from assistant.diagnosis.run import RunOutcome
from assistant.knowledge.base import KnowledgeBase, default_knowledge
from assistant.ui.kit import keys
from assistant.ui.kit.clipboard import Clipboard, clipboard_or_default
from assistant.ui.kit.focus_order import follow_layout
from assistant.ui.kit.table_fit import fit_table, fitter
from assistant.ui.kit.widgets import page_heading
from assistant.ui.pages.base import StepPage
from assistant.ui.results.card import CheckCard
from assistant.ui.results.talk_track import TalkTrackPanel
from assistant.ui.state.fix_state import FixState
from assistant.ui.state.window_state import WindowState

SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse  # read-only text takes no Tab stop (kit/focus_order.py)


def cell_text(table: QTableWidget, row: int, column: int) -> str:
    """What a table cell shows ("" for a cell never filled)."""
    item = table.item(row, column)
    return item.text() if item is not None else ""


def header_text(table: QTableWidget, column: int) -> str:
    """A column's header on one line (a narrow table shows it on two)."""
    item = table.horizontalHeaderItem(column)
    return item.text().replace("\n", " ") if item is not None else ""


def text_label(text: str = "", *, bold: bool = False, selectable: bool = True) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if selectable:
        label.setTextInteractionFlags(SELECTABLE)
    if bold:
        font = QFont(label.font())
        font.setBold(True)
        label.setFont(font)
    return label


def heading(text: str) -> QLabel:
    label = text_label(text, bold=True, selectable=False)
    font = QFont(label.font())
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * 1.15)
    label.setFont(font)
    return label


def fit_table_height(table: QTableWidget, min_rows: int = 3) -> None:
    """As tall as its rows (at least `min_rows`) and its columns fitted to the width
    (`table_fit`): the page is the one thing that scrolls."""
    fit_table(table, min_rows)


def configure_table(table: QTableWidget) -> None:
    """Rows selected whole, read-only, every column in view (words wrapped, ids elided with a
    tooltip), no scrolling inside (`table_fit`)."""
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
    table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move inside it
    fitter(table)


class ResultsPage(StepPage):
    """A StepPage with the common frame. Subclasses set step_id/title/check_ids and fill `body`.

    `body` starts as [talk track, check cards]; pages add their own view after the cards
    (`add_content`) or between the talk track and the cards (`add_before_cards`).
    """

    open_url_requested = Signal(str)  # an https link (Dashboard, login link) the window opens

    rerun_label = "Check again"

    def __init__(
        self,
        knowledge: KnowledgeBase | None = None,
        clipboard: Clipboard | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._knowledge = knowledge or default_knowledge()
        self._clipboard = clipboard
        self._outcome: RunOutcome | None = None
        self._busy = False
        self._busy_widgets: list[QWidget] = []
        # A busy widget that had the keyboard when it was disabled, and where Qt moved the focus.
        self._parked_focus: tuple[QWidget, QWidget | None] | None = None
        self._fixes: FixState | None = None

        self.talk_track = TalkTrackPanel(self.step_id, self._knowledge)
        self.talk_track.glossary_requested.connect(self.glossary_requested)
        # Before the first run the talk track leads (what to ask); when results first arrive
        # they lead and the track folds to one line, once: from then on it stays as the agent
        # left it, whatever later runs (or a new key) bring.
        self._talk_track_settled = False
        self.talk_track.toggled_by_agent.connect(self._agent_toggled_talk_track)

        self._heading = page_heading(self.heading_text)
        self.rerun_button = QPushButton(self.rerun_label)
        self.rerun_button.setToolTip(keys.with_keys("Read this step's settings from Stripe again", keys.CHECK_AGAIN))
        self.rerun_button.clicked.connect(self.request_rerun)
        self.add_busy_widget(self.rerun_button)
        bar = QHBoxLayout()
        bar.addWidget(self._heading, 1)
        bar.addWidget(self.rerun_button)

        self.cards: dict[str, CheckCard] = {}
        for cid in self.check_ids:
            card = CheckCard(check_id=cid, clipboard=clipboard)
            card.glossary_requested.connect(self.glossary_requested)
            card.link_activated.connect(self.open_url_requested)
            self.cards[cid] = card

        content = QWidget()
        self.body = QVBoxLayout(content)
        self.body.addWidget(self.talk_track)
        self._cards_box = QVBoxLayout()
        for card in self.cards.values():
            self._cards_box.addWidget(card)
        self.body.addLayout(self._cards_box)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the page's controls, not its frame
        scroll.setWidget(content)
        self._scroll = scroll

        outer = QVBoxLayout(self)
        outer.addLayout(bar)
        outer.addWidget(scroll, 1)

    # -- StepPage ------------------------------------------------------------------------------
    def attach(self, state: WindowState) -> None:
        super().attach(state)
        follow_layout(self)  # the page is whole now: subclasses have added their own view
        self.open_url_requested.connect(state.request_url)
        for card in self.cards.values():
            card.fix_requested.connect(state.request_fix)
            card.undo_requested.connect(state.request_undo)
        state.fixes_changed.connect(self.show_fixes)
        self.show_fixes(state.fixes)

    def show_fixes(self, fixes: FixState | None) -> None:
        """Fix… on each card the planner has a fix for, Undo where a fix can be put back."""
        self._fixes = fixes
        enabled = not self._busy and not (fixes is not None and fixes.working)
        for cid, card in self.cards.items():
            fix = fixes.fix_for(cid) if fixes is not None else None
            card.set_fix(fix.title if fix else None, undo_change=fixes.undo_for(cid) if fixes else None,
                         enabled=enabled)

    def show_outcome(self, outcome: RunOutcome | None) -> None:
        self._outcome = outcome
        diagnosis = outcome.diagnosis if outcome else None
        for cid, card in self.cards.items():
            card.set_result(diagnosis.check(cid) if diagnosis else None)
        if outcome is not None and not self._talk_track_settled:
            self._talk_track_settled = True
            self.talk_track.set_expanded(False)
        self.render_outcome(outcome)
        follow_layout(self)  # the cards made new term links, the page maybe new rows

    def _agent_toggled_talk_track(self, _checked: bool) -> None:
        self._talk_track_settled = True

    def set_busy(self, busy: bool) -> None:
        """Disabling the button the agent just pressed makes Qt pass the keyboard to the next
        field; once the button is back, the keyboard is too, unless the agent moved it meanwhile."""
        self._busy = busy
        for widget in self._busy_widgets:
            had_focus = widget.hasFocus()
            widget.setEnabled(not busy and self.can_enable(widget))
            if had_focus and not widget.isEnabled():
                self._parked_focus = (widget, QApplication.focusWidget())
        self.show_fixes(self._fixes)
        parked = self._parked_focus
        if parked is not None and parked[0].isEnabled():
            self._parked_focus = None
            if QApplication.focusWidget() is parked[1]:
                parked[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def request_rerun(self) -> None:
        self.rerun_requested.emit(self.step_id)

    def add_content(self, *items: QWidget | QLayout) -> None:
        for item in items:
            if isinstance(item, QWidget):
                self.body.addWidget(item)
            else:
                self.body.addLayout(item)

    def add_before_cards(self, *items: QWidget | QLayout) -> None:
        index = self.body.indexOf(self.talk_track) + 1
        for item in items:
            if isinstance(item, QWidget):
                self.body.insertWidget(index, item)
            else:
                self.body.insertLayout(index, item)
            index += 1

    # -- for subclasses ------------------------------------------------------------------------
    def render_outcome(self, outcome: RunOutcome | None) -> None:
        """Fill the step's own view; `outcome` None clears it."""

    def add_busy_widget(self, widget: QWidget) -> None:
        self._busy_widgets.append(widget)

    def can_enable(self, widget: QWidget) -> bool:
        """Whether a busy-controlled widget may be enabled once the run is over."""
        return True

    def refresh_enabled(self) -> None:
        self.set_busy(self._busy)

    @property
    def outcome(self) -> RunOutcome | None:
        return self._outcome

    @property
    def mode(self) -> str | None:
        return self._outcome.diagnosis.mode if self._outcome else None

    def dashboard(self, page: str) -> str:
        """A Dashboard page of the run's mode, and of the connected account it acted as, if any."""
        from assistant.knowledge.dashboard import dashboard_url

        account = self._outcome.diagnosis.connected_account if self._outcome else None
        return dashboard_url(self.mode, page, account=account)

    def clipboard(self) -> Clipboard:
        return clipboard_or_default(self._clipboard)

    def connect_open(self, button: QPushButton, url: Callable[[], str | None]) -> None:
        def _open() -> None:
            target = url()
            if target:
                self.open_url_requested.emit(target)
        button.clicked.connect(_open)
