"""Step 1, Connect: the customer's key (or a practice account) in, the account's name out.

The key is shown only in password-mode fields; everywhere else (results, status bar, tooltips)
it appears masked. Keys are kept in memory unless the agent ticks "Remember", and then only in
the operating system's keychain.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from assistant.account.connected import connected_account_or_none, connected_account_problem
from assistant.account.keys import KeyInfo, KeyKind, classify_key, mask_key
from assistant.diagnosis.model import CheckResult, Status
from assistant.ui.kit import keys
from assistant.ui.kit.icons import icon, state_word
from assistant.ui.kit.plain import plain_tooltip
from assistant.ui.kit.widgets import IconLabel, page_heading
from assistant.ui.pages.base import StepPage
from assistant.ui.practice.picker import PracticePicker

if TYPE_CHECKING:  # neither is needed to draw the page: the window hands the keychain in later
    from assistant.account.keychain import Keychain
    from assistant.diagnosis.run import RunOutcome
    from assistant.ui.state.window_state import Inputs, WindowState

KEYCHAIN_PENDING = "Looking for the system keychain…"
CONNECTED_HINT = ("Optional (Stripe Connect): a connected account's id, to check its own portal settings. "
                  "They count for direct charges; destination charges use the platform's own.")


def describe_connected_account(text: str) -> tuple[str, str]:
    """(icon name, one line) for the connected account field, before anything goes to Stripe."""
    problem = connected_account_problem(text)
    if problem:
        return "fail", problem
    account = connected_account_or_none(text)
    if account is None:
        return "", CONNECTED_HINT
    return "info", (f"Every request acts as {account} (Stripe-Account), with the platform's key: "
                    "its own portal settings, customers and events are checked.")


def describe_key(info: KeyInfo, checked: bool = False) -> tuple[str, str]:
    """(icon name, one line) for what was typed, before anything goes to Stripe; `checked`: a
    run of this key is on screen, so it is no longer "ready to check"."""
    if not info.key:
        return "", "Paste the secret key from the Stripe Dashboard: Developers → API keys."
    if info.problem:
        return "fail", info.problem
    kind = "Restricted key" if info.kind is KeyKind.RESTRICTED else "Secret key"
    removed = f" {info.removed}" if info.removed else ""
    if info.live:
        return "live", f"{kind}, LIVE mode ({info.masked}): real customers and real money.{removed}"
    ready = "" if checked else " Ready to check."
    return "pass", f"{kind}, test mode ({info.masked}).{ready}{removed}"


class KeyField(QLineEdit):
    """A password-mode key field that strips surrounding whitespace as the agent pastes."""

    def __init__(self, accessible_name: str, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.setPlaceholderText(placeholder)
        self.setAccessibleName(accessible_name)
        self.setClearButtonEnabled(True)
        self.setInputMethodHints(
            Qt.InputMethodHint.ImhSensitiveData | Qt.InputMethodHint.ImhNoPredictiveText
            | Qt.InputMethodHint.ImhNoAutoUppercase
        )
        # Room for a modern ~107-character key without making the form absurdly wide.
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 32)
        self._reveal = self.addAction(icon("eye"), QLineEdit.ActionPosition.TrailingPosition)
        self._reveal.setCheckable(True)
        self._reveal.setToolTip("Show the key")
        self._reveal.setText("Show the key")
        self._reveal.toggled.connect(self._set_revealed)
        self.textChanged.connect(self._strip)

    @property
    def reveal_action(self) -> QAction:
        return self._reveal

    def key(self) -> str:
        """The key itself: taken out of a pasted form (quotes, `Bearer …`) when it was in one."""
        return classify_key(self.text()).key

    def _strip(self, text: str) -> None:
        stripped = text.strip()
        if stripped != text:
            self.setText(stripped)

    def _set_revealed(self, shown: bool) -> None:
        self.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        self._reveal.setIcon(icon("eye-off" if shown else "eye"))
        tip = "Hide the key" if shown else "Show the key"
        self._reveal.setToolTip(plain_tooltip(tip))
        self._reveal.setText(tip)


class ConnectPage(StepPage):
    step_id = "connect"

    check_requested = Signal()  # run all checks with the key(s) entered
    practice_requested = Signal(str)  # open this practice scenario
    key_edited = Signal()  # the agent typed or pasted a key (not a practice fill-in)
    timeout_changed = Signal(float)  # seconds a whole run may wait for Stripe
    connected_account_changed = Signal(str)  # what the agent typed in the connected account field

    def __init__(
        self,
        keychain: Keychain | None = None,
        scenarios: Sequence[Any] | None = None,
        last_scenario: str | None = None,
        talk_track: QWidget | None = None,
        parent: QWidget | None = None,
        *,
        keychain_later: bool = False,
    ) -> None:
        """`keychain_later`: do not look for the keychain now (keyring's backend discovery takes
        0.2 s); the window calls `set_keychain` after its first paint."""
        super().__init__(parent)
        if keychain is None and not keychain_later:
            from assistant.account.keychain import Keychain

            keychain = Keychain()
        self._keychain: Keychain | None = keychain
        self._practice_keys: set[str] = set()
        self._practice_title: str | None = None
        self._checked_key: str | None = None  # the masked key of the run on screen
        self._scenarios = list(scenarios) if scenarios is not None else _load_scenarios()

        heading = page_heading(self.heading_text)
        self._build_hint()
        key_box = self._build_key_box()
        result_box = self._build_result_box()
        practice_box = self._build_practice_box()
        self._lay_out(heading, key_box, practice_box, result_box, talk_track)
        self._wire()

        if self._keychain is not None:
            self._init_keychain()
        else:
            self.remember.setEnabled(False)
            self.forget_button.setEnabled(False)
            self.keychain_status.set("pending", KEYCHAIN_PENDING)
        if last_scenario:
            self.select_scenario(last_scenario)
        self._refresh_key_status()

    # -- building ------------------------------------------------------------------------------
    def _build_hint(self) -> None:
        """First run: practice accounts are the way in without a key."""
        self.hint = IconLabel(
            "info",
            "No key yet? Open a practice account below to see what a healthy (or broken) "
            "set-up looks like. Practice accounts run on this computer and never touch Stripe.",
            wrap=True,
        )
        self.hint_frame = QFrame()
        self.hint_frame.setFrameShape(QFrame.Shape.StyledPanel)
        hint_layout = QVBoxLayout(self.hint_frame)
        hint_layout.addWidget(self.hint)

    def _build_key_box(self) -> QGroupBox:
        """The key, the other mode's key, the keychain and the time limit."""
        key_box = QGroupBox("Customer's key")
        self.key_field = KeyField("Secret key", "sk_test_… or sk_live_…")
        self.key_status = IconLabel(wrap=True)
        self.check_button = QPushButton("&Check key")
        self.check_button.setAccessibleName("Check key")
        self.check_button.setToolTip(keys.with_keys("Check the key and run every check", keys.RUN_ALL))
        self.check_button.setDefault(True)
        key_row = QHBoxLayout()
        key_row.addWidget(self.key_field, 1)
        key_row.addWidget(self.check_button)
        key_label = QLabel("&Secret key:")
        key_label.setBuddy(self.key_field)

        self.second_field = KeyField(
            "Second key, other mode (optional)", "optional: the other mode's key, for comparing"
        )
        self.second_status = IconLabel(wrap=True)
        second_label = QLabel("&Other-mode key:")
        second_label.setBuddy(self.second_field)
        keychain_row = self._build_keychain_row()
        timeout_label, timeout_row = self._build_timeout_row()
        connected_label = self._build_connected_field()

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(key_label, key_row)
        form.addRow("", self.key_status)
        form.addRow(second_label, self.second_field)
        form.addRow("", self.second_status)
        form.addRow("", keychain_row)
        form.addRow("", self.keychain_status)
        form.addRow(connected_label, self.connected_field)
        form.addRow("", self.connected_status)
        form.addRow(timeout_label, timeout_row)
        key_box.setLayout(form)
        return key_box

    def _build_connected_field(self) -> QLabel:
        """A connected account (Stripe Connect) to act as: checked for its shape as it is typed."""
        self.connected_field = QLineEdit()
        self.connected_field.setPlaceholderText("optional: acct_… of a connected account")
        self.connected_field.setAccessibleName("Connected account (optional)")
        self.connected_field.setClearButtonEnabled(True)
        self.connected_status = IconLabel(*describe_connected_account(""), wrap=True)
        label = QLabel("Co&nnected:")  # as short as the other labels: the page must not scroll sideways
        label.setBuddy(self.connected_field)
        return label

    def _build_keychain_row(self) -> QHBoxLayout:
        self.remember = QCheckBox("&Remember in system keychain")
        self.remember.setAccessibleName("Remember in system keychain")
        self.forget_button = QPushButton("&Forget stored keys")
        self.forget_button.setAccessibleName("Forget stored keys")
        self.keychain_status = IconLabel(wrap=True)
        keychain_row = QHBoxLayout()
        keychain_row.addWidget(self.remember)
        keychain_row.addStretch(1)
        keychain_row.addWidget(self.forget_button)
        return keychain_row

    def _build_timeout_row(self) -> tuple[QLabel, QHBoxLayout]:
        """A slow or hanging server costs at most this long; the run then shows what it has."""
        self.timeout_field = QSpinBox()
        self.timeout_field.setRange(1, 600)
        self.timeout_field.setValue(30)
        self.timeout_field.setSuffix(" s")
        self.timeout_field.setAccessibleName("Time limit for a run")
        self.timeout_field.setToolTip("Stop waiting for Stripe after this long; requests still "
                                      "waiting are shown as errors")
        timeout_label = QLabel("&Time limit:")
        timeout_label.setBuddy(self.timeout_field)
        timeout_row = QHBoxLayout()
        timeout_row.addWidget(self.timeout_field)
        timeout_row.addStretch(1)
        return timeout_label, timeout_row

    def _build_result_box(self) -> QGroupBox:
        """What Stripe said: the account, and one line per check of this step."""
        result_box = QGroupBox("Connection")
        self.result = IconLabel("pending", "Not checked yet.", wrap=True)
        self.result.setAccessibleName("Connection result")
        self.check_lines = [IconLabel(wrap=True) for _ in self.check_ids]
        result_layout = QVBoxLayout(result_box)
        result_layout.addWidget(self.result)
        for line in self.check_lines:
            line.hide()
            result_layout.addWidget(line)
        return result_box

    def _build_practice_box(self) -> PracticePicker:
        practice_box = PracticePicker(self._scenarios)
        self.practice = practice_box
        self.practice_combo = practice_box.combo
        self.practice_button = practice_box.open_button
        return practice_box

    def _lay_out(self, heading: QWidget, key_box: QWidget, practice_box: QWidget, result_box: QWidget,
                 talk_track: QWidget | None) -> None:
        """One scrolling column: the fields first, the talk track (when there is one) below."""
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(heading)
        layout.addWidget(self.hint_frame)
        layout.addWidget(key_box)
        layout.addWidget(practice_box)
        layout.addWidget(result_box)
        layout.addStretch(1)
        self._body_layout = layout
        self.talk_track: QWidget | None = None
        if talk_track is not None:
            self.set_talk_track(talk_track)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes field to field, not to the frame
        self.apply_tab_order()

    def _wire(self) -> None:
        self.key_field.textChanged.connect(self._refresh_key_status)
        self.second_field.textChanged.connect(self._refresh_key_status)
        self.key_field.textEdited.connect(lambda _t: self._user_edited())
        self.second_field.textEdited.connect(lambda _t: self._user_edited())
        self.key_field.returnPressed.connect(self.check_button.click)
        self.second_field.returnPressed.connect(self.check_button.click)
        self.check_button.clicked.connect(self.check_requested)
        self.timeout_field.valueChanged.connect(self._timeout_edited)
        self.connected_field.textChanged.connect(self._connected_edited)
        self.connected_field.returnPressed.connect(self.check_button.click)
        self.practice.opened.connect(self.practice_requested)
        self.forget_button.clicked.connect(self._forget)

    def set_talk_track(self, panel: QWidget) -> None:
        """Below the fields (the key and the picker come first); the window adds it after its
        first paint, since the talk tracks need the knowledge base."""
        if self.talk_track is not None:
            return
        self.talk_track = panel
        self._body_layout.insertWidget(self._body_layout.count() - 1, panel)  # before the stretch
        signal = getattr(panel, "glossary_requested", None)
        if signal is not None:
            signal.connect(self.glossary_requested)

    def set_keychain(self, keychain: Keychain, stored: tuple[str | None, str | None] | None = None) -> None:
        """Hand in the keychain found after the first paint; `stored` = the keys it holds
        (read on the same worker thread), or None to read them now."""
        if self._keychain is not None:
            return
        self._keychain = keychain
        self.remember.setEnabled(True)
        self.forget_button.setEnabled(True)
        self._init_keychain(stored)

    @property
    def keychain_ready(self) -> bool:
        return self._keychain is not None

    def apply_tab_order(self, first: QWidget | None = None) -> None:
        """Key → Check → other key → keychain → practice picker (list, Open, the answer's
        toggle); `first` (the checklist) leads in."""
        chain = [self.key_field, self.check_button, self.second_field, self.remember,
                 self.forget_button, self.connected_field, self.timeout_field, self.practice_combo,
                 self.practice_button, self.practice.answer_toggle]
        if first is not None:
            chain.insert(0, first)
        for a, b in pairwise(chain):
            QWidget.setTabOrder(a, b)

    # -- what the window reads -------------------------------------------------------------

    def key(self) -> str:
        return self.key_field.key()

    def second_key(self) -> str | None:
        return self.second_field.key() or None

    def key_info(self) -> KeyInfo:
        return classify_key(self.key_field.text())  # the field as pasted: says what was removed

    def run_timeout(self) -> float:
        return float(self.timeout_field.value())

    def connected_account(self) -> str | None:
        """The connected account to act as (acct_…), None when the field is empty."""
        return connected_account_or_none(self.connected_field.text())

    def connected_account_problem(self) -> str | None:
        """Why the field's text is not a connected account id (None when it is one, or empty)."""
        return connected_account_problem(self.connected_field.text())

    def attach(self, state: WindowState) -> None:
        """Keep the connected account in the window state's inputs (a practice account brings one)."""
        self.connected_account_changed.connect(lambda text: state.update_inputs(connected_account=text))
        state.inputs_changed.connect(self._inputs_changed)
        self._inputs_changed(state.inputs)
        super().attach(state)

    def _inputs_changed(self, inputs: Inputs) -> None:
        if inputs.connected_account != self.connected_field.text():
            self.connected_field.blockSignals(True)
            self.connected_field.setText(inputs.connected_account)
            self.connected_field.blockSignals(False)
            self._show_connected_status()

    def _connected_edited(self, text: str) -> None:
        self._show_connected_status()
        self.connected_account_changed.emit(text)

    def _show_connected_status(self) -> None:
        self.connected_status.set(*describe_connected_account(self.connected_field.text()))

    def _timeout_edited(self, value: int) -> None:
        self.timeout_changed.emit(float(value))

    @property
    def practice_active(self) -> bool:
        return self._practice_title is not None

    def selected_scenario(self) -> str | None:
        return self.practice.selected()

    def select_scenario(self, name: str) -> None:
        self.practice.select(name)

    def set_practice(self, title: str, primary: str, second: str | None) -> None:
        """Fill in a practice account's keys (not an agent edit: no `key_edited`)."""
        self._practice_title = title
        self._practice_keys = {k for k in (primary, second) if k}
        self.key_field.setText(primary)
        self.second_field.setText(second or "")
        self.result.set("pending", f"Practice account “{title}”: its keys are filled in.")

    def leave_practice(self) -> None:
        self._practice_title = None
        self._practice_keys = set()

    # -- StepPage ------------------------------------------------------------------------

    def set_busy(self, busy: bool) -> None:
        self.check_button.setEnabled(not busy)
        self.practice.set_busy(busy)
        if busy:
            self.result.set("running", "Checking the key with Stripe…")

    def show_outcome(self, outcome: RunOutcome | None) -> None:
        for line in self.check_lines:
            line.hide()
        self._checked_key = outcome.diagnosis.masked_key if outcome is not None else None
        self._refresh_key_status()
        if outcome is None:
            self.result.set("pending", "Not checked yet.")
            return
        from assistant.diagnosis.checks.key import CID_ACCEPTED  # loaded by the run already

        diagnosis = outcome.diagnosis
        results = [diagnosis.check(cid) for cid in self.check_ids]
        accepted = diagnosis.check(CID_ACCEPTED)
        headline: CheckResult | None = None  # the check the headline speaks for (its line goes)
        if diagnosis.fatal:
            self.result.set("error", diagnosis.fatal)
        elif accepted is not None and accepted.status is Status.PASS and diagnosis.account:
            name = diagnosis.account.name or "(no business name set)"
            mode = (diagnosis.mode or "unknown").upper()
            key = (f"the platform's key {diagnosis.masked_key}, acting as this connected account"
                   if diagnosis.connected_account else f"key {diagnosis.masked_key}")
            self.result.set("pass", f"Connected to {name} ({diagnosis.account.id}), {mode} mode, {key}.")
            self._remember_if_asked()
        elif any(results):
            # Not connected: the worst of the step's checks leads, by its title (a skipped
            # "Stripe accepts the key" says only what another check already said).
            headline = max((r for r in results if r is not None), key=lambda r: r.status.severity)
            self.result.set(headline.status.value, _refusal_text(headline))
        else:
            self.result.set("error", "The key could not be checked.")
        for line, result in zip(self.check_lines, results, strict=True):
            if result is not None and result is not headline:
                line.set(result.status.value, _line_text(result))
                line.show()

    def show_failure(self, message: str) -> None:
        self.result.set("fail", message)

    def show_cancelled(self, had_previous: bool) -> None:
        text = "Cancelled. The previous results are still shown." if had_previous else "Cancelled."
        self.result.set("cancelled", text)

    # -- internals ------------------------------------------------------------------------

    def _user_edited(self) -> None:
        if self._practice_title is not None and not {self.key(), self.second_key() or ""} <= (
            self._practice_keys | {""}
        ):
            self.leave_practice()
        self.key_edited.emit()

    def _refresh_key_status(self) -> None:
        info = self.key_info()
        self.key_status.set(*describe_key(info, checked=bool(info.key) and info.masked == self._checked_key))
        self.hint_frame.setVisible(not info.key and self._practice_title is None)
        # While the agent pastes, the hint's room stays, so the fields never jump under the
        # mouse; once a run is shown (or a practice account fills the keys) it goes.
        policy = self.hint_frame.sizePolicy()
        policy.setRetainSizeWhenHidden(self._practice_title is None and self._checked_key is None)
        self.hint_frame.setSizePolicy(policy)
        second = self.second_key()
        if not second:
            self.second_status.set("", "Optional: the other mode's key, to compare test and live settings.")
            return
        other = classify_key(second)
        name, text = describe_key(other)
        if other.usable and info.usable and other.mode == info.mode:
            name, text = "warn", (
                f"Both keys are {info.mode} keys; the second key should be the other mode's "
                "(sk_test_… with sk_live_…)."
            )
        self.second_status.set(name, text)

    def _init_keychain(self, stored_keys: tuple[str | None, str | None] | None = None) -> None:
        assert self._keychain is not None
        status = self._keychain.status()
        self.remember.setChecked(False)
        if not status.available:
            self.remember.setEnabled(False)
            self.forget_button.setEnabled(False)
            self.remember.setToolTip(plain_tooltip(status.reason))
            self.keychain_status.set("info", status.reason)
            return
        self.keychain_status.set("", f"Keys are stored only in {status.backend}, never in a file.")
        if stored_keys is None:
            stored_keys = (self._keychain.load("primary"), self._keychain.load("other_mode"))
        stored, other = stored_keys
        # Arriving late, a stored key must not replace what the agent (or a practice account)
        # has filled in meanwhile.
        if stored and not self.key() and not self.practice_active:
            self.key_field.setText(stored)
            self.second_field.setText(other or "")
            self.remember.setChecked(True)
            self.keychain_status.set("key", f"Using the key stored in {status.backend} ({mask_key(stored)}).")

    def _remember_if_asked(self) -> None:
        if not self.remember.isChecked() or not self.remember.isEnabled() or self.practice_active:
            return
        if self._keychain is None:
            return
        status = self._keychain.save(self.key(), "primary")
        if status.available and self.second_key():
            status = self._keychain.save(self.second_key() or "", "other_mode")
        if status.available:
            self.keychain_status.set("key", f"Stored in {status.backend} ({mask_key(self.key())}).")
        else:
            self.keychain_status.set("warn", status.reason)

    def _forget(self) -> None:
        if self._keychain is None:
            return
        removed = self._keychain.forget_all()
        self.remember.setChecked(False)
        noun = "key" if removed == 1 else "keys"
        self.keychain_status.set("pass", f"Removed {removed} stored {noun} from the keychain.")


def _line_text(result: CheckResult) -> str:
    """"FAIL: <the check's title>. <what it found>"."""
    return f"{state_word(result.status)}: {result.title}. {result.summary}"


def _refusal_text(result: CheckResult) -> str:
    """The check's line, then Stripe's own words, code and request id, so the agent can quote them."""
    lines = [_line_text(result)]
    if result.stripe_error is not None:
        from assistant.report.stripe_said import stripe_said_line  # loaded by the run already

        lines.append(stripe_said_line(result.stripe_error))
    return "\n".join(lines)


def _load_scenarios() -> list[Any]:
    """The picker's entries (names, titles, complaints, answers: the server is not imported)."""
    try:
        from assistant.practice.scenarios import list_scenarios

        return list(list_scenarios())
    except Exception:  # practice data missing: the page still works with a real key
        return []


PAGE = ConnectPage
