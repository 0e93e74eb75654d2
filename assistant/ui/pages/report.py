"""Step "report": the run in one line ("1 problem: Plans and prices" and the sentence to read
out, from `diagnosis/summary.py`), every check at a glance, the agent's notes, and the redacted
ticket note to share. Save… starts in the agent's Documents folder (the provider is injectable).

The ticket note (`assistant.report.note`) starts with that same line, then what guided fixes
changed on the account in this call (before → after, and any undo), what the owner still has to
do, and the checks, a passing one on one line. Copy puts it on the clipboard as HTML and as
Markdown together, so a rich editor (e-mail, help desk) gets it formatted and a plain one (chat,
terminal) gets Markdown; Save writes the same note as Markdown, HTML or PDF. Everything shared
goes through `assistant.report`, which always removes keys and session links.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QMimeData, QStandardPaths, QTimer, QUrl, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from assistant.diagnosis.model import Diagnosis
from assistant.diagnosis.run import RunOutcome
from assistant.diagnosis.summary import summarise
from assistant.knowledge.base import KnowledgeBase
from assistant.report.asked import Asked, asked_in, headline_with_asks
from assistant.report.call_changes import MadeChange
from assistant.report.redaction import RedactionOptions, redaction_notice
from assistant.report.render import render
from assistant.store.call_changes import made_changes
from assistant.store.private_files import write_private  # saved reports: 0600
from assistant.ui.kit.clipboard import Clipboard
from assistant.ui.kit.fitted import FittedBrowser
from assistant.ui.kit.widgets import Disclosure
from assistant.ui.pages.common import ResultsPage, heading, text_label
from assistant.ui.results.lines import CheckLines
from assistant.ui.state.fix_state import FixState
from assistant.ui.state.window_state import AskState, WindowState

SaveDialog = Callable[[QWidget, str, str, str], tuple[str, str]]
PdfWriter = Callable[[str, Path], None]
DirectoryProvider = Callable[[], Path]

COPIED_MS = 3000  # how long Copy report says "Copied"
FILTER_MARKDOWN = "Markdown (*.md)"
FILTER_HTML = "HTML (*.html)"
FILTER_PDF = "PDF (*.pdf)"
FILTERS = f"{FILTER_MARKDOWN};;{FILTER_HTML};;{FILTER_PDF}"
_EXTENSIONS = {FILTER_MARKDOWN: ".md", FILTER_HTML: ".html", FILTER_PDF: ".pdf"}
_BY_SUFFIX = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".pdf": "pdf"}


def _default_pdf_writer(html: str, path: Path) -> None:
    from assistant.report.pdf import write_pdf

    write_pdf(html, path)


def documents_folder() -> Path:
    """Where saved reports go first: the agent's Documents folder, else their home folder
    (never the working directory, which for a desktop app is anywhere)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if found and Path(found).is_dir():
        return Path(found)
    return Path.home()


def save_format(path: str, selected_filter: str) -> tuple[Path, str]:
    """The file to write and its format: the extension typed wins, else the filter chosen."""
    target = Path(path)
    fmt = _BY_SUFFIX.get(target.suffix.lower())
    if fmt is None:
        ext = _EXTENSIONS.get(selected_filter, ".md")
        target = target.with_name(target.name + ext)
        fmt = _BY_SUFFIX[ext]
    return target, fmt


