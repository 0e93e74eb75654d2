"""Step "configuration": which portal configuration Stripe uses in this mode and what it allows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from assistant.diagnosis.checks.facts import object_id
from assistant.diagnosis.checks.messages import label as message_label
from assistant.diagnosis.model import Status
from assistant.diagnosis.checks.portal import FEATURES
from assistant.knowledge.dashboard import dashboard_url
from assistant.diagnosis.run import RunOutcome
from assistant.knowledge.base import KnowledgeBase
from assistant.account.snapshot import Snapshot, StripeObject
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

NOT_READ = "—"


def feature_name(key: str) -> str:
    try:
        words = message_label("features", key)
    except (LookupError, OSError, ValueError):  # the wording file is optional for this view
        words = key.replace("_", " ")
    return f"{words[:1].upper()}{words[1:]} ({key})"


def feature_settings(key: str, spec: StripeObject) -> str:
    if not spec.get("enabled"):
        return ""
    if key == "customer_update":
        return ", ".join(spec.get("allowed_updates") or []) or "nothing may be changed"
    if key == "subscription_cancel":
        parts = [f"mode: {spec.get('mode') or '—'}"]
        reason = spec.get("cancellation_reason") or {}
        parts.append("asks for a reason" if reason.get("enabled") else "no reason asked")
        return ", ".join(parts)
    if key == "subscription_update":
        allowed = spec.get("default_allowed_updates")
        count = len(spec.get("products") or [])
        return (f"may change: {', '.join(allowed) if allowed else 'nothing'}; "
                f"{count} product{'s' if count != 1 else ''} offered")
    return ""


def catalogue_ids(conf: StripeObject) -> list[str]:
    update = (conf.get("features") or {}).get("subscription_update") or {}
    out: list[str] = []
    for entry in update.get("products") or []:
        if isinstance(entry, dict):
            out.append(object_id(entry.get("product")))
            out += [object_id(p) for p in entry.get("prices") or []]
    return out


def parity_rows(test: StripeObject | None, live: StripeObject | None) -> list[tuple[str, str, str, bool]]:
    """(area, test value, live value, differs) comparing the two modes' default configurations."""
    def value(conf: StripeObject | None, getter: Callable[[StripeObject], str]) -> str:
        return "no configuration saved" if conf is None else getter(conf)

    rows: list[tuple[str, str, str, bool]] = []
    rows.append(("Default configuration", value(test, lambda c: str(c.get("id"))),
                 value(live, lambda c: str(c.get("id"))), (test is None) != (live is None)))
    for key in FEATURES:
        def state(conf: StripeObject, key: str = key) -> str:
            return "On" if ((conf.get("features") or {}).get(key) or {}).get("enabled") else "Off"
        in_test, in_live = value(test, state), value(live, state)
        rows.append((feature_name(key), in_test, in_live, in_test != in_live))
    in_test = value(test, lambda c: ", ".join(catalogue_ids(c)) or "none")
    in_live = value(live, lambda c: ", ".join(catalogue_ids(c)) or "none")
    rows.append(("Products and prices offered", in_test, in_live, in_test != in_live))
    in_test = value(test, lambda c: c.get("default_return_url") or "none")
    in_live = value(live, lambda c: c.get("default_return_url") or "none")
    rows.append(("Default return URL", in_test, in_live, in_test != in_live))
    in_test = value(test, lambda c: "On" if (c.get("login_page") or {}).get("enabled") else "Off")
    in_live = value(live, lambda c: "On" if (c.get("login_page") or {}).get("enabled") else "Off")
    rows.append(("No-code login link", in_test, in_live, in_test != in_live))
    return rows


