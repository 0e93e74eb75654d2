"""Case history window: past runs on the left, the chosen one read-only on the right.

An agent opens it on a follow-up call to answer "what changed since last time?", so the changes
since the previous run of the same account (and mode) come first, before the full list of checks.
Everything shown comes from `HistoryStore`, which only ever holds redacted text and a masked
key; free text is redacted once more on the way to the screen, so a planted key can never show.
Status always reads as a word next to an icon, never as colour alone.

With a team database every agent's runs are listed with the agent's name, each open run says
who ran it and what was changed on the account after it ("Sam, yesterday: 1 problem — return
URL set by Sam"), and the changes guided fixes made to the account are listed with their
before and after values. A line at the top says where the runs come from (the team database,
or this computer while it is away).

Nothing here reads the history on the Qt thread: the list and the open run are read on a
worker thread (`reads.py`) and shown when they arrive, so a team database that drops
between two clicks costs the agent a "Reading run #7…" line, never a frozen window. A read
slower than `SLOW_READ_MS` says so and hides the run shown before, so one run's contents
never appear under another's name. A read past `READ_DEADLINE_S` (a team table someone holds
locked answers nothing, ever) is given up on: the window says the team database did not answer
in time, in the words the command line uses, and lists this computer's runs instead.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QMimeData, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from assistant.diagnosis.asks.model import ACCEPTED
from assistant.diagnosis.model import Diagnosis, Status
from assistant.diagnosis.status import worst as worst_of
from assistant.report.asked import HEADING as ASKED_HEADING
from assistant.report.asked import asked_lines, asks_news, sessions_line
from assistant.report.call_changes import MadeChange
from assistant.report.context import report_times
from assistant.report.render import render
from assistant.store.ask_log import asked
from assistant.store.call_changes import call_records, made_changes
from assistant.store.case_history import CaseHistory, Sharing, history_did_not_answer, no_answer_in_time
from assistant.store.history import CheckChange, RunSummary
from assistant.store.records import AccountChange, AskRecord
from assistant.store.summaries import change_detail, change_phrase, run_line
from assistant.ui.history.reads import HistoryReads, ReadTimedOut, RunRead, Runs, read_run, read_runs
from assistant.ui.history.wording import (
    KIND_ORDER,
    KIND_WORDS,
    MODE_WORDS,
    account_cell,
    account_text,
    change_icon,
    change_text,
    counts_text,
    local_time,
    mode_word,
    one_line,
    result_cell,
    safe,
    sorted_changes,
    worst_status,
)
from assistant.ui.kit import icons
from assistant.ui.kit.clipboard import Clipboard, clipboard_or_default, describe_copy
from assistant.ui.kit.plain import plain_tooltip
from assistant.ui.kit.widgets import IconLabel
from assistant.ui.results.card import CheckCard

EMPTY_TEXT = "No saved runs yet. Every diagnosis you run is saved here (never the key)."
READING_TEXT = "Reading the saved runs…"
READ_FAILED_TEXT = "The case history could not be read just now; press F5 to try again."
SLOW_READ_MS = 150  # a read taking longer than this says "Reading…" (quicker ones never flash)
READ_DEADLINE_S = 10.0  # a read still running after this long is given up on
CHANGES_HEADING = "Changes since the previous run of this account"
FIRST_RUN_TEXT = "First run for this account"
ALL_ACCOUNTS = "All accounts"

COLUMNS = ("When", "Agent", "Account", "Mode", "Result", "Ticket")
COL_WHEN, COL_AGENT, COL_ACCOUNT, COL_MODE, COL_RESULT, COL_TICKET = range(len(COLUMNS))
TYPED_COLUMNS = {COL_AGENT: 14, COL_TICKET: 14}  # at most this many average characters wide
ACCOUNT_CHANGES_HEADING = "Changes made to this account"
NO_ACCOUNT_CHANGES = "No recorded change to this account."
RUN_ID_ROLE = Qt.ItemDataRole.UserRole

_SELECTABLE = (Qt.TextInteractionFlag.TextSelectableByMouse
               | Qt.TextInteractionFlag.TextSelectableByKeyboard)


# -- small widgets ----------------------------------------------------------------------------
def _text(text: str = "", *, bold: bool = False, scale: float = 1.0) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(_SELECTABLE)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    if bold or scale != 1.0:
        font = QFont(label.font())
        font.setBold(bold)
        if scale != 1.0 and font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * scale)
        label.setFont(font)
    return label


# -- the dialog -------------------------------------------------------------------------------
class HistoryDialog(QDialog):
    """Browse saved runs; the selected one opens read-only with what changed since the last run.

    Arrow keys move through the runs (each opens as it is selected), Enter moves the focus into
    the open run so it can be scrolled and read, Esc closes, F5 reloads from the store.
    """

    run_opened = Signal(int)  # run id, when the agent presses Enter / double-clicks a run
    report_copied = Signal(int)  # run id whose report went on the clipboard
    glossary_requested = Signal(str)  # a glossary chip on a check card
    open_url_requested = Signal(str)  # a Dashboard link in a check card

    def __init__(
        self,
        store: CaseHistory,
        *,
        account_id: str | None = None,
        clipboard: Clipboard | None = None,
        parent: QWidget | None = None,
        sharing: Sharing | None = None,
        read_deadline: float = READ_DEADLINE_S,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._read_deadline = read_deadline
        self._falling_back = False  # the team database timed out: this computer's runs are being read
        self._account_changes: list[AccountChange] = []
        self._asks: list[AskRecord] = []  # what Stripe said when asked, from the open run
        self._clipboard = clipboard
        self._runs: list[RunSummary] = []
        self._diagnosis: Diagnosis | None = None
        self._run_id: int | None = None
        self._cards: list[CheckCard] = []
        self.setWindowTitle("Case history")
        self.setObjectName("historyDialog")
        top = self._build_top_bar()
        self._build_runs_table()
        self._build_open_run()
        self._build_stack()
        bottom = self._build_bottom_bar()
        layout = self._layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        layout.addLayout(bottom)
        self._size_from_font()

        self._sharing = sharing
        self._listed = False  # the first listing has arrived
        self._selected: int | None = None  # the run picked in the list (maybe still loading)
        self._reads = HistoryReads(self)
        self._slow = QTimer(self)  # a read still running after this long shows "Reading…"
        self._slow.setSingleShot(True)
        self._slow.setInterval(SLOW_READ_MS)
        self._slow.timeout.connect(self._show_reading)
        self.account_filter.addItem(ALL_ACCOUNTS, None)
        self.set_account_filter(account_id)
        self.account_filter.currentIndexChanged.connect(self._on_filter_changed)
        self.empty_label.setText(READING_TEXT)
        self.copy_button.setEnabled(False)
        self._run_content.setVisible(False)
        self._read_runs(with_accounts=True)
        self._show_source()
        self.runs_table.setFocus(Qt.FocusReason.OtherFocusReason)  # arrow keys work at once

    # -- building ------------------------------------------------------------------------------
    def _build_top_bar(self) -> QHBoxLayout:
        """The account filter, where the runs come from, and Refresh."""
        self.account_filter = QComboBox()
        self.account_filter.setAccessibleName("Filter by account")
        self.account_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.account_filter.setMinimumContentsLength(24)
        filter_label = QLabel("&Account:")
        filter_label.setBuddy(self.account_filter)
        self.refresh_button = QPushButton("&Refresh")
        self.refresh_button.setToolTip("Read the saved runs again (F5)")
        self.refresh_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.refresh_button.clicked.connect(self._on_refresh_clicked)
        self.sharing_label = _text()
        self.sharing_label.setAccessibleName("Where the runs come from")
        top = QHBoxLayout()
        top.addWidget(filter_label)
        top.addWidget(self.account_filter)
        top.addWidget(self.sharing_label, 1)
        top.addWidget(self.refresh_button)
        return top

    def _build_runs_table(self) -> None:
        """Left: the saved runs, one per row, newest first."""
        self.runs_table = QTableWidget(0, len(COLUMNS))
        self.runs_table.setHorizontalHeaderLabels(list(COLUMNS))
        self.runs_table.setAccessibleName("Saved runs")
        self.runs_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.runs_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.runs_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.runs_table.setTabKeyNavigation(False)
        self.runs_table.setAlternatingRowColors(True)
        self.runs_table.setWordWrap(False)
        self.runs_table.verticalHeader().setVisible(False)
        self.runs_table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.runs_table.horizontalHeader()
        # Dates, modes and counts are short and always shown whole; what people typed (agent
        # names, tickets) gets a width from the font and is elided past it (the tooltip and
        # the open run say it whole; the agent can widen the column); the account takes
        # what is left. See `_size_columns`.
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for col in TYPED_COLUMNS:
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_ACCOUNT, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.runs_table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)  # two-line account cells
        header.setHighlightSections(False)
        self.runs_table.currentCellChanged.connect(self._on_current_cell)
        self.runs_table.activated.connect(self._on_activated)

    def _build_run_header(self) -> None:
        """The open run's heading, who ran it, and its facts (when, account, mode, key, ticket…)."""
        self.run_heading = _text("", bold=True, scale=1.2)
        self.run_heading.setAccessibleName("Run")
        self.who_label = _text()
        self.who_label.setAccessibleName("Who ran it")
        self.header_form = QFormLayout()
        self.header_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.header_form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.when_label = _text()
        self.account_label = _text()
        self.mode_label = _text()
        self.key_label = _text()
        self.ticket_label = _text()
        self.notes_label = _text()
        self.notes_label.setAccessibleName("Notes")
        self.fatal_label = _text()
        for caption, widget in (("When:", self.when_label), ("Account:", self.account_label),
                                ("Mode:", self.mode_label), ("Key:", self.key_label),
                                ("Ticket:", self.ticket_label), ("Notes:", self.notes_label),
                                ("Could not run:", self.fatal_label)):
            self.header_form.addRow(caption, widget)

    def _build_open_run(self) -> None:
        """Right: the selected run, read-only, in a scroll area the keyboard can enter."""
        self._build_run_header()
        self.changes_heading = _text(CHANGES_HEADING, bold=True, scale=1.1)
        self.changes_intro = _text()
        self.changes_box = QVBoxLayout()
        self._change_lines: list[IconLabel] = []
        self.checks_heading = _text("", bold=True, scale=1.1)
        self.cards_box = QVBoxLayout()
        self.account_changes_heading = _text(ACCOUNT_CHANGES_HEADING, bold=True, scale=1.1)
        self.account_changes_label = _text()
        self.account_changes_label.setAccessibleName(ACCOUNT_CHANGES_HEADING)
        self.asks_heading = _text(ASKED_HEADING, bold=True, scale=1.1)
        self.asks_label = _text()
        self.asks_label.setAccessibleName(ASKED_HEADING)

        content = QWidget()
        content.setObjectName("historyRun")
        self._run_content = content
        body = QVBoxLayout(content)
        body.addWidget(self.run_heading)
        body.addWidget(self.who_label)
        body.addLayout(self.header_form)
        body.addSpacing(self.fontMetrics().height() // 2)
        body.addWidget(self.changes_heading)
        body.addWidget(self.changes_intro)
        body.addLayout(self.changes_box)
        body.addSpacing(self.fontMetrics().height() // 2)
        body.addWidget(self.account_changes_heading)
        body.addWidget(self.account_changes_label)
        body.addSpacing(self.fontMetrics().height() // 2)
        body.addWidget(self.asks_heading)
        body.addWidget(self.asks_label)
        body.addWidget(self.checks_heading)
        body.addLayout(self.cards_box)
        body.addStretch(1)
        self.run_area = QScrollArea()
        self.run_area.setWidgetResizable(True)
        self.run_area.setFrameShape(QFrame.Shape.NoFrame)
        self.run_area.setWidget(content)
        self.run_area.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Enter lands here to scroll
        self.run_area.setAccessibleName("Selected run")

    def _build_stack(self) -> None:
        """The runs and the open run side by side, or a sentence while there is no run to list."""
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.runs_table)
        self.splitter.addWidget(self.run_area)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 6)
        self._splitter_moved = False
        self.splitter.splitterMoved.connect(self._on_splitter_moved)

        self.empty_label = _text(EMPTY_TEXT, scale=1.15)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setAccessibleName("No saved runs")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(self.splitter)

    def _build_bottom_bar(self) -> QHBoxLayout:
        """Copy report, the status line, Close."""
        self.copy_button = QPushButton("&Copy report")
        self.copy_button.setToolTip("Copy this run's report as formatted text and as Markdown")
        self.copy_button.clicked.connect(self._on_copy_clicked)
        self.status_label = _text()
        self.status_label.setAccessibleName("Status")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.copy_button)
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(buttons)
        # Enter in the list opens the run; it must never "press" a button behind the agent's back.
        for button in (self.refresh_button, self.copy_button,
                       *buttons.findChildren(QPushButton)):
            button.setAutoDefault(False)
            button.setDefault(False)
        return bottom

    def _size_from_font(self) -> None:
        """Widths from the font; the whole dialog as big as the screen allows, never bigger."""
        fm = self.fontMetrics()
        self.runs_table.setMinimumWidth(fm.averageCharWidth() * 60)
        self.run_area.setMinimumWidth(fm.averageCharWidth() * 56)
        size = QSize(fm.averageCharWidth() * 210, fm.lineSpacing() * 44)
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        if screen is not None:  # a small (or 2x-scaled) screen: fit it, never overflow it
            size = size.boundedTo(QSize(int(screen.width() * 0.92), int(screen.height() * 0.9)))
        self.resize(size)
        self.runs_table.verticalHeader().setMinimumSectionSize(
            fm.lineSpacing() * 2 + fm.height() // 2)

    # -- public --------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read the store (e.g. after a new run was saved), keeping the filter and selection.
        Returns at once: the list and the open run are replaced when the reads come back."""
        self.status_label.setText("")
        self._read_runs(with_accounts=True)

    def set_store(self, store: CaseHistory) -> None:
        """Settings named another history: show that one from now on."""
        self._store = store
        self._reads.forget()  # answers from the old store no longer belong here
        self._listed = False
        self._show_source()
        self.refresh()

    @property
    def loading(self) -> bool:
        """A read of the history is under way (the list or the open run may still change)."""
        return self._reads.busy

    def set_sharing(self, sharing: Sharing | None) -> None:
        """The team database's state after the last save or delivery (None: local only)."""
        self._sharing = sharing
        self._show_source()

    def _show_source(self) -> None:
        sharing = self._sharing
        store = self._store
        if sharing is None and not store.is_team:
            self.sharing_label.setText("")
            return
        where = store.where or (sharing.where if sharing else "")
        pending = sharing.pending if sharing is not None else 0
        if not self._listed:
            text = f"Reading the team history from {where}…"
        elif store.is_shared_view:
            text = f"Team history: {where}"
        else:  # the store's own sentence why (the command line says the same), when it has one
            why = sharing.problem if sharing is not None and sharing.problem else \
                "The team database is not reachable."
            text = f"Showing the runs saved on this computer. {why}"
        if pending and sharing is not None:
            text += f" · {sharing.message}"
        self.sharing_label.setText(one_line(text))

    def who_text(self) -> str:
        return self.who_label.text()

    def asked_lines(self) -> list[str]:
        """What Stripe said when asked from the open run, a line per flow (as the note says it)."""
        return [line for line in self.asks_label.text().split("\n") if line]

    def account_change_lines(self) -> list[str]:
        return [line for line in self.account_changes_label.text().split("\n") if line]

    def account_filter_id(self) -> str | None:
        value = self.account_filter.currentData()
        return str(value) if value else None

    def set_account_filter(self, account_id: str | None) -> None:
        index = self.account_filter.findData(account_id) if account_id else 0
        if index < 0:
            self.account_filter.addItem(one_line(account_id), account_id)
            index = self.account_filter.count() - 1
        self.account_filter.setCurrentIndex(index)

    def runs(self) -> list[RunSummary]:
        """The runs listed, in display order (newest first)."""
        return list(self._runs)

    def row_texts(self) -> list[str]:
        """Each listed run as the agent reads it, cells joined by " | "."""
        table = self.runs_table
        return [" | ".join((table.item(r, c) or QTableWidgetItem()).text().replace("\n", " · ")
                           for c in range(table.columnCount()))
                for r in range(table.rowCount())]

    def select_run(self, run_id: int) -> bool:
        """Pick a listed run; it opens when its read comes back (see `loading`)."""
        for row, run in enumerate(self._runs):
            if run.id == run_id:
                self.runs_table.setCurrentCell(row, 0)
                return True
        return False

    def current_run_id(self) -> int | None:
        """The run picked in the list (its contents may still be on their way)."""
        return self._selected

    def current_diagnosis(self) -> Diagnosis | None:
        """The run shown on the right, once read."""
        return self._diagnosis

    def change_lines(self) -> list[str]:
        """The "changes since the previous run" section as text (intro first, then one per check)."""
        return [self.changes_intro.text(), *(line.text() for line in self._change_lines)]

    def cards(self) -> list[CheckCard]:
        """The check cards of the open run (hidden spare cards left out)."""
        return [card for card in self._cards if not card.isHidden()]

    def call_changes(self) -> tuple[MadeChange, ...]:
        """What guided fixes changed in the call the open run belongs to (`store.call_changes`)."""
        run = next((r for r in self._runs if r.id == self._run_id), None)
        if run is None:
            return ()
        return made_changes(call_records(run.run_uid, self._runs, self._account_changes))

    def render_report(self, fmt: str) -> str:
        """The open run's ticket note, with the changes made in its call."""
        if self._diagnosis is None:
            return ""
        return render(self._diagnosis, fmt, changes=self.call_changes(), asks=asked(self._asks))

    def copy_report(self) -> None:
        """Put the open run on the clipboard: HTML for rich editors, Markdown as the plain text."""
        if self._diagnosis is None or self._run_id is None:
            return
        mime = QMimeData()
        mime.setHtml(self.render_report("html"))
        mime.setText(self.render_report("markdown"))
        clipboard_or_default(self._clipboard).setMimeData(mime)
        self.status_label.setText(f"Report of run #{self._run_id} copied (formatted and Markdown).")
        self.report_copied.emit(self._run_id)

    def _column_width(self, col: int) -> int:
        """What a column needs to show every listed cell whole (typed columns: up to their cap)."""
        table, header = self.runs_table, self.runs_table.horizontalHeader()
        width = max(header.sectionSizeHint(col), table.sizeHintForColumn(col))
        if col in TYPED_COLUMNS:
            fm = table.fontMetrics()
            cap = fm.averageCharWidth() * TYPED_COLUMNS[col] + fm.height()  # + cell padding
            width = min(width, max(cap, header.sectionSizeHint(col)))
        return width

    def _size_columns(self) -> None:
        """Typed columns as wide as their longest cell, up to their cap (the agent may drag)."""
        header = self.runs_table.horizontalHeader()
        for col in TYPED_COLUMNS:
            header.resizeSection(col, self._column_width(col))

    def _fit_splitter(self) -> None:
        """Give the list the width its columns need (within reason); the open run wraps."""
        table = self.runs_table
        needed = sum(self._column_width(c) for c in range(table.columnCount()))
        needed += table.frameWidth() * 2 + table.verticalScrollBar().sizeHint().width()
        needed += self.fontMetrics().averageCharWidth() * 2  # the splitter handle, rounding
        margins = self._layout.contentsMargins()
        total = self.width() - margins.left() - margins.right()
        left = max(table.minimumWidth(), min(needed, round(total * 0.6)))
        self.splitter.setSizes([left, max(total - left, self.run_area.minimumWidth())])

    # -- loading (every read runs on the worker thread: see reads.py) --------------------------
    def _read_runs(self, *, with_accounts: bool) -> None:
        store, account = self._store, self.account_filter_id()
        self._reads.submit("runs", lambda: read_runs(store, account, with_accounts=with_accounts),
                           lambda got: self._on_runs(got, account), self._on_read_failed,
                           deadline=self._read_deadline)
        self._slow.start()

    def _on_runs(self, got: Runs, account: str | None) -> None:
        self._falling_back = False
        if got.sharing is not None:  # read with the runs: why they come from here, if they do
            self._sharing = got.sharing
        if got.accounts is not None:
            self.account_filter.blockSignals(True)
            try:
                self._fill_accounts(got.accounts, select=account)
            finally:
                self.account_filter.blockSignals(False)
        self._listed = True
        self._show_source()
        self._show_runs(got.runs, account, keep=self._selected)
        if not self._splitter_moved:  # the agent's own split stays; else fit what is listed
            self._fit_splitter()
        self._settle()

    def _on_read_failed(self, err: BaseException) -> None:
        """A read failed in a way the store did not turn into a sentence: say so, keep the rest."""
        if isinstance(err, ReadTimedOut):
            self._timed_out()
        else:
            self._say_failure(READ_FAILED_TEXT)

    def _say_failure(self, sentence: str) -> None:
        """What is listed stays; the sentence says why nothing (more) could be read."""
        self._listed = True
        self._show_source()
        if not self._runs:
            self.empty_label.setText(sentence)
            self.stack.setCurrentWidget(self.empty_label)
        self.status_label.setText(sentence)
        self._settle()

    def _timed_out(self) -> None:
        """A read passed its deadline: say so in the command line's words; with a team
        database, list this computer's runs meanwhile (the team's ids mean nothing there)."""
        store = self._store
        sentence = (no_answer_in_time(store.where, self._read_deadline) if store.is_team
                    else history_did_not_answer(store.path))
        store.gave_up(sentence)
        if store.is_team and not self._falling_back:
            self._falling_back = True
            self.status_label.setText(sentence)
            self._sharing = replace(self._sharing, problem=sentence) if self._sharing is not None else None
            self._read_runs(with_accounts=True)
        else:
            self._say_failure(sentence)

    def _settle(self) -> None:
        if not self._reads.busy:
            self._slow.stop()
            if self.status_label.text().startswith("Reading"):
                self.status_label.setText("")

    def _show_reading(self) -> None:
        """A read is taking a while (the team database is slow or going away): say so."""
        if self._reads.pending("run") and self._selected is not None:
            self._run_content.setVisible(False)  # never the previous run under this one's name
            self.copy_button.setEnabled(False)
            self.status_label.setText(f"Reading run #{self._selected}…")
        elif self._reads.busy:
            self.status_label.setText("Reading the saved runs…")

    def _fill_accounts(self, seen: dict[str, str | None], select: str | None) -> None:
        seen = dict(seen)
        if select and select not in seen:
            seen[select] = None
        self.account_filter.clear()
        self.account_filter.addItem(ALL_ACCOUNTS, None)
        for acct, name in sorted(seen.items(), key=lambda kv: (one_line(kv[1]).lower(), kv[0])):
            self.account_filter.addItem(account_text(acct, name), acct)
        index = self.account_filter.findData(select) if select else 0
        self.account_filter.setCurrentIndex(max(index, 0))

    def _show_runs(self, runs: list[RunSummary], account: str | None, keep: int | None) -> None:
        self._runs = runs
        table = self.runs_table
        table.blockSignals(True)
        try:
            table.clearContents()
            table.setRowCount(len(self._runs))
            for row, run in enumerate(self._runs):
                self._fill_row(row, run)
        finally:
            table.blockSignals(False)
        self._size_columns()
        if not self._runs:
            self.empty_label.setText(
                EMPTY_TEXT if account is None
                else f"No saved runs for {one_line(account)} yet. Every diagnosis you run is "
                     "saved here (never the key)."
            )
            self.stack.setCurrentWidget(self.empty_label)
            self._open_run(None)
            return
        self.stack.setCurrentWidget(self.splitter)
        row = next((i for i, r in enumerate(self._runs) if r.id == keep), 0)
        table.blockSignals(True)
        try:
            table.setCurrentCell(row, 0)
        finally:
            table.blockSignals(False)
        self._open_run(self._runs[row].id)

    def _fill_row(self, row: int, run: RunSummary) -> None:
        def item(text: str, tip: str = "") -> QTableWidgetItem:
            cell = QTableWidgetItem(text)
            cell.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            cell.setToolTip(plain_tooltip(tip or text))
            return cell

        when = item(local_time(run.created_at), f"Run #{run.id}, {report_times(run.created_at).utc}")
        when.setData(RUN_ID_ROLE, run.id)
        mode = item(mode_word(run.mode))
        if run.mode in MODE_WORDS:
            mode.setIcon(icons.icon(run.mode))
        news = asks_news(run.asks)
        result = item("\n".join(t for t in (result_cell(run.counts), news) if t),
                      " · ".join(t for t in (counts_text(run.counts), news) if t))
        worst = worst_status(run.counts)
        if news:  # Stripe refused a flow asked from this run: at least a warning
            worst = worst_of(s for s in (worst, Status.WARN) if s is not None)
        if worst is not None:
            result.setIcon(icons.status_icon(worst))
        account = item(account_cell(run.account_id, run.account_name, run.connected_account),
                       account_text(run.account_id, run.account_name, run.connected_account))
        agent = item(one_line(run.agent) or "—")
        cells = (when, agent, account, mode, result, item(one_line(run.ticket)))
        for col, cell in enumerate(cells):
            self.runs_table.setItem(row, col, cell)

    def _on_current_cell(self, row: int, _col: int, prev_row: int, _prev_col: int) -> None:
        if row == prev_row:
            return
        run = self._runs[row] if 0 <= row < len(self._runs) else None
        self._open_run(run.id if run else None)

    def _on_activated(self, _index: object) -> None:
        if self._selected is None:
            return
        self.run_area.setFocus(Qt.FocusReason.OtherFocusReason)
        self.run_area.verticalScrollBar().setValue(0)
        self.run_opened.emit(self._selected)

    def _on_filter_changed(self, _index: int) -> None:
        self._read_runs(with_accounts=False)

    def _on_splitter_moved(self, _pos: int, _index: int) -> None:
        self._splitter_moved = True

    def _on_refresh_clicked(self) -> None:
        self.refresh()

    def _on_copy_clicked(self) -> None:
        self.copy_report()

    # -- the open run --------------------------------------------------------------------------
    def _open_run(self, run_id: int | None) -> None:
        """Pick a run: shown once read (the previous one stays only until "Reading…" shows)."""
        self._selected = run_id
        self.status_label.setText("")  # "copied" belonged to the run shown before
        if run_id is None:
            self._reads.cancel("run")
            self._show_run(None)
            return
        self.copy_button.setEnabled(False)  # until this run is shown: copy what is seen
        store = self._store
        listed_at = {r.id: r.created_at for r in self._runs}
        self._reads.submit("run", lambda: read_run(store, run_id, listed_at), self._on_run,
                           self._on_read_failed, deadline=self._read_deadline)
        self._slow.start()

    def _on_run(self, read: RunRead) -> None:
        self._show_run(read)
        self._settle()

    def _show_run(self, read: RunRead | None) -> None:
        diagnosis = read.diagnosis if read is not None else None
        run_id = read.run_id if read is not None and diagnosis is not None else None
        if read is not None and read.problem:
            self.status_label.setText(read.problem)
        self._run_id = run_id
        self._diagnosis = diagnosis
        self._asks = read.asks if read is not None else []
        self.copy_button.setEnabled(diagnosis is not None)
        self._run_content.setVisible(diagnosis is not None)
        if read is None or diagnosis is None or run_id is None:
            self._set_changes("", [])
            self._set_cards(diagnosis)
            return
        self.run_area.verticalScrollBar().setValue(0)
        self._fill_header(run_id, diagnosis)
        self._fill_account_changes(run_id, diagnosis, read.account_changes)
        self._fill_changes(diagnosis, read)
        self._fill_asks(diagnosis)
        if read.compare_problem:
            self.status_label.setText(read.compare_problem)
        self._set_cards(diagnosis)

    def _fill_header(self, run_id: int, d: Diagnosis) -> None:
        times = report_times(d.generated_at)
        self.run_heading.setText(f"Run #{run_id} · {local_time(d.generated_at)}")
        same = times.local.split(" ")[:2] == times.utc.split(" ")[:2]
        self.when_label.setText(times.local if same else f"{times.local} ({times.utc})")
        self.account_label.setText(account_text(d.account.id if d.account else None,
                                                d.account.name if d.account else None, d.connected_account))
        self.mode_label.setText(mode_word(d.mode))
        self.key_label.setText(one_line(d.masked_key) or "—")
        self.ticket_label.setText(one_line(d.ticket) or "—")
        self.notes_label.setText(safe(d.notes).strip() or "—")
        self.fatal_label.setText(safe(d.fatal))
        self._set_row_visible(self.fatal_label, bool(d.fatal))

    def _fill_account_changes(self, run_id: int, d: Diagnosis, changes: list[AccountChange]) -> None:
        """Who ran this run and what fixes changed on the account (by anyone), newest first."""
        run = next((r for r in self._runs if r.id == run_id), None)
        account = d.account.id if d.account else None
        self._account_changes = changes
        self.who_label.setText(safe(run_line(run, changes)) if run is not None else "")
        self.account_changes_heading.setVisible(account is not None)
        self.account_changes_label.setVisible(account is not None)
        lines = [
            f"{local_time(c.applied_at)} · {one_line(change_phrase(c))}: {one_line(change_detail(c))}"
            for c in changes
        ]
        self.account_changes_label.setText("\n".join(lines) if lines else NO_ACCOUNT_CHANGES)

    def _fill_asks(self, d: Diagnosis) -> None:
        """Stripe's own verdict on each flow asked from this run, and what the asks left behind
        (sessions that told the owner's endpoints): kept without a session link."""
        said = asked(self._asks)
        lines = [one_line(line) for line in asked_lines(said, d.generated_at)]
        if said:
            lines.append(sessions_line(sum(1 for a in said if a.outcome == ACCEPTED)))
        self.asks_label.setText("\n".join(lines))
        self.asks_heading.setVisible(bool(said))
        self.asks_label.setVisible(bool(said))

    def _set_row_visible(self, field: QWidget, visible: bool) -> None:
        position: Any = self.header_form.getWidgetPosition(field)
        row = int(position[0])
        if row >= 0:
            self.header_form.setRowVisible(row, visible)

    def _fill_changes(self, d: Diagnosis, read: RunRead) -> None:
        mode = mode_word(d.mode)
        if d.account is None:
            self._set_changes("No account was read in this run, so there is nothing to compare it with.", [])
            return
        previous = read.previous
        if previous is None:
            if not read.compare_problem:
                self._set_changes(f"{FIRST_RUN_TEXT} (in {mode} mode): nothing to compare with yet.", [])
            else:
                self._set_changes("", [])
            return
        changes = sorted_changes(read.changes)
        when = f" of {local_time(read.previous_at)}" if read.previous_at else ""
        if not changes:
            intro = f"Compared with run #{previous}{when} ({mode}): no check changed."
        else:
            tally = ", ".join(
                f"{sum(c.kind == k for c in changes)} {KIND_WORDS[k].lower()}"
                for k in KIND_ORDER if any(c.kind == k for c in changes)
            )
            intro = f"Compared with run #{previous}{when} ({mode}): {tally}."
        self._set_changes(intro, changes)

    def _set_changes(self, intro: str, changes: list[CheckChange]) -> None:
        for line in self._change_lines:
            self.changes_box.removeWidget(line)
            line.deleteLater()
        self._change_lines = []
        self.changes_intro.setText(intro)
        for change in changes:
            line = IconLabel(change_icon(change), change_text(change), wrap=True)
            line.icon_label.setToolTip(plain_tooltip(KIND_WORDS.get(change.kind, change.kind.upper())))
            self.changes_box.addWidget(line)
            self._change_lines.append(line)

    def _set_cards(self, d: Diagnosis | None) -> None:
        checks = d.checks if d is not None else ()
        while len(self._cards) < len(checks):
            card = CheckCard(clipboard=self._clipboard)
            card.glossary_requested.connect(self.glossary_requested)
            card.link_activated.connect(self.open_url_requested)
            card.copied.connect(lambda text: self.status_label.setText(describe_copy(text)))
            for button in card.findChildren(QPushButton):
                button.setAutoDefault(False)
            self.cards_box.addWidget(card)
            self._cards.append(card)
        for card, check in zip(self._cards, checks, strict=False):  # spare cards stay hidden
            card.set_result(check)
            card.show()
        for card in self._cards[len(checks):]:
            card.hide()
        self.checks_heading.setText(
            f"Checks in this run ({len(checks)})" if checks else
            ("No checks ran." if d is not None else "")
        )
