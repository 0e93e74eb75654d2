"""Step "return_url": where customers land after the portal, and the owner's own URL checked as typed.

The check itself runs on the next diagnosis; the field gives the agent an answer while the owner
is still reading the address out, from the check's own rule and in its own words (`check_url`),
so the field and the card can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QWidget

from assistant.diagnosis.checks.messages import finding_label
from assistant.diagnosis.checks.return_url import CID, RETURN_URL_DEFAULT_VALUE, check_url
from assistant.diagnosis.model import Status
from assistant.diagnosis.run import RunOutcome
from assistant.knowledge.base import KnowledgeBase
from assistant.ui.kit.clipboard import Clipboard
from assistant.ui.pages.common import ResultsPage, heading, text_label
from assistant.ui.results.card import status_pixmap
from assistant.ui.state.window_state import Inputs, WindowState

EMPTY = "Leave this empty to use the configuration's default return URL."


@dataclass(frozen=True)
class UrlVerdict:
    status: Status | None  # None: nothing typed
    message: str
    word: str = ""  # beside the icon: the finding's label in checks.json ("OK", "INVALID")


def assess_return_url(text: str, mode: str | None) -> UrlVerdict:
    """What the portal.return_url check makes of this URL in `mode`: its own rule, its words."""
    if not text.strip():
        return UrlVerdict(None, EMPTY)
    result = check_url(text, mode)
    word = finding_label(CID, result.headline, mode) if result.headline else None
    return UrlVerdict(result.status, result.summary, word or result.status.label)


class ReturnUrlPage(ResultsPage):
    """Default return URL of the configuration, plus the owner's own URL (`return_url()`)."""

    step_id = "return_url"

    return_url_changed = Signal(str)  # the stripped text, "" when cleared

    def __init__(
        self,
        knowledge: KnowledgeBase | None = None,
        clipboard: Clipboard | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(knowledge, clipboard, parent)
        self.default_url = text_label("—")
        self.url_field = QLineEdit()
        self.url_field.setPlaceholderText("https://example.com/account")
        self.url_field.setClearButtonEnabled(True)
        self.url_field.setAccessibleName("Return URL the owner's app passes")
        self.url_field.textChanged.connect(self._on_text)
        self.url_field.returnPressed.connect(self.request_rerun)

        self.verdict_icon = QLabel()
        self.verdict_word = text_label("", bold=True, selectable=False)
        self.verdict = text_label("")
        verdict_row = QHBoxLayout()
        verdict_row.addWidget(self.verdict_icon)
        verdict_row.addWidget(self.verdict_word)
        verdict_row.addWidget(self.verdict, 1)

        form = QFormLayout()
        form.addRow("Default return URL (in the portal settings):", self.default_url)
        form.addRow("Return URL the owner's app passes:", self.url_field)
        self.add_before_cards(
            heading("Where customers go when they leave the portal"), form, verdict_row,
            text_label("Press Check again (or Enter) to run the check with this URL."))
        self.body.addStretch(1)
        self._show_verdict()

    # -- public --------------------------------------------------------------------------------
    def return_url(self) -> str:
        return self.url_field.text().strip()

    def set_return_url(self, url: str) -> None:
        self.url_field.setText(url)

    def verdict_now(self) -> UrlVerdict:
        return assess_return_url(self.url_field.text(), self.mode)

    def attach(self, state: WindowState) -> None:
        """Follow the window state's return URL (a practice account brings one); tell it what is typed."""
        self.return_url_changed.connect(lambda url: state.update_inputs(return_url=url))
        state.inputs_changed.connect(self._inputs_changed)
        self._inputs_changed(state.inputs)
        super().attach(state)

    def _inputs_changed(self, inputs: Inputs) -> None:
        if inputs.return_url != self.return_url():
            self.url_field.blockSignals(True)
            self.url_field.setText(inputs.return_url)
            self.url_field.blockSignals(False)
            self._show_verdict()

    # -- view ----------------------------------------------------------------------------------
    def render_outcome(self, outcome: RunOutcome | None) -> None:
        result = outcome.diagnosis.check(CID) if outcome else None
        default = result.with_code(RETURN_URL_DEFAULT_VALUE) if result else []
        if result is None:
            self.default_url.setText("—")
        elif not default:  # skipped or an error: the check says why
            self.default_url.setText(result.summary)
        else:
            url = default[0].text("url")
            self.default_url.setText(url if url not in ("", "—")
                                     else "None set: the owner's app must pass a return URL.")
        self._show_verdict()

    def _on_text(self, text: str) -> None:
        self._show_verdict()
        self.return_url_changed.emit(text.strip())

    def _show_verdict(self) -> None:
        verdict = self.verdict_now()
        if verdict.status is None:
            self.verdict_icon.clear()
            self.verdict_word.setText("")
        else:
            self.verdict_icon.setPixmap(status_pixmap(verdict.status, self))
            self.verdict_word.setText(verdict.word)
        self.verdict.setText(verdict.message)


PAGE = ReturnUrlPage
