"""The main window: assembles the checklist, the step pages, the glossary, the toolbar and the
status line around one WindowState, and hands each job to the object that does it (it owns no
Stripe logic and asks no page what it holds): runs in `run_commands.py` and `pasted_key.py`, on
the RunController's worker loop, shown by `run_view.py`; practice accounts in `practice_switch.py`;
reports in `report_commands.py`; the portal in `portal_flow.py`; Ask Stripe in `ask_flow.py`;
guided fixes in `ui/fix/flow.py`. The first paint needs only Qt, this frame, the checklist and
the Connect page; the rest comes after it (`start_up.py`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QWidget

from assistant.account.keys import classify_key, is_live
from assistant.knowledge import checklist
from assistant.ui.fix.controller import FixController
from assistant.ui.fix.flow import FixFlow
from assistant.ui.glossary.host import GlossaryHost
from assistant.ui.glossary.pane import GlossaryPane
from assistant.ui.history.keeper import HistoryKeeper
from assistant.ui.kit.clipboard import Clipboard, NotifyingClipboard
from assistant.ui.pages import registry as page_registry
from assistant.ui.pages.base import StepPage
from assistant.ui.pages.connect import ConnectPage
from assistant.ui.pages.host import PageHost
from assistant.ui.pages.registry import STEPS
from assistant.ui.practice.host import PracticeHost
from assistant.ui.state.run_controller import RunController, install_main_thread_gc
from assistant.ui.state.window_state import WindowState
from assistant.ui.window.about import make_about_action
from assistant.ui.window.actions import install_menus, install_toolbar, make_actions
from assistant.ui.window.ask_flow import AskFlow
from assistant.ui.window.chrome import APP_TITLE, StatusLine, identity, lay_out, make_live_banner
from assistant.ui.window.links import LinkOpener
from assistant.ui.window.portal_flow import PortalFlow
from assistant.ui.window.practice_switch import LAST_PRACTICE, PracticeSwitch
from assistant.ui.window.report_commands import ReportCommands
from assistant.ui.window.run_commands import RunCommands
from assistant.ui.window.run_view import RunView
from assistant.ui.window.sidebar import ChecklistSidebar
from assistant.ui.window.start_up import StartUp
from assistant.ui.window.step_commands import StepCommands
from assistant.ui.window.support import (
    Confirmer,
    FactoryMaker,
    Opener,
    ask_in_dialog,
    default_opener,
    private_settings,
    restore_geometry,
    save_geometry,
    stripe_factory,
)

if TYPE_CHECKING:  # imported on first use, after the first paint
    from assistant.account.keychain import Keychain
    from assistant.diagnosis.run import RunOutcome
    from assistant.store.case_history import CaseHistory
    from assistant.ui.pages.report import DirectoryProvider, SaveDialog

log = logging.getLogger(__name__)

__all__ = ["APP_TITLE", "MainWindow"]

CLOSING_WRITES_S = 2.0  # closing waits this long at most for the notes typed last to be written


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
        history: CaseHistory | None = None,
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
        self._settings = private_settings(settings if settings is not None else QSettings())
        self._build_workers(history, keychain, clipboard)
        report_kwargs = {k: v for k, v in (("save_dialog", save_dialog), ("documents_dir", documents_dir)) if v}
        self._build_pages(keychain, scenarios, report_kwargs)
        self._build_commands()
        self._build_status_line()
        self._build_flows(confirm or ask_in_dialog)
        self._wire()

        self.sidebar.setCurrentRow(0)
        self._refresh_identity()
        restore_geometry(self, self._settings)
        self.connect_page.apply_tab_order(first=self.sidebar)
        self.start_up = StartUp(
            self, self.connect_page, held=hold_start_up_work, warm_up=self.controller.warm_up_in_background,
            open_history=self._open_history_in_background,
            keychain_ready=self._keychain_ready, preloaded=self._preloaded, parent=self)

    # -- building ------------------------------------------------------------------------------
    def _build_workers(self, history: CaseHistory | None, keychain: Keychain | None,
                       clipboard: Clipboard | None) -> None:
        """What the pages and flows share: the history, the run controller, the state, the clipboard."""
        # history: a store, for tests; otherwise the one Settings / the environment name
        self.history_keeper = HistoryKeeper(history, settings=self._settings, keychain=keychain,
                                            parent=self)
        install_main_thread_gc()
        self.controller = RunController(self._factory_maker(self._api_base), parent=self)
        self.state = WindowState(self)
        # Every page copies through this, so every Copy says "Copied …" on the status line.
        self.clipboard = NotifyingClipboard(clipboard, parent=self)

    def _build_pages(self, keychain: Keychain | None, scenarios: list[Any] | None,
                     report_kwargs: dict[str, Any]) -> None:
        """The checklist and the page stack: only Connect is built now, the rest when first shown."""
        last = self._settings.value(LAST_PRACTICE, None)
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

    def _build_commands(self) -> None:
        """The actions (toolbar, menus, shortcuts) and the glossary they open."""
        self.team_action = self.history_keeper.settings_action(self)
        self.addAction(self.team_action)
        actions = make_actions(self, [spec.title for spec in STEPS])
        self.run_action, self.cancel_action = actions.run, actions.cancel
        self.copy_report_action, self.save_report_action = actions.copy_report, actions.save_report
        self.quit_action, self.user_guide_action = actions.quit, actions.user_guide
        self.glossary_action, self.history_action = actions.glossary, actions.history
        self.step_shortcuts = actions.steps
        self.search_glossary_action = actions.search_glossary
        self._step_actions = actions
        self.toolbar = install_toolbar(self, actions)
        self.about_action = make_about_action(self, self._open_url)
        install_menus(self, actions, team=self.team_action, about=self.about_action)
        self.glossary_host = GlossaryHost(self, self.glossary_action, self._open_url_requested,
                                          search=actions.search_glossary, page=self.stack)

    def _build_status_line(self) -> None:
        self.status_line = line = StatusLine(self.statusBar())
        self.mode_badge, self.account_label, self.key_label = line.mode_badge, line.account_label, line.key_label
        self.activity_label, self.busy_bar = line.activity_label, line.busy_bar
        self.history_keeper.attach_status(self.activity_label)
        self.links = LinkOpener(self._opener, self.clipboard, line.say)

    def _build_flows(self, confirm: Confirmer) -> None:
        """The portal, a run on screen, and the guided fixes."""
        self.portal = PortalFlow(self, self.state, self.controller, confirm, self._open_url,
                                 say=self.status_line.say)
        self.asks = AskFlow(self, self.state, self.controller, self.history_keeper, self.status_line.say, parent=self)
        self.run_view = RunView(self.controller, self.state, self.sidebar, self.connect_page, self.history_keeper,
                                run=self.run_action, cancel=self.cancel_action, activity=self.activity_label,
                                busy_bar=self.busy_bar, identity_changed=self._refresh_identity,
                                summary=self.status_line.show_summary,
                                finished=lambda s: self.runs.open_first_problem(s),
                                parent=self)
        self.run_view.shown.connect(self.outcome_shown)
        self.fix_controller = FixController(self.controller, parent=self)
        self.practice_switch = PracticeSwitch(
            self._practice, self.controller, self.fix_controller, self.state, self.connect_page, self._settings,
            self._factory_maker, self._api_base, clear_results=lambda: self.run_view.show(None),
            run=self.run_all, identity_changed=self._refresh_identity)
        self.fix_flow = FixFlow(self, self.state, self.controller, self.fix_controller, self.history_keeper,
                                show_outcome=self._show_after_fix, open_url=self._open_url,
                                say=self.activity_label.setText,  # whole in its tooltip
                                practice=self.practice_switch, parent=self)
        self.runs = RunCommands(self.controller, self.fix_controller, self.state, self.connect_page,
                                go_to_step=lambda step: self.go_to_step(self.step_index(step)),
                                clear_message=self.statusBar().clearMessage, parent=self)
        self.step_commands = StepCommands(
            self.state, self._step_actions, current_row=self.sidebar.currentRow,
            go_to_step=self._step_requested, check_again=self.runs.check_again_requested,
            open_portal=self.portal.request, say=self.status_line.say)
        self.report_commands = ReportCommands(
            lambda: self.page(self.step_index("report")), self.state, self.status_line.flash,
            copy=self.copy_report_action, save=self.save_report_action)

    # -- start-up ------------------------------------------------------------------------------
    def _keychain_ready(self, remembered: bool) -> None:
        if remembered:  # a remembered key: no first-time hint
            self.statusBar().clearMessage()
        self._refresh_identity()

    def _open_history_in_background(self) -> None:
        """On the start-up thread: open the history, then say which writes an earlier run left open."""
        self.history_keeper.open_in_background()
        self.fix_flow.look_for_open_writes()

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
        self.run_action.triggered.connect(self.runs.run_requested)
        self.cancel_action.triggered.connect(self.controller.cancel)
        self.history_action.triggered.connect(self.show_history)
        self.quit_action.triggered.connect(self._quit_requested)
        self.user_guide_action.triggered.connect(self._user_guide_requested)
        self.clipboard.copied.connect(self.status_line.flash)
        s = self.state
        s.run_requested.connect(self.runs.check_again_requested)
        s.url_requested.connect(self._open_url_requested)
        s.glossary_requested.connect(self.show_glossary)
        s.step_requested.connect(self._step_requested)
        s.notes_committed.connect(self.save_notes_to_history)
        s.outcome_changed.connect(self.report_commands.outcome_changed)
        cp = self.connect_page
        cp.check_requested.connect(self.runs.run_requested)
        cp.practice_requested.connect(self._practice_requested)
        cp.key_edited.connect(self._on_key_edited)
        cp.key_field.textChanged.connect(self._refresh_identity)
        cp.timeout_changed.connect(self.controller.set_run_timeout)
        self.controller.set_run_timeout(cp.run_timeout())

    # Slots return None: a slot's return value is never read, and PySide mishandles bools there.
    def _quit_requested(self, *_args: object) -> None:
        self.close()

    def _user_guide_requested(self, *_args: object) -> None:
        self.show_user_guide()

    def _practice_requested(self, name: str) -> None:
        self.open_practice(name, run=True)

    def _open_url_requested(self, url: str) -> None:
        self._open_url(url)

    def _step_requested(self, step_id: str) -> None:
        self.go_to_step(self.step_index(step_id))

    def _on_row_changed(self, row: int) -> None:
        if row >= 0:
            self.page_host.show_row(row)

    # -- the report, from anywhere ------------------------------------------------------------
    def copy_report(self) -> bool:
        return self.report_commands.copy()

    def save_report(self) -> str | None:
        return self.report_commands.save()

    def show_user_guide(self) -> QWidget:
        from assistant.ui.glossary.user_guide import HelpDialog, full_guide

        dialog = HelpDialog(self, self._open_url_requested, full_guide())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # -- practice accounts ---------------------------------------------------------------------
    def open_practice(self, name: str, *, run: bool = True) -> bool:
        """Serve a practice account and (by default) run every check: see `PracticeSwitch.open`."""
        return self.practice_switch.open(name, run=run)

    def leave_practice(self) -> None:
        self.practice_switch.leave()

    def _on_key_edited(self) -> None:
        self.statusBar().clearMessage()  # "First time? Pick a practice account…" is over
        self.practice_switch.leave_if_typed_over()
        self._refresh_identity()

    # -- running -------------------------------------------------------------------------------
    def run_all(self, *, keep_page: bool = False) -> bool:
        """Every check, read-only: see `RunCommands.run_all`."""
        return self.runs.run_all(keep_page=keep_page)

    def cancel(self) -> None:
        self.controller.cancel()

    def request_portal(self, customer_id: str, return_url: str | None = None) -> None:
        """Open a real portal session; in live mode only after the agent confirms by name."""
        self.portal.request(customer_id, return_url)

    @property
    def outcome(self) -> RunOutcome | None:
        return self.state.outcome

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
        practice = self.state.practice
        shown = identity(classify_key(self.connect_page.key()),
                         self.outcome.diagnosis if self.outcome else None,
                         (practice.title if practice else "") if self.practice_switch.active else None)
        self.status_line.show_identity(shown.mode, shown.who, shown.masked_key)
        self.live_banner.setVisible(is_live(shown.mode))
        self.setWindowTitle(shown.title)

    def _open_url(self, url: str) -> bool:
        """Every link of the window: in the browser, else copied with a sentence that says so."""
        return self.links.open(url)

    def save_settings(self) -> None:
        """Only geometry, dock/toolbar state and the last practice account: never keys or data."""
        save_geometry(self, self._settings)

    def shutdown(self) -> None:
        self.history_keeper.finish_writes(CLOSING_WRITES_S)
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

