"""The preview of one fix: what will change in plain words and field by field (before → after),
on which object, in which mode; Apply or Cancel. Live mode needs the account's id or name typed
first. A guided fix shows the Dashboard page of its mode and can wait for the owner to save.

The dialog only shows and asks: the window applies (off the Qt thread) and tells it how it went.
Account data reaches every label, so all text is plain (never rich text) and display-safe.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from assistant.diagnosis.fixes.display import object_text, value_text
from assistant.diagnosis.fixes.model import GUIDED, PRIVACY_URL, RETURN_URL, TERMS_URL, WEBHOOK_URL, Fix
from assistant.ui.kit import icons
from assistant.ui.kit.plain import plain_tooltip
from assistant.ui.state.display import shown_text

if TYPE_CHECKING:
    from assistant.diagnosis.model import AccountInfo

_SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
_INPUT_LABELS = {
    RETURN_URL: ("Return URL", "https://example.com/account (the page customers go back to)"),
    WEBHOOK_URL: ("Webhook address", "https://example.com/stripe/webhooks (the owner's webhook handler)"),
    PRIVACY_URL: ("Privacy policy link", "https://example.com/privacy"),
    TERMS_URL: ("Terms of service link", "https://example.com/terms"),
}


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
    apply_requested = Signal(object)  # the Fix, as shown (with the inputs typed)
    inputs_edited = Signal(str, str)  # input name ("return_url"), the text typed: plan again
    link_requested = Signal(str)  # the Dashboard page of a guided fix
    wait_requested = Signal()  # a guided fix: look for the owner's save every few seconds
    stop_waiting_requested = Signal()

    def __init__(self, fix: Fix, account: AccountInfo | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fixPreview")
        self.setWindowTitle(f"Fix: {shown_text(fix.title)}")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._account = account
        self._fix = fix
        self._working = False
        self._input_names = fix.takes
        mode_row = self._build_heading(fix)
        self._build_changes()
        self._build_inputs()
        self._build_confirmation()
        self._build_buttons()
        self._lay_out(mode_row)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 120)
        self.set_fix(fix)

    # -- building ------------------------------------------------------------------------------
    def _build_heading(self, fix: Fix) -> QHBoxLayout:
        """The fix's title, its mode in words beside the mode's icon, its summary and objects."""
        self._title = _label(fix.title, bold=True, big=True)
        self._mode_icon = QLabel()
        self._mode = _label()
        self._mode.setObjectName("fixMode")
        mode_row = QHBoxLayout()
        mode_row.addWidget(self._mode_icon)
        mode_row.addWidget(self._mode, 1)
        self._summary = _label()
        self._summary.setObjectName("fixSummary")
        self._objects = _label()
        self._objects.setObjectName("fixObjects")
        return mode_row

    def _build_changes(self) -> None:
        """What will change, field by field (before and after), and the guided fix's steps."""
        self.changes = QTableWidget(0, 3)
        self.changes.setObjectName("fixChanges")
        self.changes.setAccessibleName("Changes, field by field")
        self.changes.setHorizontalHeaderLabels(["Field", "Before", "After"])
        self.changes.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.changes.setWordWrap(True)
        self.changes.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # both ends of a long URL stay
        self.changes.verticalHeader().setVisible(False)
        header = self.changes.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)

        self._notes = _label()
        self._steps = _label()
        self._steps.setObjectName("fixSteps")

    def _build_inputs(self) -> None:
        """One field per input the fix is planned from (a URL the agent types)."""
        self.inputs: dict[str, QLineEdit] = {}
        self._input_labels: list[QLabel] = []
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
            self._input_labels.append(label)
        self._problem = _label()
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
        """A guided fix's Dashboard link and wait; Apply and Cancel."""
        self.open_link = QPushButton("Open the portal settings")
        self.open_link.setObjectName("openDashboard")
        self.open_link.clicked.connect(self._open_link)
        self.wait_button = QPushButton("Wait for the owner to save")
        self.wait_button.setObjectName("waitButton")
        self.wait_button.clicked.connect(self._toggle_wait)
        self._waiting = False

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
        self._heading = _label("What will change", bold=True)
        layout.addWidget(self._heading)
        layout.addWidget(self._summary)
        layout.addWidget(self._objects)
        layout.addWidget(self.changes)
        layout.addWidget(self._steps)
        guided_row = QHBoxLayout()
        guided_row.addWidget(self.open_link)
        guided_row.addWidget(self.wait_button)
        guided_row.addStretch(1)
        layout.addLayout(guided_row)
        layout.addWidget(self._notes)
        for label, field in zip(self._input_labels, self.inputs.values(), strict=True):
            layout.addWidget(label)
            layout.addWidget(field)
        layout.addWidget(self._problem)
        layout.addWidget(self._confirm_label)
        layout.addWidget(self.confirm)
        layout.addWidget(self._status)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    # -- what is shown -------------------------------------------------------------------------
    @property
    def fix(self) -> Fix:
        return self._fix

    def set_fix(self, fix: Fix) -> None:
        """Show `fix` (again, after the agent typed an input and it was planned anew)."""
        self._fix = fix
        guided = fix.kind == GUIDED
        mode = fix.mode or "unknown"
        self._mode_icon.setPixmap(icons.icon_pixmap("live" if fix.live else "test", self))
        self._mode.setText(shown_text(
            "LIVE mode: real customers see this change at once." if fix.live else f"{mode.capitalize()} mode."))
        self._summary.setText(shown_text(fix.summary))
        objects = list(dict.fromkeys(object_text(c.object, c.object_kind) for c in fix.changes))
        self._objects.setText(shown_text("On " + ", ".join(objects) + f" ({mode} mode).") if objects else "")
        self._objects.setVisible(bool(objects))
        self.changes.setRowCount(len(fix.changes))
        for row, change in enumerate(fix.changes):
            for column, text in enumerate((change.field, value_text(change.before), value_text(change.after))):
                item = QTableWidgetItem(shown_text(text))
                item.setToolTip(plain_tooltip(shown_text(text)))
                self.changes.setItem(row, column, item)
        self.changes.resizeRowsToContents()
        self._fit_table()
        self.changes.setVisible(bool(fix.changes))
        self._heading.setText("What the owner does" if guided else "What will change")
        self._steps.setText(shown_text("\n".join(f"{i}. {s}" for i, s in enumerate(fix.steps, 1))))
        self._steps.setVisible(guided and bool(fix.steps))
        self.open_link.setVisible(guided and bool(fix.dashboard_url))
        self.open_link.setText(f"Open the {mode} mode portal settings")
        self.wait_button.setVisible(guided and fix.waits)
        self._notes.setText(shown_text("\n".join(fix.notes)))
        self._notes.setVisible(bool(fix.notes))
        for widget in (*self._input_labels, *self.inputs.values()):
            widget.setVisible(not guided)
        self._problem.setText(shown_text(fix.problem))
        self._problem.setVisible(bool(fix.problem))
        live = fix.live and not guided
        if live and self._account is not None:
            name = f" or its name ({self._account.name})" if self._account.name else ""
            self._confirm_label.setText(shown_text(
                f"This changes LIVE mode. To confirm, type the account's id ({self._account.id}){name}:"))
        elif live:
            self._confirm_label.setText("This changes LIVE mode, but the account's id could not be read with "
                                        "this key, so it cannot be confirmed here.")
        for widget in (self._confirm_label, self.confirm):
            widget.setVisible(live)
        self.apply_button.setVisible(not guided)
        self.cancel_button.setText("Close" if guided else "Cancel")
        self._refresh_buttons()
        self.adjustSize()

    def _fit_table(self) -> None:
        """As tall as its rows (up to eight; more scroll), so a one-field fix has no empty box."""
        table = self.changes
        rows = sum(table.rowHeight(r) for r in range(min(table.rowCount(), 8)))
        height = table.horizontalHeader().sizeHint().height() + rows + table.frameWidth() * 2 + 2
        table.setFixedHeight(max(height, table.fontMetrics().height() * 3))

    def set_working(self, working: bool) -> None:
        """While the fix is applied: nothing can be pressed twice."""
        self._working = working
        if working:
            self._status.setText("Applying… (Stripe is being asked; this takes a few seconds)")
        for field in self.inputs.values():
            field.setEnabled(not working)
        self.confirm.setEnabled(not working)
        self._refresh_buttons()

    def show_error(self, text: str) -> None:
        """Stripe refused, or the apply could not run: say why; Apply again retries the same change."""
        self._status.setText(shown_text(text))

    def status_text(self) -> str:
        return self._status.text()

    def set_waiting(self, waiting: bool) -> None:
        self._waiting = waiting
        self.wait_button.setText("Stop waiting" if waiting else "Wait for the owner to save")
        self._status.setText("Waiting for the owner to save… the assistant looks every few seconds." if waiting
                             else "")

    @property
    def ready(self) -> bool:
        fix = self._fix
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
            self.apply_requested.emit(self._fix)

    def _open_link(self) -> None:
        if self._fix.dashboard_url:
            self.link_requested.emit(self._fix.dashboard_url)

    def _toggle_wait(self) -> None:
        if self._waiting:
            self.stop_waiting_requested.emit()
        else:
            self.wait_requested.emit()

    def reject(self) -> None:
        if self._working:
            return  # the change is on its way: wait for Stripe's answer
        if self._waiting:
            self.stop_waiting_requested.emit()
        super().reject()

