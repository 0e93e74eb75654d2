"""Step "configuration": which portal configuration Stripe uses in this mode and what it allows."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from assistant.diagnosis.checks.messages import finding_label
from assistant.diagnosis.checks.messages import label as state_label
from assistant.diagnosis.checks.parity import CID as PARITY
from assistant.diagnosis.checks.parity import parity_rows
from assistant.diagnosis.checks.portal import (
    CID_CONFIGURATION,
    CID_FEATURES,
    CID_LOGIN_LINK,
    CONFIGURATION_MISSING,
    CONFIGURATION_SAVED,
    FEATURE_STATE,
    FEATURES,
    LOGIN_LINK_OFF,
    LOGIN_LINK_ON,
    LOGIN_LINK_ON_OTHER,
    setting_rows,
)
from assistant.diagnosis.model import CheckResult, Diagnosis, Finding, Status
from assistant.diagnosis.run import RunOutcome
from assistant.knowledge.base import KnowledgeBase
from assistant.ui.kit.clipboard import Clipboard
from assistant.ui.pages.common import (
    ResultsPage,
    cell_text,
    configure_table,
    fit_table_height,
    heading,
    text_label,
)
from assistant.ui.results.card import status_icon

NOT_READ = "—"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _value(text: str) -> str:
    """A compared value as a cell: state words capitalised ("On", "Not offered"), ids and URLs as read."""
    return _capital(text) if text in _STATE_WORDS else text


_STATE_WORDS = frozenset(state_label("states", s) for s in ("on", "off", "offered", "not_offered", "none"))
# The words of the State and Same? columns, as declared in checks.json.
ON, OFF = _capital(state_label("states", "on")), _capital(state_label("states", "off"))
SAME, DIFFERS = state_label("parity_marks", "same"), state_label("parity_marks", "differs")


def feature_name(finding: Finding) -> str:
    return f"{_capital(finding.text('feature'))} ({finding.text('key')})"


def feature_settings(finding: Finding) -> str:
    """The settings of a feature that is on, in a few words (from the check's facts)."""
    if not finding.fact("enabled"):
        return ""
    key, settings = finding.text("key"), list(finding.texts("settings"))
    if key == "customer_update":
        return ", ".join(settings) or "nothing may be changed"
    if key == "subscription_cancel":
        reason = "asks for a reason" if finding.fact("cancellation_reason") else "no reason asked"
        return f"mode: {settings[0] if settings else '—'}, {reason}"
    if key == "subscription_update":
        offered = finding.fact("products_offered")
        count = offered if isinstance(offered, int) else 0
        allowed = ", ".join(s for s in settings if s != "nothing") or "nothing"
        return f"may change: {allowed}; {count} product{'s' if count != 1 else ''} offered"
    return ""


class ConfigurationPage(ResultsPage):
    """Default configuration (id, name), each feature on/off, the login link, test/live parity."""

    step_id = "configuration"

    def __init__(
        self,
        knowledge: KnowledgeBase | None = None,
        clipboard: Clipboard | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(knowledge, clipboard, parent)
        self.open_settings_button = QPushButton("Open portal settings")
        self.open_settings_button.setToolTip("Open the customer portal settings in the Stripe Dashboard")
        self.connect_open(self.open_settings_button, self.portal_settings_url)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_settings_button)
        buttons.addStretch(1)

        self.config_id = text_label(NOT_READ)
        self.config_name = text_label(NOT_READ)
        self.config_updated = text_label(NOT_READ)
        self.login_link = text_label(NOT_READ)
        form = QFormLayout()
        form.addRow("Configuration ID:", self.config_id)
        form.addRow("Name:", self.config_name)
        form.addRow("Last updated:", self.config_updated)
        form.addRow("No-code login link:", self.login_link)

        self.features = QTableWidget(0, 3)
        self.features.setHorizontalHeaderLabels(["Feature", "State", "Settings"])
        configure_table(self.features)
        self.features.setAccessibleName("Portal features")

        self.settings = QTableWidget(0, 2)
        self.settings.setHorizontalHeaderLabels(["Setting", "Value"])
        configure_table(self.settings)
        self.settings.setAccessibleName("Plan change, payment method and pause settings")

        self.parity_heading = heading("Test mode compared with live mode")
        self.parity_note = text_label("")
        self.parity = QTableWidget(0, 4)
        self.parity.setHorizontalHeaderLabels(["Setting", "Test mode", "Live mode", "Same?"])
        configure_table(self.parity)
        self.parity.setAccessibleName("Test and live differences")

        self.add_before_cards(buttons)
        self.add_content(heading("Default configuration"), form,
                         heading("Features customers get"), self.features,
                         heading("Plan change, payment method and pause settings"), self.settings,
                         self.parity_heading, self.parity_note, self.parity)
        self.body.addStretch(1)
        self.render_outcome(None)

    def portal_settings_url(self) -> str:
        return self.dashboard("portal")

    def render_outcome(self, outcome: RunOutcome | None) -> None:
        """The step's check results as found; the page adds layout, never a verdict."""
        mode = self.mode
        self.open_settings_button.setText(
            f"Open portal settings ({mode} mode)" if mode else "Open portal settings")
        diagnosis = outcome.diagnosis if outcome else None
        self._fill_form(diagnosis)
        features = diagnosis.check(CID_FEATURES) if diagnosis else None
        self._fill_features(features.with_code(FEATURE_STATE) if features else [])
        self._fill_settings(features)
        self._fill_parity(diagnosis.check(PARITY) if diagnosis else None)

    def _fill_form(self, diagnosis: Diagnosis | None) -> None:
        conf = diagnosis.check(CID_CONFIGURATION) if diagnosis else None
        saved = conf.with_code(CONFIGURATION_SAVED) if conf else []
        for label in (self.config_name, self.config_updated, self.login_link):
            label.setText(NOT_READ)
        # Every configuration has a login page of its own: the link is shown with or without a default.
        login = diagnosis.check(CID_LOGIN_LINK) if diagnosis else None
        state = login.with_code(LOGIN_LINK_ON, LOGIN_LINK_ON_OTHER, LOGIN_LINK_OFF) if login is not None else []
        if state:
            self.login_link.setText(finding_label(CID_LOGIN_LINK, state[0]) or NOT_READ)
        if not saved:
            missing = conf is not None and conf.has(CONFIGURATION_MISSING)
            self.config_id.setText("No default configuration saved in this mode" if missing else NOT_READ)
            return
        self.config_id.setText(saved[0].text("configuration_id", NOT_READ))
        name = saved[0].text("name")
        self.config_name.setText(name if name not in ("", "—") else "(no name)")
        self.config_updated.setText(saved[0].text("updated", NOT_READ))

    def _fill_features(self, features: list[Finding]) -> None:
        self.features.setRowCount(len(features))
        for row, finding in enumerate(features):
            on = bool(finding.fact("enabled"))
            state = QTableWidgetItem(status_icon(finding.status), ON if on else OFF)
            self.features.setItem(row, 0, QTableWidgetItem(feature_name(finding)))
            self.features.setItem(row, 1, state)
            self.features.setItem(row, 2, QTableWidgetItem(feature_settings(finding)))
        self.features.resizeColumnsToContents()
        fit_table_height(self.features, min_rows=len(FEATURES))

    def _fill_settings(self, features: CheckResult | None) -> None:
        rows = setting_rows(features) if features else []
        self.settings.setRowCount(len(rows))
        for i, row in enumerate(rows):
            self.settings.setItem(i, 0, QTableWidgetItem(row.setting))
            self.settings.setItem(i, 1, QTableWidgetItem(row.value))
        self.settings.resizeColumnsToContents()
        fit_table_height(self.settings, min_rows=max(len(rows), 1))

    def _fill_parity(self, parity: CheckResult | None) -> None:
        self.parity.setRowCount(0)
        rows = parity_rows(parity) if parity else []
        self.parity_note.setText(parity.summary if parity else
                                 "Run the diagnosis with keys of both modes to compare them.")
        self.parity.setVisible(bool(rows))
        if not rows:
            return
        self.parity.setRowCount(len(rows))
        for i, row in enumerate(rows):
            self.parity.setItem(i, 0, QTableWidgetItem(_capital(row.setting)))
            self.parity.setItem(i, 1, QTableWidgetItem(_value(row.test_value)))
            self.parity.setItem(i, 2, QTableWidgetItem(_value(row.live_value)))
            same = row.status is Status.PASS
            self.parity.setItem(i, 3, QTableWidgetItem(status_icon(row.status), SAME if same else DIFFERS))
        self.parity.resizeColumnsToContents()
        fit_table_height(self.parity, min_rows=len(rows))

    def parity_table_rows(self) -> list[list[str]]:
        return [[cell_text(self.parity, r, c) for c in range(self.parity.columnCount())]
                for r in range(self.parity.rowCount())]


PAGE = ConfigurationPage
