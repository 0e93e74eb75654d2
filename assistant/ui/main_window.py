"""The main window: checklist sidebar, step pages, glossary dock, toolbar and status bar.

The window owns no Stripe logic: it builds a DiagnosisRequest from what the pages hold, hands
it to the RunController and shows what comes back. Everything that touches the network runs on
the controller's worker loop, so the window stays responsive and Esc always cancels.

Start-up (issue #6): the first paint needs only Qt, this frame, the checklist and the Connect
page. After it, a worker thread imports the rest (the other pages, the diagnosis, the knowledge
base, stripe) and finds the system keychain; the Connect page's talk track and the glossary are
added in later event-loop turns, and every other page is built when it is first shown (or when
something asks for `pages`). Results go to the visible page at once and to another page when it
is next shown, so a run never pays for painting pages nobody is looking at.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from assistant.account.keys import classify_key
from assistant.ui import page_registry
from assistant.ui.checklist import CANCELLED, NOT_RUN, RUNNING, ChecklistSidebar, step_state
from assistant.ui.controller import RunController, install_main_thread_gc
from assistant.ui.history_keeper import HistoryKeeper
from assistant.ui.icons import icon
from assistant.ui.page_registry import STEPS, check_ids_for_step, make_glossary_dock, make_talk_track
from assistant.ui.pages.base import StepPage
from assistant.ui.pages.connect import ConnectPage
from assistant.ui.practice_host import PracticeHost
from assistant.ui.window_chrome import StatusLine, make_live_banner
from assistant.ui.about_dialog import install_help_menu
from assistant.ui.window_support import (
    Confirmer,
    FactoryMaker,
    FirstPaint,
    Opener,
    ask_in_dialog,
    default_opener,
    find_keychain,
    freeze_start_up_objects,
    stripe_factory,
)

if TYPE_CHECKING:  # imported on first use, after the first paint
    from assistant.diagnosis.run import DiagnosisRequest, RunOutcome
    from assistant.account.keychain import Keychain

log = logging.getLogger(__name__)

APP_TITLE = "Portal Setup Assistant"

class MainWindow(QMainWindow):
    closed = Signal()
    outcome_shown = Signal(object)  # RunOutcome | None, once the visible page has it
    # From worker threads to the Qt thread (queued: the receiver lives on the Qt thread).
    _keychain_found = Signal(object)
    _preloaded = Signal()

    def __init__(
        self,
        *,
        keychain: Keychain | None = None,
        opener: Opener | None = None,
        api_base: str | None = None,
        practice: PracticeHost | None = None,
        settings: QSettings | None = None,
        confirm: Confirmer | None = None,
        factory_maker: FactoryMaker = stripe_factory,
        scenarios: list[Any] | None = None,
        history: Any | None = None,
        hold_start_up_work: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self._opener = opener or default_opener
        self._confirm = confirm or ask_in_dialog
        self._factory_maker = factory_maker
        self._api_base = api_base
        self._practice = practice if practice is not None else PracticeHost()
        self._settings = settings if settings is not None else QSettings()
        # history: a store, for tests; otherwise the one Settings / the environment name
        self.history_keeper = HistoryKeeper(history, settings=self._settings, keychain=keychain,
                                            parent=self)
        self._outcome: RunOutcome | None = None
        self._defaults: dict[str, str | None] = {}  # a practice account's customer / return URL
        self._practice_title = ""
        self._portal_link: tuple[str, float] | None = None  # replayed to a customer page built later
        self._stale: set[int] = set()  # built pages not yet given the latest outcome
        self._painted = False
        self._closing = False
        self._when_painted: list[Callable[[], None]] = []
        install_main_thread_gc()
        self.controller = RunController(factory_maker(api_base), parent=self)

        # -- pages and checklist ------------------------------------------------------------
        # Only Connect is built now; the other rows hold an empty stand-in until first shown.
        last = self._settings.value("practice/last", None)
        connect = page_registry.build_page("connect", keychain=keychain, keychain_later=keychain is None, scenarios=scenarios, last_scenario=str(last) if last else None)
        self._pages: list[StepPage | None] = [connect] + [None] * (len(STEPS) - 1)
        self.connect_page: ConnectPage = connect  # type: ignore[assignment]
        self.sidebar = ChecklistSidebar([spec.title for spec in STEPS])
        self.stack = QStackedWidget()
        self.stack.setAccessibleName("Step page")
        self.stack.addWidget(connect)
        for _ in STEPS[1:]:
            self.stack.addWidget(QWidget())

        self.live_banner = self._make_banner()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("mainSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.sidebar)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([self.sidebar.minimumWidth(), self.sidebar.minimumWidth() * 3])
        self.splitter = splitter
        central = QWidget()
        column = QVBoxLayout(central)
        column.addWidget(self.live_banner)
        column.addWidget(splitter, 1)
        self.setCentralWidget(central)

        self._glossary: QWidget | None = None  # built on first use (it loads the knowledge base)

        self._make_actions()
        self.about_action = install_help_menu(self, self._opener)
        self._make_status_bar()
        self._wire()

        self.sidebar.setCurrentRow(0)
        self._refresh_identity()
        self._restore_geometry()
        self.connect_page.apply_tab_order(first=self.sidebar)
        # `run_app` paints the window before asyncio and qasync are even imported; the work
        # after the first paint needs the loop, so it waits for `release_start_up_work`.
        self._hold_start_up_work = hold_start_up_work
        self.paint_seen = False
        self._first_paint = FirstPaint(self, self._on_first_paint)

    def _on_first_paint(self) -> None:
        self.paint_seen = True
        if not self._hold_start_up_work:
            self._after_first_paint()

    def release_start_up_work(self) -> None:
        """The event loop is running (or about to): do what waited for the first paint."""
        self._hold_start_up_work = False
        if self.paint_seen:
            QTimer.singleShot(0, self._after_first_paint)

    # -- after the first paint -----------------------------------------------------------------

    def _after_first_paint(self) -> None:
        """Everything the first window did not need, without freezing it: imports and the
        keychain on worker threads, then one small piece of Qt work per event-loop turn."""
        if self._painted or self._closing:
            return
        self._painted = True
        if not self.connect_page.keychain_ready:
            self._keychain_found.connect(self._on_keychain_found)
            threading.Thread(target=self._keychain_thread, name="keychain", daemon=True).start()
        self._preloaded.connect(self._on_preloaded)
        threading.Thread(target=self._preload_thread, name="preload", daemon=True).start()
        self.controller.warm_up_in_background()  # import stripe, build (and drop) one gateway
        for callback in self._when_painted:
            QTimer.singleShot(0, callback)
        self._when_painted = []

    def when_painted(self, callback: Callable[[], None]) -> None:
        """Run `callback` after the first paint (at once if that has happened)."""
        if self._painted:
            QTimer.singleShot(0, callback)
        else:
            self._when_painted.append(callback)

    def _keychain_thread(self) -> None:
        try:
            found: object = find_keychain()
        except Exception as err:  # a broken keyring install: the page says no keychain
            log.warning("keychain unavailable: %s", type(err).__name__)
            found = None
        self._keychain_found.emit(found)

    def _on_keychain_found(self, found: object) -> None:
        if self._closing:
            return
        if found is None:
            from assistant.account.keychain import Keychain

            class _NoKeyring:
                priority = 0

            found = (Keychain(_NoKeyring()), (None, None))
        keychain, stored = found  # type: ignore[misc]
        had_key = bool(self.connect_page.key())
        self.connect_page.set_keychain(keychain, stored)
        if not had_key and self.connect_page.key():  # a remembered key: no first-time hint
            self.statusBar().clearMessage()
        self._refresh_identity()

    def _preload_thread(self) -> None:
        page_registry.preload()
        self.history_keeper.open_in_background()
        self._preloaded.emit()

    def _on_preloaded(self) -> None:
        """Imports are done: add the Connect page's talk track now and the glossary a turn later."""
        if self._closing:
            return
        if self.connect_page.talk_track is None:
            panel = make_talk_track("connect")
            if panel is not None:
                self.connect_page.set_talk_track(panel)
                self.connect_page.apply_tab_order(first=self.sidebar)
        QTimer.singleShot(0, self._ensure_glossary)
        QTimer.singleShot(0, freeze_start_up_objects)

    # -- pages, built on demand -----------------------------------------------------------------

    @property
    def pages(self) -> list[StepPage]:
        """All seven pages in checklist order (building any not built yet)."""
        return [self.page(row) for row in range(len(STEPS))]

    def ensure_all_pages(self) -> list[StepPage]:
        return self.pages

    def built_pages(self) -> list[StepPage]:
        return [p for p in self._pages if p is not None]

    def page(self, row: int) -> StepPage:
        """Step `row`'s page, built (and brought up to date) on first use."""
        page = self._pages[row]
        if page is None:
            page = self._build(row)
        return page

    def _build(self, row: int) -> StepPage:
        spec = STEPS[row]
        page = page_registry.build_page(spec.step_id)
        self._pages[row] = page
        stand_in = self.stack.widget(row)
        current = self.stack.currentIndex()
        self.stack.insertWidget(row, page)
        self.stack.removeWidget(stand_in)
        stand_in.deleteLater()
        if self.stack.currentIndex() != current:
            self.stack.setCurrentIndex(current)
        self._wire_page(page)
        # What it would have been told had it existed: the practice account's values, busy, the
        # portal link and the latest outcome.
        if self._defaults.get("customer") and hasattr(page, "set_customer_query"):
            page.set_customer_query(self._defaults["customer"] or "")
        if self._defaults.get("return_url") and hasattr(page, "set_return_url"):
            page.set_return_url(self._defaults["return_url"] or "")
        if self.controller.busy:
            page.set_busy(True)
        if self._portal_link is not None and hasattr(page, "show_portal_link"):
            page.show_portal_link(*self._portal_link)
        if self._outcome is not None:
            self._show_on(page, self._outcome)
        return page

    def _on_row_changed(self, row: int) -> None:
        if row < 0:
            return
        page = self.page(row)  # build before switching, so the stand-in is never shown
        if row in self._stale:
            self._stale.discard(row)
            self._show_on(page, self._outcome)
        self.stack.setCurrentIndex(row)

    def flush_pages(self) -> None:
        """Give every built page the latest outcome now (tests, screenshots, export)."""
        for row in sorted(self._stale):
            page = self._pages[row]
            if page is not None:
                self._show_on(page, self._outcome)
        self._stale.clear()

    # -- the glossary, built on first use ---------------------------------------------------------

    @property
    def glossary(self) -> QWidget:
        """The glossary dock (built on first use)."""
        return self._ensure_glossary()

    def _ensure_glossary(self) -> QWidget:
        if self._glossary is not None:
            return self._glossary
        dock = make_glossary_dock(self)
        self._glossary = dock
        dock.setAllowedAreas(Qt.DockWidgetArea.RightDockWidgetArea | Qt.DockWidgetArea.LeftDockWidgetArea)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        dock.hide()
        self.restoreDockWidget(dock)  # where the agent left it last time (saved window state)
        dock.toggleViewAction().toggled.connect(self._glossary_toggled)
        self._glossary_toggled(dock.toggleViewAction().isChecked())
        if hasattr(dock, "open_url_requested"):
            dock.open_url_requested.connect(self._open_url_requested)
        return dock

    def _glossary_toggled(self, shown: bool) -> None:
        if self.glossary_action.isChecked() != shown:
            self.glossary_action.blockSignals(True)
            self.glossary_action.setChecked(shown)
            self.glossary_action.blockSignals(False)

    def _glossary_action_triggered(self, checked: bool) -> None:
        dock = self._ensure_glossary()
        dock.setVisible(checked)
        if checked:
            dock.raise_()

    # -- building ------------------------------------------------------------------------------

    def _make_banner(self) -> QFrame:
        banner, self.live_label = make_live_banner()
        return banner

    def _make_actions(self) -> None:
        toolbar = QToolBar("Main toolbar")
        toolbar.setObjectName("mainToolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.setMovable(False)
        side = round(self.fontMetrics().height() * 1.2)
        toolbar.setIconSize(QSize(side, side))
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)

        self.run_action = QAction(icon("running"), "&Run all checks", self)
        self.run_action.setShortcuts([QKeySequence("Ctrl+R"), QKeySequence(Qt.Key.Key_F5)])
        self.run_action.setToolTip("Run all checks (Ctrl+R, F5)")
        self.run_action.triggered.connect(self._run_requested)

        self.cancel_action = QAction(icon("cancelled"), "Cancel", self)
        self.cancel_action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.cancel_action.setToolTip("Stop the checks that are running (Esc)")
        self.cancel_action.setEnabled(False)
        self.cancel_action.triggered.connect(self.controller.cancel)

        # The dock's own toggle action, stood in for until the dock exists (built on first use).
        self.glossary_action = QAction(self)
        self.glossary_action.setCheckable(True)
        self.glossary_action.triggered.connect(self._glossary_action_triggered)
        self.glossary_action.setText("&Glossary")
        self.glossary_action.setIcon(icon("info"))
        self.glossary_action.setShortcut(QKeySequence(Qt.Key.Key_F1))
        self.glossary_action.setToolTip("Show or hide the glossary (F1)")

        for action in (self.run_action, self.cancel_action):
            toolbar.addAction(action)
            self.addAction(action)
        toolbar.addSeparator()
        toolbar.addAction(self.glossary_action)
        self.addAction(self.glossary_action)

        self.history_action = QAction(icon("history"), "&History", self)
        self.history_action.setShortcut(QKeySequence("Ctrl+H"))
        self.history_action.setToolTip("Saved runs and what changed since the last one (Ctrl+H)")
        self.history_action.triggered.connect(self.show_history)
        toolbar.addAction(self.history_action)
        self.addAction(self.history_action)
        self.team_action = self.history_keeper.settings_action(self)
        toolbar.addAction(self.team_action)
        self.addAction(self.team_action)

        self.step_shortcuts: list[QShortcut] = []
        for row in range(len(STEPS)):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{row + 1}"), self)
            shortcut.activated.connect(lambda r=row: self.go_to_step(r))
            self.step_shortcuts.append(shortcut)

    def _make_status_bar(self) -> None:
        self.status_line = StatusLine(self.statusBar())
        line = self.status_line
        self.mode_badge, self.account_label, self.key_label = line.mode_badge, line.account_label, line.key_label
        self.activity_label, self.busy_bar = line.activity_label, line.busy_bar
        self.history_keeper.attach_status(self.activity_label)

    def _wire(self) -> None:
        self.sidebar.currentRowChanged.connect(self._on_row_changed)
        c = self.controller
        c.started.connect(self._on_started)
        c.finished.connect(self._on_finished)
        c.failed.connect(self._on_failed)
        c.cancelled.connect(self._on_cancelled)
        c.busy_changed.connect(self._on_busy)
        c.activity.connect(self._on_activity)
        c.portal_ready.connect(self._on_portal_ready)
        c.portal_failed.connect(self._on_portal_failed)
        cp = self.connect_page
        cp.check_requested.connect(self._run_requested)
        cp.practice_requested.connect(self._practice_requested)
        cp.key_edited.connect(self._on_key_edited)
        cp.timeout_changed.connect(c.set_run_timeout)
        c.set_run_timeout(cp.run_timeout())
        cp.key_field.textChanged.connect(self._refresh_identity)
        self._wire_page(cp)

    def _wire_page(self, page: StepPage) -> None:
        page.rerun_requested.connect(self._run_requested)
        page.glossary_requested.connect(self.show_glossary)
        if hasattr(page, "open_url_requested"):
            page.open_url_requested.connect(self._open_url_requested)
        if hasattr(page, "open_portal_requested"):
            page.open_portal_requested.connect(self.request_portal)
        for saved in ("report_copied", "report_saved"):  # notes typed after the run
            if hasattr(page, saved):
                getattr(page, saved).connect(self._notes_changed)

    # Slots return None: a slot's return value is never read, and PySide mishandles bools there.
    def _run_requested(self, *_args: object) -> None:
        self.run_all()

    def _practice_requested(self, name: str) -> None:
        self.open_practice(name, run=True)

    def _open_url_requested(self, url: str) -> None:
        self._open_url(url)

    def _notes_changed(self, *_args: object) -> None:
        self.save_notes_to_history()

    # -- navigation ------------------------------------------------------------------------

    def go_to_step(self, row: int) -> None:
        if 0 <= row < self.sidebar.count():
            self.sidebar.setCurrentRow(row)
            self.sidebar.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def step_index(self, step_id: str) -> int:
        return next(i for i, spec in enumerate(STEPS) if spec.step_id == step_id)

    def show_glossary(self, ref: str) -> None:
        dock = self._ensure_glossary()
        if ":" in ref and hasattr(dock, "show_reference"):
            dock.show_reference(ref)
        elif hasattr(dock, "show_term"):
            dock.show_term(ref)
        dock.show()
        dock.raise_()

    # -- practice accounts ----------------------------------------------------------------

    def open_practice(self, name: str, *, run: bool = True) -> bool:
        """Serve a practice account locally, fill its keys in and (by default) run every check."""
        if self.controller.busy:
            return False
        try:
            account = self._practice.open(name)
        except LookupError as err:
            self.connect_page.show_failure(str(err))
            return False
        except OSError as err:
            self.connect_page.show_failure(f"The practice account could not start ({type(err).__name__}).")
            return False
        scenario = account.scenario
        self.controller.set_gateway_factory(self._factory_maker(account.base_url))
        self._defaults = {"customer": scenario.customer, "return_url": scenario.return_url}
        self._tell_pages("set_customer_query", scenario.customer or "")
        self._tell_pages("set_return_url", scenario.return_url or "")
        self.connect_page.select_scenario(name)
        self.connect_page.set_practice(scenario.title, scenario.primary_key, scenario.second_key)
        self._settings.setValue("practice/last", name)
        self._practice_title = scenario.title
        self._show_outcome(None)
        self._refresh_identity()
        if run:
            self.run_all()
        return True

    def leave_practice(self) -> None:
        self._practice.close()
        self._defaults = {}
        self.controller.set_gateway_factory(self._factory_maker(self._api_base))
        self._refresh_identity()

    def _on_key_edited(self) -> None:
        if not self.connect_page.practice_active and self._practice.server is not None:
            self.leave_practice()
        self._refresh_identity()

    # -- running ---------------------------------------------------------------------------

    def build_request(self) -> DiagnosisRequest:
        """The key(s) from Connect; customer, return URL, notes and ticket from their pages
        (a practice account's values when a page cannot say)."""
        customer = self._defaults.get("customer")
        return_url = self._defaults.get("return_url")
        from assistant.diagnosis.run import DiagnosisRequest

        notes = ticket = ""
        for page in self.built_pages():  # a page not built yet holds nothing the agent typed
            if hasattr(page, "customer_query"):
                customer = page.customer_query() or None
            if hasattr(page, "return_url") and callable(page.return_url):
                return_url = page.return_url() or None
            if hasattr(page, "notes") and callable(page.notes):
                notes = page.notes()
            if hasattr(page, "ticket") and callable(page.ticket):
                ticket = page.ticket()
        return DiagnosisRequest(
            key=self.connect_page.key(),
            second_key=self.connect_page.second_key(),
            return_url=return_url,
            customer=customer,
            notes=notes,
            ticket=ticket,
        )

    def run_all(self) -> bool:
        if self.controller.busy:
            return False
        if not self.connect_page.key():
            self.go_to_step(0)
            self.connect_page.show_failure("Paste the customer's key first, or open a practice account.")
            self.connect_page.key_field.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        return self.controller.start(self.build_request())

    def cancel(self) -> None:
        self.controller.cancel()

    def _on_started(self) -> None:
        self.sidebar.set_all(RUNNING)
        self.activity_label.setText("Reading Stripe… 0 requests")

    def _on_busy(self, busy: bool) -> None:
        self.run_action.setEnabled(not busy)
        self.cancel_action.setEnabled(busy)
        self.busy_bar.setVisible(busy)
        for page in self.built_pages():
            page.set_busy(busy)

    def _on_activity(self, count: int) -> None:
        if self.controller.busy:
            self.activity_label.setText(f"Reading Stripe… {_requests(count)}")

    def _on_finished(self, outcome: RunOutcome) -> None:
        from assistant.ui.display import outcome_for_display

        outcome = outcome_for_display(outcome)
        self._show_outcome(outcome)
        count = outcome.diagnosis.request_count or self.controller.request_count
        saved = self._save_run(outcome)
        # The verdict is the diagnosis's own rule (the CLI's exit status), never the window's.
        self.activity_label.setText(
            f"Done in {self.controller.elapsed:.1f} s, {_requests(count)}. "
            f"{outcome.diagnosis.verdict_line}"
            + self.history_keeper.saved_suffix(saved)
        )

    # -- case history ----------------------------------------------------------------------

    def _save_run(self, outcome: RunOutcome) -> bool:
        return self.history_keeper.save(outcome.diagnosis)

    def save_notes_to_history(self) -> None:
        page = self._pages[self.step_index("report")]
        if page is not None and hasattr(page, "notes"):
            self.history_keeper.save_notes(page.notes(), page.ticket())  # type: ignore[attr-defined]

    def show_history(self) -> None:
        diagnosis = self._outcome.diagnosis if self._outcome else None
        account = diagnosis.account.id if diagnosis and diagnosis.account else None
        self.history_keeper.show(self, account, self.show_glossary, self._open_url_requested)

    def _on_failed(self, message: str) -> None:
        self._restore_states()
        self.connect_page.show_failure(message)
        self.activity_label.setText(f"Stopped: {message}")

    def _on_cancelled(self) -> None:
        self._restore_states(cancelled=True)
        self.connect_page.show_cancelled(self._outcome is not None)
        self.activity_label.setText(
            f"Cancelled after {self.controller.elapsed:.1f} s, {_requests(self.controller.request_count)}"
        )

    def _restore_states(self, cancelled: bool = False) -> None:
        """After a run that did not finish, show the previous results, or say why there are none."""
        if self._outcome is not None:
            self._paint_sidebar(self._outcome)
        else:
            self.sidebar.set_all(CANCELLED if cancelled else NOT_RUN)

    def _show_outcome(self, outcome: RunOutcome | None) -> None:
        """Checklist and the visible page at once; any other built page when it is next shown
        (filling the report's or a big catalogue's tables takes 30-60 ms a page, which must not
        land on the agent as a freeze after every run; unbuilt pages get it when built)."""
        self._outcome = outcome
        if outcome is None:
            self.sidebar.set_all(NOT_RUN)
        else:
            self._paint_sidebar(outcome)
        self._refresh_identity()
        current = self.stack.currentIndex()
        self._stale = {row for row, p in enumerate(self._pages) if p is not None and row != current}
        page = self._pages[current] if current >= 0 else None
        if page is not None:
            self._show_on(page, outcome)
        self.outcome_shown.emit(outcome)

    @property
    def pages_pending(self) -> int:
        """Pages due to be given the latest outcome before `outcome_shown` (always 0 now: the
        visible page gets it at once, the others when shown; see `stale_pages`)."""
        return 0

    @property
    def stale_pages(self) -> int:
        """Built pages that will be given the latest outcome when next shown."""
        return len(self._stale)

    def _show_on(self, page: StepPage, outcome: RunOutcome | None) -> None:
        try:
            page.show_outcome(outcome)
        except Exception as err:  # one broken page must not hide the others' results
            log.error("page %s could not show the outcome: %s", page.step_id, type(err).__name__)

    def _paint_sidebar(self, outcome: RunOutcome) -> None:
        diagnosis = outcome.diagnosis
        for row, spec in enumerate(STEPS):
            ids = check_ids_for_step(spec.step_id, self._pages[row])
            detail = "\n".join(
                f"{c.status.label}: {c.title}" for c in diagnosis.checks if not ids or c.id in ids
            )
            self.sidebar.set_state(row, step_state(diagnosis, ids), detail)

    @property
    def outcome(self) -> RunOutcome | None:
        return self._outcome

    # -- the portal (the one write) ---------------------------------------------------------

    def request_portal(self, customer_id: str, return_url: str | None = None) -> None:
        """Open a real portal session; in live mode only after the agent confirms by name."""
        request = self.controller.request
        if request is None or self._outcome is None:
            self._on_portal_failed("Run the checks first, then open the portal.")
            return
        return_url = return_url or request.return_url
        live = classify_key(request.key).mode == "live"
        if not live:
            self.controller.open_portal(customer_id, return_url, live=False)
            return
        name = self._customer_name(customer_id)
        who = f"{name} ({customer_id})" if name else customer_id
        text = f"Open the LIVE portal for {who}? This creates a real portal session."

        def done(ok: bool) -> None:
            if ok:
                self.controller.open_portal(customer_id, return_url, live=True)
            else:
                self.statusBar().showMessage("Live portal not opened.", 5000)

        self._confirm(self, text, done)

    def _customer_name(self, customer_id: str) -> str | None:
        lookup = self._outcome.snapshot.customer if self._outcome else None
        if lookup is None:
            return None
        candidates = [lookup.chosen] if lookup.chosen else []
        candidates += list(lookup.matches.value or [])
        for cus in candidates:
            if cus and cus.get("id") == customer_id:
                return cus.get("name") or cus.get("email")
        return None

    def _on_portal_ready(self, url: str) -> None:
        opened = self._open_url(url)
        text = "The customer portal opened in the browser." if opened else \
            "The portal session was created, but no browser could be opened."
        self.statusBar().showMessage(text, 8000)
        self._portal_link = (url, time.time())
        self._tell_pages("show_portal_link", *self._portal_link)

    def _on_portal_failed(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)

    def _open_url(self, url: str) -> bool:
        try:
            return bool(self._opener(url))
        except Exception as err:
            log.warning("opening a link failed: %s", type(err).__name__)
            return False

    def _tell_pages(self, method: str, *args: Any) -> None:
        """Built pages only: a page built later is told by `_build`."""
        for page in self.built_pages():
            if hasattr(page, method):
                getattr(page, method)(*args)

    # -- identity: mode badge, account, masked key, title, LIVE banner -----------------------

    def _refresh_identity(self) -> None:
        info = classify_key(self.connect_page.key())
        diagnosis = self._outcome.diagnosis if self._outcome else None
        mode = info.mode if info.key else None
        if diagnosis is not None and diagnosis.masked_key == info.masked:
            mode = diagnosis.mode
        account = diagnosis.account if diagnosis is not None else None
        practice = self.connect_page.practice_active and self._practice.server is not None
        if account is not None:
            who = f"{account.name or 'Unnamed account'} ({account.id})"
        elif practice:
            who = f"Practice: {self._practice_title}"
        else:
            who = "Not connected"
        if practice and account is not None:
            who = f"Practice: {who}"
        self.status_line.show_identity(mode, who, info.masked if info.key else None)
        self.live_banner.setVisible(mode == "live")
        title = APP_TITLE
        if account is not None:
            title = f"{account.name or account.id} — {APP_TITLE}"
        if mode == "live":
            title = f"[LIVE] {title}"
        self.setWindowTitle(title)

    # -- geometry and closing ---------------------------------------------------------------

    def _restore_geometry(self) -> None:
        geometry = self._settings.value("window/geometry")
        state = self._settings.value("window/state")
        if geometry is None or not self.restoreGeometry(geometry):
            fm = self.fontMetrics()
            size = QSize(fm.averageCharWidth() * 180, fm.lineSpacing() * 52)
            screen = self.screen().availableGeometry() if self.screen() else None
            if screen is not None:
                size = size.boundedTo(QSize(int(screen.width() * 0.92), int(screen.height() * 0.9)))
            self.resize(size)
        if state is not None:
            self.restoreState(state)

    def save_settings(self) -> None:
        """Only geometry, dock/toolbar state and the last practice account: never keys or data."""
        self._settings.setValue("window/geometry", self.saveGeometry())
        self._settings.setValue("window/state", self.saveState())
        self._settings.sync()

    def shutdown(self) -> None:
        self._closing = True
        self.controller.shutdown()
        self._practice.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_notes_to_history()
        self.save_settings()
        self.shutdown()
        super().closeEvent(event)
        self.closed.emit()


def _requests(count: int) -> str:
    return f"{count} request" if count == 1 else f"{count} requests"
