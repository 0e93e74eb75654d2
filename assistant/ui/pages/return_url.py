"""Step "return_url": where customers land after the portal, and the owner's own URL checked as typed.

The check itself runs on the next diagnosis; the field gives the agent an answer while the owner
is still reading the address out, using the same rules Stripe applies (absolute http(s) URL).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QWidget

from assistant.diagnosis.model import Status
from assistant.diagnosis.run import RunOutcome
from assistant.knowledge.base import KnowledgeBase
from assistant.ui.check_card import status_pixmap
from assistant.ui.clipboard import Clipboard
from assistant.ui.pages.common import ResultsPage, heading, text_label

_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0"})


@dataclass(frozen=True)
class UrlVerdict:
    status: Status | None  # None: nothing typed
    message: str


def assess_return_url(text: str, mode: str | None) -> UrlVerdict:
    """What Stripe will make of this return URL in `mode`, in words for the agent."""
    url = text.strip()
    if not url:
        return UrlVerdict(None, "Leave this empty to use the configuration's default return URL.")
    if any(ch.isspace() for ch in url):
        return UrlVerdict(Status.FAIL, "Not a valid URL: it contains a space. Stripe refuses it "
                                       "(\u201cNot a valid URL\u201d).")
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        return UrlVerdict(Status.FAIL, "Not a valid URL. Stripe refuses it (\u201cNot a valid URL\u201d).")
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = f"{scheme}://" if scheme else "no scheme"
        return UrlVerdict(Status.FAIL, f"Not a valid return URL ({shown}): it must be a full web "
                                       "address starting with https://, e.g. https://example.com/account.")
    if not host:
        return UrlVerdict(Status.FAIL, "Not a valid return URL: the web address has no host name.")
    if mode == "live" and (host in _LOCAL_HOSTS or host.endswith(".localhost")):
        return UrlVerdict(Status.WARN, "This points at the owner's own computer (localhost): real "
                                       "customers would land on an error page in live mode.")
    if mode == "live" and scheme == "http":
        return UrlVerdict(Status.WARN, "This uses http://, not https://: in live mode customers may "
                                       "see a browser warning. Use the https:// address.")
    return UrlVerdict(Status.PASS, "Stripe accepts this return URL; customers come back here.")


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

    # -- view ----------------------------------------------------------------------------------
    def render_outcome(self, outcome: RunOutcome | None) -> None:
        conf = outcome.snapshot.default_configuration if outcome else None
        if outcome is None:
            self.default_url.setText("—")
        elif conf is None:
            self.default_url.setText("No default portal configuration in this mode.")
        else:
            self.default_url.setText(conf.get("default_return_url")
                                     or "None set: the owner's app must pass a return URL.")
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
            self.verdict_word.setText({Status.PASS: "OK", Status.WARN: "WARNING",
                                       Status.FAIL: "INVALID"}.get(verdict.status, verdict.status.label))
        self.verdict.setText(verdict.message)


PAGE = ReturnUrlPage