class ReportPage(ResultsPage):
    """Summary list, notes and ticket fields, e-mail masking, Copy report, Save…, preview."""

    step_id = "report"

    report_copied = Signal()
    report_saved = Signal(str)  # path written

    def __init__(
        self,
        knowledge: KnowledgeBase | None = None,
        clipboard: Clipboard | None = None,
        save_dialog: SaveDialog | None = None,
        pdf_writer: PdfWriter | None = None,
        documents_dir: DirectoryProvider | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(knowledge, clipboard, parent)
        self._save_dialog: SaveDialog = save_dialog or QFileDialog.getSaveFileName
        self._pdf_writer: PdfWriter = pdf_writer or _default_pdf_writer
        self._documents_dir: DirectoryProvider = documents_dir or documents_folder
        self._asks = AskState()
        self.rerun_button.setText("Run all checks again")
        self._build_summary()
        form = self._build_ticket_form()
        buttons = self._build_actions()
        self._build_preview()
        self._build_timers()
        self.add_content(self.summary_headline, self.read_out, heading("All checks"), self.fatal, self.checks_list,
                         heading("For the ticket"), form, buttons, self.redaction,
                         self.status, self.preview_toggle, self.preview)
        self.body.addStretch(1)
        self.render_outcome(None)
        self._options_changed()

    # -- building ------------------------------------------------------------------------------
    def _build_summary(self) -> None:
        """The run in words: where the problems are, then the sentence to read out to the owner."""
        self.summary_headline = heading("")
        self.summary_headline.setObjectName("reportSummary")
        self.read_out = text_label("")
        self.read_out.setObjectName("reportReadOut")
        self.fatal = text_label("")
        self.fatal.hide()
        self.checks_list = CheckLines()
        self.checks_list.check_activated.connect(self.glossary_requested)

    def _build_ticket_form(self) -> QFormLayout:
        self.ticket_field = QLineEdit()
        self.ticket_field.setPlaceholderText("e.g. ZD-48213")
        self.ticket_field.setAccessibleName("Ticket reference")
        self.notes_field = QPlainTextEdit()
        self.notes_field.setPlaceholderText("What the owner said, what you changed together, what is left to do")
        self.notes_field.setAccessibleName("Notes")
        self.notes_field.setMinimumHeight(self.fontMetrics().height() * 5)
        self.notes_field.setMaximumHeight(self.fontMetrics().height() * 10)
        form = QFormLayout()
        form.addRow("Ticket:", self.ticket_field)
        form.addRow("Notes:", self.notes_field)
        return form

    def _build_actions(self) -> QHBoxLayout:
        """Mask customer e-mails, Copy report, Save…"""
        self.mask_emails = QCheckBox("Mask customer e-mails")
        self.mask_emails.setChecked(True)
        self.redaction = text_label("")
        self.copy_button = QPushButton("Copy report")
        self.copy_button.setToolTip("Copy the report as formatted text and as Markdown (Ctrl+Shift+C)")
        self.copy_button.clicked.connect(self.copy_report)
        self.save_button = QPushButton("Save…")
        self.save_button.setToolTip("Save the report as Markdown, HTML or PDF (Ctrl+S)")
        self.save_button.clicked.connect(self._on_save_clicked)
        self.status = text_label("")
        buttons = QHBoxLayout()
        buttons.addWidget(self.mask_emails)
        buttons.addStretch(1)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.save_button)
        return buttons

    def _build_preview(self) -> None:
        self.preview = FittedBrowser()
        self.preview.setOpenLinks(False)
        self.preview.setAccessibleName("Report preview")
        self.preview.anchorClicked.connect(self._on_anchor)
        self.preview.hide()  # folded: the page leads with the summary and the two actions
        self.preview_toggle = Disclosure("Preview of the report", bold=True)
        self.preview_toggle.toggled.connect(self.preview.setVisible)

    def _build_timers(self) -> None:
        """"Copied" on the button for a moment; the preview follows the typing after a pause."""
        self._copied_timer = QTimer(self)
        self._copied_timer.setSingleShot(True)
        self._copied_timer.setInterval(COPIED_MS)
        self._copied_timer.timeout.connect(lambda: self.copy_button.setText("Copy report"))
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(250)
        self._preview_timer.timeout.connect(self.refresh_preview)
        self.notes_field.textChanged.connect(self._preview_timer.start)
        self.ticket_field.textChanged.connect(self._preview_timer.start)
        self.mask_emails.toggled.connect(self._options_changed)

    def attach(self, state: WindowState) -> None:
        """Keep the window state's notes and ticket current; a copied or saved report commits them."""
        def typed() -> None:
            state.update_inputs(notes=self.notes(), ticket=self.ticket())

        self.notes_field.textChanged.connect(typed)
        self.ticket_field.textChanged.connect(typed)
        self.report_copied.connect(state.commit_notes)
        self.report_saved.connect(state.commit_notes)
        state.asks_changed.connect(self._asks_changed)
        self._asks_changed(state.asks)
        if state.inputs.notes and not self.notes():
            self.set_notes(state.inputs.notes)
        if state.inputs.ticket and not self.ticket():
            self.set_ticket(state.inputs.ticket)
        super().attach(state)

    # -- public --------------------------------------------------------------------------------
    def notes(self) -> str:
        return self.notes_field.toPlainText()

    def ticket(self) -> str:
        return self.ticket_field.text().strip()

    def set_notes(self, text: str) -> None:
        self.notes_field.setPlainText(text)

    def set_ticket(self, text: str) -> None:
        self.ticket_field.setText(text)

    def options(self) -> RedactionOptions:
        return RedactionOptions(mask_emails=self.mask_emails.isChecked())

    def diagnosis(self) -> Diagnosis | None:
        """The last run with this page's notes and ticket, as the report renders it."""
        if self.outcome is None:
            return None
        return dataclasses.replace(self.outcome.diagnosis, notes=self.notes(), ticket=self.ticket())

    def changes(self) -> tuple[MadeChange, ...]:
        """What guided fixes changed on this account in this call (the window keeps them)."""
        return made_changes(self._fixes.made) if self._fixes is not None else ()

    def asks(self) -> tuple[Asked, ...]:
        """What Stripe said when asked about this account's portal flows in this call."""
        return asked_in(self._asks.run)

    def _asks_changed(self, asks: AskState) -> None:
        if asks.run is not self._asks.run:
            self._preview_timer.start()  # new answers are news for the note
        self._asks = asks
        self._show_headline()

    def _show_headline(self) -> None:
        """The run's verdict as the note's headline says it: a flow Stripe refused is named
        beside "no problems", never left for the agent to find further down."""
        diagnosis = self.diagnosis()
        summary = summarise(diagnosis) if diagnosis is not None else None
        self.summary_headline.setText(headline_with_asks(summary.headline, self.asks()) if summary else "")
        self.summary_headline.setVisible(summary is not None)

    def render_report(self, fmt: str) -> str:
        """The ticket note in `fmt` (markdown or html), with this call's changes and asks."""
        diagnosis = self.diagnosis()
        return render(diagnosis, fmt, options=self.options(), changes=self.changes(),
                      asks=self.asks()) if diagnosis else ""

    def show_fixes(self, fixes: FixState | None) -> None:
        super().show_fixes(fixes)
        self._preview_timer.start()  # a fix or an undo is news for the note

    def copy_report(self) -> None:
        if self.diagnosis() is None:
            return
        mime = QMimeData()
        mime.setHtml(self.render_report("html"))
        mime.setText(self.render_report("markdown"))
        self.clipboard().setMimeData(mime)
        self.status.setText("Report copied (formatted and Markdown).")
        self.copy_button.setText("Copied")  # answered where the agent looked, for a few seconds
        self._copied_timer.start()
        self.report_copied.emit()

    def save_report(self) -> str | None:
        """Ask where, write the chosen format, and say what happened on the page."""
        if self.diagnosis() is None:
            return None
        start = self._documents_dir() / self.default_file_name()
        path, selected = self._save_dialog(self, "Save report", str(start), FILTERS)
        if not path:
            return None
        target, fmt = save_format(path, selected)
        try:
            if fmt == "pdf":
                self._pdf_writer(self.render_report("html"), target)
            else:
                write_private(target, self.render_report(fmt))
        except OSError as exc:
            self.status.setText(f"Could not save the report to {target}: {exc.strerror or exc}")
            return None
        self.status.setText(f"Report saved to {target}")
        self.report_saved.emit(str(target))
        return str(target)

    def _on_save_clicked(self) -> None:
        self.save_report()

    def default_file_name(self) -> str:
        stamp = datetime.now().strftime("%Y-%m-%d")
        ticket = "".join(ch for ch in self.ticket() if ch.isalnum() or ch in "-_")
        return f"portal-report-{ticket or stamp}.md"

    def summary_lines(self) -> list[str]:
        return self.checks_list.texts()

    def refresh_preview(self) -> None:
        self._preview_timer.stop()
        html = self.render_report("html")
        self.preview.setHtml(html or "<p>Run the diagnosis to see the report.</p>")

    # -- view ----------------------------------------------------------------------------------
    def render_outcome(self, outcome: RunOutcome | None) -> None:
        diagnosis = outcome.diagnosis if outcome else None
        has = diagnosis is not None
        self.copy_button.setEnabled(has)
        self.save_button.setEnabled(has)
        summary = summarise(diagnosis) if diagnosis is not None else None
        self._show_headline()
        self.read_out.setText(f"Say to the owner: {summary.read_out}" if summary and summary.read_out else "")
        self.read_out.setVisible(bool(summary and summary.read_out))
        if diagnosis is not None and diagnosis.fatal:
            self.fatal.setText(f"The diagnosis could not run: {diagnosis.fatal}")
            self.fatal.show()
        else:
            self.fatal.hide()
        self.checks_list.show_checks(diagnosis.checks if diagnosis else (),
                                     empty="No diagnosis yet: connect on the first step and run it.")
        self.refresh_preview()

    def _options_changed(self) -> None:
        self.redaction.setText(redaction_notice(self.options()))
        self._preview_timer.start()

    def _on_anchor(self, url: QUrl) -> None:
        self.open_url_requested.emit(url.toString(QUrl.ComponentFormattingOption.FullyEncoded))


PAGE = ReportPage
