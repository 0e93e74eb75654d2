"""The preview of one fix, or of the choices between ways to repair one problem: what will change
in plain words and setting by setting as the owner sees them in the Dashboard (before → after),
on which object, in which mode, and what each choice means for the owner's customers; Apply or
Cancel. Live mode needs the account's id or name typed first. A guided fix shows the Dashboard
page of its mode and can wait for the owner to save (on a practice account the practice server
can play the owner and save).

The dialog is made afresh from the current plan each time Fix… is pressed, opens with the cursor
in its first input, and only shows and asks: the window applies (off the Qt thread), checking
first that the fix it sends is the one shown. Account data reaches every label, so all text is
plain (never rich text) and display-safe.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from assistant.diagnosis.fixes.display import object_words
from assistant.diagnosis.fixes.model import GUIDED, PRIVACY_URL, RETURN_URL, TERMS_URL, WEBHOOK_URL, Fix
from assistant.ui.fix.changes_view import ChangesView
from assistant.ui.fix.choice_list import ChoiceList
from assistant.ui.kit import icons
from assistant.ui.kit.widgets import ProblemLine
from assistant.ui.state.display import shown_text

if TYPE_CHECKING:
    from assistant.diagnosis.model import AccountInfo

_SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
_INPUT_LABELS = {
    RETURN_URL: ("Default redirect link", "https://example.com/account (the page customers go back to)"),
    WEBHOOK_URL: ("Webhook address", "https://example.com/stripe/webhooks (the owner's webhook handler)"),
    PRIVACY_URL: ("Privacy policy link", "https://example.com/privacy"),
    TERMS_URL: ("Terms of service link", "https://example.com/terms"),
}
WAIT_TEXT, STOP_TEXT = "Wait for the owner to save", "Stop waiting"
PRACTICE_SAVE_TEXT = "Save in the Dashboard (practice)"


def _label(text: str = "", *, bold: bool = False, big: bool = False) -> QLabel:
    label = QLabel(shown_text(text))
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(_SELECTABLE)
    font = QFont(label.font())
    font.setBold(bold)
    if big and font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * 1.2)
    label.setFont(font)
    return label


def confirms(typed: str, account: AccountInfo | None) -> bool:
    """The typed text names the account: its id exactly, or its name (case aside)."""
    text = typed.strip()
    if account is None or not text:
        return False
    return text == account.id or (bool(account.name) and text.casefold() == (account.name or "").casefold())


class FixPreview(QDialog):
    apply_requested = Signal(object)  # the Fix, exactly as shown (with the inputs typed)
    inputs_edited = Signal(str, str)  # input name ("return_url"), the text typed: plan again
    link_requested = Signal(str)  # the Dashboard page of a guided fix
    wait_requested = Signal()  # a guided fix: look for the owner's save every few seconds
    stop_waiting_requested = Signal()
    practice_save_requested = Signal(str)  # the mode: the practice server saves as the owner would

    def __init__(self, choices: Fix | Sequence[Fix], account: AccountInfo | None, parent: QWidget | None = None,
                 *, practice: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("fixPreview")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._choices: list[Fix] = [choices] if isinstance(choices, Fix) else list(choices)
        self._account, self._practice = account, practice
        self._working = self._waiting = False
        self._input_names = tuple(dict.fromkeys(n for c in self._choices for n in c.takes))
        mode_row = self._build_heading()
        self.changes_view = ChangesView(self)
        self.changes = self.changes_view.table
        self._notes, self._steps = _label(), _label()
        self._steps.setObjectName("fixSteps")
        self._build_inputs()
        self._build_confirmation()
        self._build_buttons()
        self._lay_out(mode_row)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 120)
        self.set_choices(self._choices)

    # -- building ------------------------------------------------------------------------------
    def _build_heading(self) -> QHBoxLayout:
        """The fix's title, its mode in words beside the mode's icon, the choices, its summary and objects."""
        self._title = _label(bold=True, big=True)
        self._mode_icon = QLabel()
        self._mode = _label()
        self._mode.setObjectName("fixMode")
        mode_row = QHBoxLayout()
        mode_row.addWidget(self._mode_icon)
        mode_row.addWidget(self._mode, 1)
        self.choice_list = ChoiceList(self)
        self.choice_list.chosen.connect(self._chosen)
        self._summary = _label()
        self._summary.setObjectName("fixSummary")
        self._objects = _label()
        self._objects.setObjectName("fixObjects")
        return mode_row

    def _build_inputs(self) -> None:
        """One field per input the fixes are planned from (a URL the agent types)."""
        self.inputs: dict[str, QLineEdit] = {}
        self._input_labels: dict[str, QLabel] = {}
        for input_name in self._input_names:
            title, hint = _INPUT_LABELS[input_name]
            field = QLineEdit()
            field.setObjectName(f"fixInput_{input_name}")
            field.setPlaceholderText(hint)
            field.setAccessibleName(title)
            field.textEdited.connect(lambda text, n=input_name: self.inputs_edited.emit(n, text))
            label = _label(title, bold=True)
            label.setBuddy(field)
            self.inputs[input_name] = field
            self._input_labels[input_name] = label
        self._problem = ProblemLine()  # why the input cannot be used: a sentence, marked as a problem
        self._problem.setObjectName("fixProblem")

    def _build_confirmation(self) -> None:
        """Live mode: the account typed to confirm; then what the fix is doing."""
        self._confirm_label = _label()
        self.confirm = QLineEdit()
        self.confirm.setObjectName("liveConfirm")
        self.confirm.setAccessibleName("Account id or name, to confirm a live change")
        self.confirm.textChanged.connect(self._refresh_buttons)
        self._confirm_label.setBuddy(self.confirm)
        self._status = _label()
        self._status.setObjectName("fixStatus")
        self._status.setAccessibleName("Fix status")

    def _build_buttons(self) -> None:
        """A guided fix's Dashboard link, wait and practice save; Apply and Cancel."""
        self.open_link = QPushButton("Open the portal settings")
        self.open_link.setObjectName("openDashboard")
        self.open_link.clicked.connect(self._open_link)
        self.wait_button = QPushButton(WAIT_TEXT)
        self.wait_button.setObjectName("waitButton")
        self.wait_button.clicked.connect(self._toggle_wait)
        self.practice_save = QPushButton(PRACTICE_SAVE_TEXT)
        self.practice_save.setObjectName("practiceSaveButton")
        self.practice_save.setToolTip("Practice accounts only: the practice server saves the portal settings as "
                                      "the owner would in the Dashboard, so the wait completes")
        self.practice_save.clicked.connect(self._practice_save)
        self.buttons = QDialogButtonBox()
        self.apply_button = self.buttons.addButton("Apply", QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setObjectName("applyButton")
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._apply)
        self.buttons.rejected.connect(self.reject)

    def _lay_out(self, mode_row: QHBoxLayout) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(self._title)
        layout.addLayout(mode_row)
        layout.addWidget(self.choice_list)
        self._heading = _label("What will change", bold=True)
        shown: tuple[QWidget, ...] = (self._heading, self._summary, self._objects, self.changes_view, self._steps)
        for part in shown:
            layout.addWidget(part)
        guided_row = QHBoxLayout()
        for button in (self.open_link, self.wait_button, self.practice_save):
            guided_row.addWidget(button)
        guided_row.addStretch(1)
        layout.addLayout(guided_row)
        layout.addWidget(self._notes)
        for name, field in self.inputs.items():
            layout.addWidget(self._input_labels[name])
            layout.addWidget(field)
        asked: tuple[QWidget, ...] = (self._problem, self._confirm_label, self.confirm, self._status)
        for part in asked:
            layout.addWidget(part)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    # -- what is shown -------------------------------------------------------------------------
    @property
    def fix(self) -> Fix:
        """The fix shown now (the choice selected), exactly what Apply would send."""
        return self._choices[self.choice_list.selected] if self._choices else self._fix

    @property
    def choices(self) -> list[Fix]:
        return list(self._choices)

    def set_choices(self, choices: Sequence[Fix]) -> None:
        """Show these choices (planned anew after the agent typed), keeping the one selected."""
        selected = self.choice_list.selected if self.choice_list.buttons else 0
        self._choices = list(choices)
        self.choice_list.set_choices(self._choices, selected)
        self._show(self.fix)

    def set_fix(self, fix: Fix) -> None:
        """Show `fix` as the only choice (again, after the agent typed an input and it was planned anew)."""
        self.set_choices([fix])

    def _chosen(self, _index: int) -> None:
        if self._choices:
            self._show(self.fix)

    def _show(self, fix: Fix) -> None:
        self._fix = fix
        guided = fix.kind == GUIDED
        mode = fix.mode or "unknown"
        self.setWindowTitle(f"Fix: {shown_text(fix.title)}")
        self._title.setText(shown_text(fix.title))
        self._mode_icon.setPixmap(icons.icon_pixmap("live" if fix.live else "test", self))
        self._mode.setText(shown_text(
            "LIVE mode: real customers see this change at once." if fix.live else f"{mode.capitalize()} mode."))
        self._summary.setText(shown_text(fix.summary))
        objects = list(dict.fromkeys(object_words(c.object, c.object_kind, fix.mode, fix.names) for c in fix.changes))
        self._objects.setText(shown_text("Changes " + ", ".join(objects) + ".") if objects else "")
        self._objects.setVisible(bool(objects))
        self.changes_view.show_fix(fix)
        self._heading.setText("What the owner does" if guided else "What will change")
        self._steps.setText(shown_text("\n".join(f"{i}. {s}" for i, s in enumerate(fix.steps, 1))))
        self._steps.setVisible(guided and bool(fix.steps))
        self._show_guided(fix, mode)
        self._notes.setText(shown_text("\n".join(fix.notes)))
        self._notes.setVisible(bool(fix.notes))
        for name, field in self.inputs.items():
            self._input_labels[name].setVisible(not guided and name in fix.takes)
            field.setVisible(not guided and name in fix.takes)
        self._problem.set_text(shown_text(fix.problem))
        self._problem.setVisible(bool(fix.problem))
        self._show_confirmation(fix.live and not guided)
        self.apply_button.setVisible(not guided)
        self.cancel_button.setText("Close" if guided else "Cancel")
        self._refresh_buttons()
        self.adjustSize()

    def _show_guided(self, fix: Fix, mode: str) -> None:
        guided = fix.kind == GUIDED
        self.open_link.setVisible(guided and bool(fix.dashboard_url))
        self.open_link.setText(f"Open the {mode} mode portal settings")
        self.wait_button.setVisible(guided and fix.waits)
        self.practice_save.setVisible(guided and fix.waits and self._practice)

    def _show_confirmation(self, live: bool) -> None:
        if live and self._account is not None:
            name = f" or its name ({self._account.name})" if self._account.name else ""
            self._confirm_label.setText(shown_text(
                f"This changes LIVE mode. To confirm, type the account's id ({self._account.id}){name}:"))
        elif live:
            self._confirm_label.setText("This changes LIVE mode, but the account's id could not be read with "
                                        "this key, so it cannot be confirmed here.")
        for widget in (self._confirm_label, self.confirm):
            widget.setVisible(live)

    def typed(self) -> dict[str, str]:
        """What the agent typed in each input, now."""
        return {name: field.text() for name, field in self.inputs.items()}

    def first_input(self) -> QWidget:
        """Where the cursor starts: the first input the fix takes, else the choice, else the
        live confirmation, else the main button."""
        for name in self.fix.takes:
            field = self.inputs.get(name)
            if field is not None and not field.isHidden():
                return field
        if not self.choice_list.isHidden() and self.choice_list.buttons:
            return self.choice_list.buttons[self.choice_list.selected]
        if not self.confirm.isHidden():
            return self.confirm
        return self.apply_button if not self.apply_button.isHidden() else self.cancel_button

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.first_input().setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    def set_working(self, working: bool) -> None:
        """While the fix is applied: nothing can be pressed twice."""
        self._working = working
        if working:
            self._status.setText("Applying… (Stripe is being asked; this takes a few seconds)")
        for widget in (*self.inputs.values(), self.confirm, self.choice_list):
            widget.setEnabled(not working)
        self._refresh_buttons()

    def show_error(self, text: str) -> None:
        """Stripe refused, or the apply could not run: say why; Apply again retries the same change."""
        self._status.setText(shown_text(text))

    def status_text(self) -> str:
        return self._status.text()

    def set_waiting(self, waiting: bool) -> None:
        self._waiting = waiting
        self.wait_button.setText(STOP_TEXT if waiting else WAIT_TEXT)
        self._status.setText("Waiting for the owner to save… the assistant looks every few seconds." if waiting
                             else "")

    @property
    def ready(self) -> bool:
        fix = self.fix
        if not fix.ready or self._working:
            return False
        return not fix.live or confirms(self.confirm.text(), self._account)

    # -- agent actions -------------------------------------------------------------------------
    def _refresh_buttons(self) -> None:
        self.apply_button.setEnabled(self.ready)
        self.cancel_button.setEnabled(not self._working)

    @property
    def input(self) -> QLineEdit:
        """The (first) input field: most fixes take one."""
        return next(iter(self.inputs.values()))

    def _apply(self) -> None:
        if self.ready:
            self.apply_requested.emit(self.fix)

    def _open_link(self) -> None:
        if self.fix.dashboard_url:
            self.link_requested.emit(self.fix.dashboard_url)

    def _toggle_wait(self) -> None:
        if self._waiting:
            self.stop_waiting_requested.emit()
        else:
            self.wait_requested.emit()

    def _practice_save(self) -> None:
        self.practice_save_requested.emit(self.fix.mode or "test")

    def reject(self) -> None:
        if self._working:
            return  # the change is on its way: wait for Stripe's answer
        if self._waiting:
            self.stop_waiting_requested.emit()
        super().reject()