def _when(ts: object) -> str:
    if not isinstance(ts, (int, float)):
        return NOT_READ
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%d %H:%M UTC")


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

        self.parity_heading = heading("Test mode compared with live mode")
        self.parity_note = text_label("")
        self.parity = QTableWidget(0, 4)
        self.parity.setHorizontalHeaderLabels(["Setting", "Test mode", "Live mode", "Same?"])
        configure_table(self.parity)
        self.parity.setAccessibleName("Test and live differences")

        self.add_before_cards(buttons)
        self.add_content(heading("Default configuration"), form,
                         heading("Features customers get"), self.features,
                         self.parity_heading, self.parity_note, self.parity)
        self.body.addStretch(1)
        self.render_outcome(None)

    def portal_settings_url(self) -> str:
        return dashboard_url(self.mode, "portal")

    def render_outcome(self, outcome: RunOutcome | None) -> None:
        mode = self.mode
        self.open_settings_button.setText(
            f"Open portal settings ({mode} mode)" if mode else "Open portal settings")
        snap = outcome.snapshot if outcome else None
        conf = snap.default_configuration if snap else None
        if conf is None:
            missing = snap is not None and snap.configurations.value is not None
            text = "No default configuration saved in this mode" if missing else NOT_READ
            self.config_id.setText(text)
            for label in (self.config_name, self.config_updated, self.login_link):
                label.setText(NOT_READ)
        else:
            self.config_id.setText(str(conf.get("id") or NOT_READ))
            self.config_name.setText(conf.get("name") or "(no name)")
            self.config_updated.setText(_when(conf.get("updated")))
            login = conf.get("login_page") or {}
            self.login_link.setText(f"On: {login.get('url') or NOT_READ}" if login.get("enabled")
                                    else "Off (turn it on in the portal settings to get a link)")
        self._fill_features(conf)
        self._fill_parity(outcome)

    def _fill_features(self, conf: StripeObject | None) -> None:
        self.features.setRowCount(0)
        if conf is None:
            fit_table_height(self.features, min_rows=len(FEATURES))
            return
        features = conf.get("features") or {}
        self.features.setRowCount(len(FEATURES))
        for row, key in enumerate(FEATURES):
            spec = features.get(key) or {}
            on = bool(spec.get("enabled"))
            state = QTableWidgetItem(status_icon(Status.PASS if on else Status.SKIP), "On" if on else "Off")
            self.features.setItem(row, 0, QTableWidgetItem(feature_name(key)))
            self.features.setItem(row, 1, state)
            self.features.setItem(row, 2, QTableWidgetItem(feature_settings(key, spec)))
        self.features.resizeColumnsToContents()
        fit_table_height(self.features, min_rows=len(FEATURES))

    def _fill_parity(self, outcome: RunOutcome | None) -> None:
        self.parity.setRowCount(0)
        other = outcome.other if outcome else None
        if outcome is None or other is None or other.mode == outcome.snapshot.mode:
            self.parity_note.setText(
                "Add a key of the other mode on the Connect step to compare test and live settings.")
            self.parity.hide()
            return
        by_mode: dict[str | None, Snapshot] = {outcome.snapshot.mode: outcome.snapshot, other.mode: other}
        test, live = by_mode.get("test"), by_mode.get("live")
        unread = [m for m, s in (("test", test), ("live", live))
                  if s is None or s.configurations.value is None]
        if unread:
            self.parity_note.setText(
                f"Could not read the portal settings of {' and '.join(unread)} mode, so they are not compared.")
            self.parity.hide()
            return
        assert test is not None and live is not None
        rows = parity_rows(test.default_configuration, live.default_configuration)
        differ = sum(1 for r in rows if r[3])
        self.parity_note.setText(
            f"{differ} setting{'s differ' if differ != 1 else ' differs'} between test and live mode."
            if differ else "Test and live mode offer customers the same portal.")
        self.parity.show()
        self.parity.setRowCount(len(rows))
        for i, (area, in_test, in_live, differs) in enumerate(rows):
            self.parity.setItem(i, 0, QTableWidgetItem(area))
            self.parity.setItem(i, 1, QTableWidgetItem(in_test))
            self.parity.setItem(i, 2, QTableWidgetItem(in_live))
            same = QTableWidgetItem(status_icon(Status.WARN if differs else Status.PASS),
                                    "Differs" if differs else "Same")
            self.parity.setItem(i, 3, same)
        self.parity.resizeColumnsToContents()
        fit_table_height(self.parity, min_rows=len(rows))

    def parity_table_rows(self) -> list[list[str]]:
        return [[cell_text(self.parity, r, c) for c in range(self.parity.columnCount())]
                for r in range(self.parity.rowCount())]


PAGE = ConfigurationPage
