"""The main window: assembles the checklist, the step pages, the glossary, the toolbar and the
status line around one WindowState, and runs the diagnosis when asked.

The window owns no Stripe logic: it builds a DiagnosisRequest from the window state, hands it to
the RunController and puts what comes back into the state; the pages follow the state by
themselves (`pages/base.py`). Everything that touches the network runs on the controller's
worker loop, so the window stays responsive and Esc always cancels.

After a run (issue #13) the first step with a problem opens, unless the agent is typing in a
text field elsewhere; a valid key pasted into the key field runs the read-only checks by itself,
and Copy report (Ctrl+Shift+C) is on the toolbar: two actions from the key to the ticket.

Start-up (issue #6): the first paint needs only Qt, this frame, the checklist and the Connect
page; the rest comes after it (`start_up.py`), and every other page is built when first shown.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLineEdit, QMainWindow, QPlainTextEdit, QTextEdit, QWidget

from assistant.account.keys import KeyKind, classify_key, is_live
from assistant.diagnosis.summary import RunSummary
from assistant.knowledge import checklist
from assistant.ui.pages import registry as page_registry
from assistant.ui.window.about import make_about_action
from assistant.ui.window.sidebar import ChecklistSidebar
from assistant.ui.kit.clipboard import Clipboard, NotifyingClipboard
from assistant.ui.state.run_controller import RunController, install_main_thread_gc
from assistant.ui.fix.controller import FixController
from assistant.ui.fix.flow import FixFlow
from assistant.ui.glossary.host import PAGE_MIN_CHARS, GlossaryHost
from assistant.ui.glossary.pane import GlossaryPane
from assistant.ui.history.keeper import HistoryKeeper
from assistant.ui.pages.host import PageHost
from assistant.ui.pages.registry import STEPS
from assistant.ui.pages.base import StepPage
from assistant.ui.pages.connect import ConnectPage
from assistant.ui.window.portal_flow import PortalFlow
from assistant.ui.practice.host import PracticeHost
from assistant.ui.window.run_view import RunView
from assistant.ui.state.window_state import PracticeAccount, WindowState
from assistant.ui.window.start_up import StartUp
from assistant.ui.window.actions import install_menus, install_toolbar, make_actions
from assistant.ui.window.chrome import APP_TITLE, StatusLine, identity, lay_out, make_live_banner
from assistant.ui.window.support import (
    Confirmer,
    FactoryMaker,
    FirstPaint,
    Opener,
    ask_in_dialog,
    default_opener,
    restore_geometry,
    save_geometry,
    stripe_factory,
)

if TYPE_CHECKING:  # imported on first use, after the first paint
    from assistant.ui.pages.report import DirectoryProvider, ReportPage, SaveDialog
    from assistant.account.keychain import Keychain
    from assistant.diagnosis.run import DiagnosisRequest, RunOutcome

log = logging.getLogger(__name__)

# A paste puts the whole key in at once; typing adds a character at a time. Keys are ~100
# characters, so an edit adding this many at once is a paste (or a drop), never typing.
PASTED_AT_ONCE = 16

__all__ = ["APP_TITLE", "MainWindow"]


class MainWindow(QMainWindow):
    closed = Signal()
    outcome_shown = Signal(object)  # RunOutcome | None, once the visible page has it

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
        clipboard: Clipboard | None = None,
        save_dialog: SaveDialog | None = None,
        documents_dir: DirectoryProvider | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self._opener = opener or default_opener
        self._factory_maker = factory_maker
        self._api_base = api_base
        self._practice = practice if practice is not None else PracticeHost()
        self._settings = settings if settings is not None else QSettings()
        # history: a store, for tests; otherwise the one Settings / the environment name
        self.history_keeper = HistoryKeeper(history, settings=self._settings, keychain=keychain,
                                            parent=self)
        install_main_thread_gc()
        self.controller = RunController(factory_maker(api_base), parent=self)
        self.state = WindowState(self)
        # Every page copies through this, so every Copy says "Copied …" on the status line.
        self.clipboard = NotifyingClipboard(clipboard, parent=self)
        report_kwargs = {k: v for k, v in (("save_dialog", save_dialog), ("documents_dir", documents_dir)) if v}

        # -- pages and checklist: only Connect is built now ------------------------------------
        last = self._settings.value("practice/last", None)
        connect = page_registry.build_page("connect", keychain=keychain, keychain_later=keychain is None,
                                           scenarios=scenarios, last_scenario=str(last) if last else None)
        assert isinstance(connect, ConnectPage)
        self.connect_page = connect
        self.page_host = PageHost(
            self.state, connect,
            kwargs_for=lambda step_id: {"clipboard": self.clipboard,
                                        **(report_kwargs if step_id == "report" else {})})
        self.stack = self.page_host.stack
        self.sidebar = ChecklistSidebar([spec.title for spec in STEPS])
        self.live_banner, self.live_label = make_live_banner()
        self.splitter = lay_out(self, self.live_banner, self.sidebar, self.stack)
        self.stack.setMinimumWidth(self.fontMetrics().averageCharWidth() * PAGE_MIN_CHARS)

        # -- toolbar, menus, glossary, status line, the portal ---------------------------------
        self.team_action = self.history_keeper.settings_action(self)
        self.addAction(self.team_action)
        actions = make_actions(self, [spec.title for spec in STEPS])
        self.run_action, self.cancel_action = actions.run, actions.cancel
        self.copy_report_action, self.save_report_action = actions.copy_report, actions.save_report
        self.quit_action, self.user_guide_action = actions.quit, actions.user_guide
        self.glossary_action, self.history_action = actions.glossary, actions.history
        self.step_shortcuts = actions.steps
        self.search_glossary_action = actions.search_glossary
        self.toolbar = install_toolbar(self, actions)
        self.about_action = make_about_action(self, self._opener)
        install_menus(self, actions, team=self.team_action, about=self.about_action)
        self.glossary_host = GlossaryHost(self, self.glossary_action, self._open_url_requested,
                                          search=actions.search_glossary)
        self.status_line = StatusLine(self.statusBar())
        line = self.status_line
        self.mode_badge, self.account_label, self.key_label = line.mode_badge, line.account_label, line.key_label
        self.activity_label, self.busy_bar = line.activity_label, line.busy_bar
        self.history_keeper.attach_status(self.activity_label)
        self.portal = PortalFlow(self, self.state, self.controller, confirm or ask_in_dialog, self._open_url)
        self.run_view = RunView(self.controller, self.state, self.sidebar, connect, self.history_keeper,
                                run=self.run_action, cancel=self.cancel_action, activity=self.activity_label,
                                busy_bar=self.busy_bar, identity_changed=self._refresh_identity,
                                summary=self.status_line.show_summary, finished=self._open_first_problem,
                                parent=self)
        self.run_view.shown.connect(self.outcome_shown)
        self.fix_controller = FixController(self.controller, parent=self)
        self.fix_flow = FixFlow(self, self.state, self.controller, self.fix_controller, self.history_keeper,
                                show_outcome=self._show_after_fix, open_url=self._open_url,
                                say=self._say, parent=self)
        self._wire()

        self.sidebar.setCurrentRow(0)
        self._refresh_identity()
        restore_geometry(self, self._settings)
        self.connect_page.apply_tab_order(first=self.sidebar)
        # `run_app` paints the window before asyncio and qasync are even imported; the work
        # after the first paint needs the loop, so it waits for `release_start_up_work`.
        self._hold_start_up_work = hold_start_up_work
        self.paint_seen = False
        self.start_up = StartUp(
            self.connect_page, warm_up=self.controller.warm_up_in_background,
            open_history=self.history_keeper.open_in_background,
            keychain_ready=self._keychain_ready, preloaded=self._preloaded, parent=self)
        self._first_paint = FirstPaint(self, self._on_first_paint)

    # -- start-up ------------------------------------------------------------------------------
    def _on_first_paint(self) -> None:
        self.paint_seen = True
        if not self._hold_start_up_work:
            self.start_up.run()

    def release_start_up_work(self) -> None:
        """The event loop is running (or about to): do what waited for the first paint."""
        self._hold_start_up_work = False
        if self.paint_seen:
            QTimer.singleShot(0, self.start_up.run)

    def when_painted(self, callback: Callable[[], None]) -> None:
        """Run `callback` after the first paint (at once if that has happened)."""
        self.start_up.when_done(callback)

    def _keychain_ready(self, remembered: bool) -> None:
        if remembered:  # a remembered key: no first-time hint
            self.statusBar().clearMessage()
        self._refresh_identity()

    def _preloaded(self) -> None:
        self.connect_page.apply_tab_order(first=self.sidebar)
        QTimer.singleShot(0, self.glossary_host.ensure)

    # -- pages ---------------------------------------------------------------------------------
    @property
    def pages(self) -> list[StepPage]:
        """All pages in checklist order (building any not built yet)."""
        return self.page_host.pages

    def ensure_all_pages(self) -> list[StepPage]:
        return self.pages

    def built_pages(self) -> list[StepPage]:
        return self.page_host.built()

    def page(self, row: int) -> StepPage:
        return self.page_host.page(row)

    def flush_pages(self) -> None:
        """Give every built page the latest outcome now (tests, screenshots, export)."""
        self.page_host.flush()

    @property
    def stale_pages(self) -> int:
        """Built pages that will be given the latest outcome when next shown."""
        return self.page_host.stale

    @property
    def glossary(self) -> GlossaryPane:
        """The glossary dock (built on first use)."""
        return self.glossary_host.ensure()

    def show_glossary(self, ref: str) -> None:
        self.glossary_host.show(ref)

    def go_to_step(self, row: int) -> None:
        if 0 <= row < self.sidebar.count():
            self.sidebar.setCurrentRow(row)
            self.sidebar.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def step_index(self, step_id: str) -> int:
        return checklist.step_ids().index(step_id)

    # -- wiring --------------------------------------------------------------------------------
    def _wire(self) -> None:
        self.sidebar.currentRowChanged.connect(self._on_row_changed)
        for row, step in enumerate(self.step_shortcuts):
            step.triggered.connect(lambda _checked=False, r=row: self.go_to_step(r))
        self.run_action.triggered.connect(self._run_requested)
        self.cancel_action.triggered.connect(self.controller.cancel)
        self.history_action.triggered.connect(self.show_history)
        self.copy_report_action.triggered.connect(self._copy_report_requested)
        self.save_report_action.triggered.connect(self._save_report_requested)
        self.quit_action.triggered.connect(self._quit_requested)
        self.user_guide_action.triggered.connect(self._user_guide_requested)
        self.clipboard.copied.connect(self.status_line.flash)
        s = self.state
        s.run_requested.connect(self._check_again_requested)
        s.url_requested.connect(self._open_url_requested)
        s.glossary_requested.connect(self.show_glossary)
        s.notes_committed.connect(self.save_notes_to_history)
        s.outcome_changed.connect(self._outcome_changed)
        cp = self.connect_page
        cp.check_requested.connect(self._run_requested)
        cp.practice_requested.connect(self._practice_requested)
        cp.key_edited.connect(self._on_key_edited)
        self._key_texts = ("", "")  # the field's text before its last change, and after it
        self._auto_run_pending = False
        self._keep_page = False  # the run in flight was a step's "Check again"
        cp.key_field.textChanged.connect(self._key_field_changed)
        cp.key_field.textEdited.connect(self._key_field_edited)
        self.controller.busy_changed.connect(self._busy_changed)
        cp.key_field.textChanged.connect(self._refresh_identity)
        cp.timeout_changed.connect(self.controller.set_run_timeout)
        self.controller.set_run_timeout(cp.run_timeout())

    # Slots return None: a slot's return value is never read, and PySide mishandles bools there.
    def _run_requested(self, *_args: object) -> None:
        self.run_all()

    def _check_again_requested(self, *_args: object) -> None:
        self.run_all(keep_page=True)  # "Check again" on a step: its answer is wanted there

    def _copy_report_requested(self, *_args: object) -> None:
        self.copy_report()

    def _save_report_requested(self, *_args: object) -> None:
        self.save_report()

    def _quit_requested(self, *_args: object) -> None:
        self.close()

    def _user_guide_requested(self, *_args: object) -> None:
        self.show_user_guide()

    def _outcome_changed(self, outcome: object) -> None:
        self.copy_report_action.setEnabled(outcome is not None)
        self.save_report_action.setEnabled(outcome is not None)

    def _practice_requested(self, name: str) -> None:
        self.open_practice(name, run=True)

    def _open_url_requested(self, url: str) -> None:
        self._open_url(url)

    def _on_row_changed(self, row: int) -> None:
        if row >= 0:
            self.page_host.show_row(row)

    # -- the report, from anywhere ------------------------------------------------------------
    @property
    def report_page(self) -> ReportPage:
        from assistant.ui.pages.report import ReportPage

        page = self.page(self.step_index("report"))
        assert isinstance(page, ReportPage)
        page.flush()  # built late or not on screen: it renders the latest run first
        return page

    def copy_report(self) -> bool:
        """Edit → Copy report (Ctrl+Shift+C), from any step: the report, never the key."""
        if self.outcome is None:
            self.status_line.flash("Nothing to copy yet: run the checks first.")
            return False
        self.report_page.copy_report()
        return True

    def save_report(self) -> str | None:
        """File → Save report… (Ctrl+S): the dialog starts in the agent's Documents folder."""
        if self.outcome is None:
            self.status_line.flash("Nothing to save yet: run the checks first.")
            return None
        saved = self.report_page.save_report()
        if saved:
            self.status_line.flash(f"Saved the report to {saved}")
        return saved

    def show_user_guide(self) -> QWidget:
        from assistant.ui.glossary.user_guide import HelpDialog, full_guide

        dialog = HelpDialog(self, self._open_url_requested, full_guide())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # -- after a run: the first problem ------------------------------------------------------
    def typing_elsewhere(self) -> bool:
        """Whether focus is in a text field other than the keys on Connect (the glossary's
        search, the notes…): then a finished run must not take the page or the cursor away."""
        widget = QApplication.focusWidget()
        if widget is None or self.connect_page.isAncestorOf(widget):
            return False
        if isinstance(widget, QLineEdit | QAbstractSpinBox):
            return not (widget.isReadOnly() if isinstance(widget, QLineEdit) else widget.isReadOnly())
        if isinstance(widget, QPlainTextEdit | QTextEdit):
            return not widget.isReadOnly()
        return False

    def _open_first_problem(self, summary: RunSummary) -> None:
        """Open the first step with a problem (else a warning; else the Report, to copy it),
        unless the run was a step's "Check again" or the agent is typing elsewhere."""
        keep, self._keep_page = self._keep_page, False
        if keep or self.typing_elsewhere():
            return
        if summary.first_step is not None:
            self.go_to_step(self.step_index(summary.first_step))
        elif summary.headline and self.outcome is not None and not self.outcome.diagnosis.fatal:
            self.go_to_step(self.step_index("report"))

    # -- a pasted key runs the checks --------------------------------------------------------
    def _key_field_changed(self, text: str) -> None:
        self._key_texts = (self._key_texts[1], text)

    def _key_field_edited(self, text: str) -> None:
        """A whole secret or restricted key pasted at once (not typed) starts the read-only checks."""
        previous, current = self._key_texts
        before = previous if current == text else current  # whichever signal Qt sent first
        info = classify_key(text)
        pasted = len(text) - len(before) >= PASTED_AT_ONCE
        if pasted and info.usable and info.kind in (KeyKind.SECRET, KeyKind.RESTRICTED):
            self._auto_run_pending = True
            QTimer.singleShot(0, self._auto_run)  # after the field and the stale results settle

    def _auto_run(self) -> None:
        """Start the pasted key's run; if the old key's run is still stopping, once it has."""
        if self._auto_run_pending and not self.controller.busy:
            self._auto_run_pending = False
            self.run_all()

    def _busy_changed(self, busy: bool) -> None:
        if not busy and self._auto_run_pending:
            QTimer.singleShot(0, self._auto_run)

    # -- practice accounts ---------------------------------------------------------------------
    def open_practice(self, name: str, *, run: bool = True) -> bool:
        """Serve a practice account locally, fill its keys in and (by default) run every check.
        Opening one again starts it afresh: every fix made on it is gone."""
        if self.controller.busy or self.fix_controller.busy:
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
        self.state.set_practice(PracticeAccount(name, scenario.title, scenario.customer, scenario.return_url))
        self.connect_page.select_scenario(name)
        self.connect_page.set_practice(scenario.title, scenario.primary_key, scenario.second_key)
        self._settings.setValue("practice/last", name)
        self.run_view.show(None)
        if run:
            self.run_all()
        return True

    def leave_practice(self) -> None:
        self._practice.close()
        self.state.set_practice(None)
        self.controller.set_gateway_factory(self._factory_maker(self._api_base))
        self._refresh_identity()

    def _on_key_edited(self) -> None:
        self.statusBar().clearMessage()  # "First time? Pick a practice account…" is over
        if not self.connect_page.practice_active and self._practice.server is not None:
            self.leave_practice()
        self._refresh_identity()

    # -- running -------------------------------------------------------------------------------
    def build_request(self) -> DiagnosisRequest:
        """The key(s) from Connect; customer, return URL, notes and ticket from the state."""
        from assistant.diagnosis.run import DiagnosisRequest

        inputs = self.state.inputs
        return DiagnosisRequest(
            key=self.connect_page.key(), second_key=self.connect_page.second_key(),
            return_url=inputs.return_url or None, customer=inputs.customer or None,
            notes=inputs.notes, ticket=inputs.ticket,
        )

    def run_all(self, *, keep_page: bool = False) -> bool:
        """Every check, read-only; when it ends the first failing step opens (`keep_page`: the
        page on screen stays, for a step's own "Check again")."""
        if self.controller.busy or self.fix_controller.busy:
            return False
        if not self.connect_page.key():
            self.go_to_step(0)
            self.connect_page.show_failure("Paste the customer's key first, or open a practice account.")
            self.connect_page.key_field.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        self.statusBar().clearMessage()
        self._auto_run_pending = False  # this run is the one a paste would have started
        started = self.controller.start(self.build_request())
        if started:
            self._keep_page = keep_page
        return started

    def cancel(self) -> None:
        self.controller.cancel()

    def request_portal(self, customer_id: str, return_url: str | None = None) -> None:
        """Open a real portal session; in live mode only after the agent confirms by name."""
        self.portal.request(customer_id, return_url)

    @property
    def outcome(self) -> RunOutcome | None:
        return self.state.outcome

    def _say(self, text: str) -> None:
        """One line on the status line (whole in its tooltip, where the line is too narrow)."""
        self.activity_label.setText(text)
        self.activity_label.setToolTip(text)

    def _show_after_fix(self, outcome: RunOutcome) -> None:
        """The checks run again after a fix (or its undo): on screen like any run."""
        from assistant.ui.state.display import outcome_for_display

        self.run_view.show(outcome_for_display(outcome))

    # -- case history --------------------------------------------------------------------------
    def save_notes_to_history(self, *_args: object) -> None:
        if self.page_host.built_at(self.step_index("report")) is not None:
            inputs = self.state.inputs
            self.history_keeper.save_notes(inputs.notes, inputs.ticket)

    def show_history(self) -> None:
        diagnosis = self.outcome.diagnosis if self.outcome else None
        account = diagnosis.account.id if diagnosis and diagnosis.account else None
        self.history_keeper.show(self, account, self.show_glossary, self._open_url_requested)

    # -- identity, links, geometry, closing ----------------------------------------------------
    def _refresh_identity(self, *_args: object) -> None:
        practising = self.connect_page.practice_active and self._practice.server is not None
        practice = self.state.practice
        shown = identity(classify_key(self.connect_page.key()),
                         self.outcome.diagnosis if self.outcome else None,
                         (practice.title if practice else "") if practising else None)
        self.status_line.show_identity(shown.mode, shown.who, shown.masked_key)
        self.live_banner.setVisible(is_live(shown.mode))
        self.setWindowTitle(shown.title)

    def _open_url(self, url: str) -> bool:
        try:
            return bool(self._opener(url))
        except Exception as err:
            log.warning("opening a link failed: %s", type(err).__name__)
            return False

    def save_settings(self) -> None:
        """Only geometry, dock/toolbar state and the last practice account: never keys or data."""
        save_geometry(self, self._settings)

    def shutdown(self) -> None:
        self.start_up.closing()
        self.fix_controller.stop_waiting()
        self.controller.shutdown()
        self._practice.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_notes_to_history()
        self.save_settings()
        self.shutdown()
        super().closeEvent(event)
        self.closed.emit()

