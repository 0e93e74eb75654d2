"""One check result as the agent sees it: status icon and word, what to say, what to do.

Every step page composes these, so the card is the one place that decides how a result reads:
the summary is larger because it is read aloud, text is selectable because agents paste it into
tickets, and the status is a word as well as an icon so it never depends on colour.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal, SignalInstance
from PySide6.QtGui import QCursor, QFont, QIcon, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from assistant.diagnosis.model import CheckResult, Status
from assistant.report.redaction import RedactionOptions, redact_text
from assistant.report.stripe_said import HEADING as STRIPE_SAID
from assistant.report.stripe_said import stripe_said, stripe_said_line
from assistant.ui.kit import icons
from assistant.ui.kit.clipboard import Clipboard, clipboard_or_default
from assistant.ui.kit.flow_layout import FlowLayout
from assistant.ui.kit.focus_order import skip_read_only
from assistant.ui.kit.plain import plain_tooltip
from assistant.ui.kit.url_text import linkify, unbroken_text
from assistant.ui.kit.widgets import Disclosure, TermLink

# Read-only text selects with the mouse (agents paste it into tickets) but takes no Tab stop:
# the keyboard goes to what can be acted on (kit/focus_order.py).
_SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse


def status_icon(status: Status) -> QIcon:
    """The shared status icon (its own shape per status; the word always goes next to it)."""
    return icons.status_icon(status)


def status_pixmap(status: Status, widget: QWidget, scale: float = 1.0) -> QPixmap:
    """The status icon as a pixmap sized from `widget`'s font, at the screen's pixel ratio."""
    return icons.icon_pixmap(status.value, widget, scale)


def icon_size(widget: QWidget, scale: float = 1.0) -> QSize:
    """Icons follow the font, so they grow with the agent's text size."""
    side = max(12, round(widget.fontMetrics().height() * scale))
    return QSize(side, side)


def status_label(status: Status) -> str:
    return status.label


def emitter(signal: SignalInstance, *args: object) -> Callable[..., None]:
    """A slot that emits `signal(*args)` and returns None.

    PySide6 mishandles a Python slot that returns a bool (a refcount error on True/False that
    aborts the interpreter at exit), and `Signal.emit` returns True, so never connect
    `lambda: sig.emit(x)` directly.
    """
    def _emit(*_ignored: object) -> None:
        signal.emit(*args)
    return _emit


# ---------------------------------------------------------------------------------------------
def _show_whole_link(url: str) -> None:
    if url:
        QToolTip.showText(QCursor.pos(), plain_tooltip(url))
    else:
        QToolTip.hideText()


def result_as_text(result: CheckResult) -> str:
    """The card as plain text, for pasting into a ticket or chat. Keys and session links removed."""
    lines = [f"[{result.status.label}] {result.title}", result.summary]
    if result.details:
        lines.append("Details:")
        lines += [f"  - {d}" for d in result.details]
    if result.fix:
        lines.append("What to do:")
        lines += [f"  {i}. {f}" for i, f in enumerate(result.fix, 1)]
    if result.stripe_error is not None:
        lines.append(stripe_said_line(result.stripe_error))
    return redact_text("\n".join(lines), RedactionOptions(mask_emails=False))


def _label(text: str = "", *, rich: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(_SELECTABLE)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return label


class CheckCard(QFrame):
    """A framed card for one CheckResult. `set_result(None)` shows a "not run yet" placeholder."""

    glossary_requested = Signal(str)  # term name
    link_activated = Signal(str)  # a Dashboard (or other https) link the agent clicked
    copied = Signal(str)  # the text put on the clipboard
    fix_requested = Signal(str)  # check id: preview the fix the assistant can apply
    undo_requested = Signal(str)  # change id: put back what the last fix changed

    def __init__(
        self,
        result: CheckResult | None = None,
        *,
        check_id: str = "",
        clipboard: Clipboard | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._result: CheckResult | None = None
        self._check_id = check_id
        self._clipboard = clipboard
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("checkCard")
        bold = self._build_title_row()
        self._build_buttons()
        header = self._build_header()
        self._build_body(bold)
        self._build_chips()
        self._lay_out(header)
        self.set_result(result)

    # -- building ------------------------------------------------------------------------------
    def _build_title_row(self) -> QFont:
        """The status's icon and word and the check's title (bold: returned for the headings)."""
        self._icon = QLabel()
        self._icon.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._status = QLabel()
        bold = QFont(self._status.font())
        bold.setBold(True)
        self._status.setFont(bold)
        self._title = _label()
        self._title.setFont(bold)
        return bold

    def _build_buttons(self) -> None:
        """Copy, Known causes, and a guided fix's Fix… and Undo."""
        self._copy = QPushButton("Copy")
        self._copy.setToolTip("Copy this result as text")
        self._copy.clicked.connect(self.copy_to_clipboard)
        self._causes = QPushButton("Known causes")
        self._causes.setToolTip("Open what usually causes this, and how to fix it, in the glossary pane")
        self._causes.clicked.connect(self._open_causes)

        # Guided fixes: shown only when the planner has a fix for this result, or a fix can be undone.
        self._fix_button = QPushButton("Fix…")
        self._fix_button.setObjectName("fixButton")
        self._fix_button.clicked.connect(self._ask_fix)
        self._fix_button.hide()
        self._undo_button = QPushButton("Undo")
        self._undo_button.setObjectName("undoButton")
        self._undo_button.setToolTip("Put back what the last fix changed on the account")
        self._undo_button.clicked.connect(self._ask_undo)
        self._undo_button.hide()
        self._undo_change = ""

    def _build_header(self) -> QHBoxLayout:
        """The title row with Details; the buttons flow in a row of their own."""
        # A passing card folds to its header and summary; the evidence waits behind this.
        self._more = Disclosure("Details")
        self._more.setObjectName("detailsToggle")
        self._more.setToolTip("Show what the check read (ids, values, links)")
        self._more.toggled.connect(self._unfold)
        self._more.hide()
        self._unfolded_by_agent: set[str] = set()

        # The title has the row to itself, so it never wraps into a column beside the buttons.
        header = QHBoxLayout()
        header.addWidget(self._icon)
        header.addWidget(self._status)
        header.addWidget(self._title, 1)
        header.addWidget(self._more, 0, Qt.AlignmentFlag.AlignTop)
        self._actions_box = QWidget()
        actions = FlowLayout(self._actions_box)
        for button in (self._fix_button, self._undo_button, self._causes, self._copy):
            actions.addWidget(button)
        return header

    def _build_body(self, bold: QFont) -> None:
        """The summary (larger), the evidence, what to do (with links), what Stripe said."""
        self._summary = _label()
        big = QFont(self._summary.font())
        size = big.pointSizeF()
        if size > 0:
            big.setPointSizeF(size * 1.25)
        self._big_font = big
        self._summary.setFont(big)
        self._summary.setAccessibleName("Summary")

        self._details = _label(rich=True)
        self._fix_heading = QLabel("What to do")
        self._fix_heading.setFont(bold)
        self._fix = _label(rich=True)
        self._fix.setOpenExternalLinks(False)
        self._fix.setTextInteractionFlags(_SELECTABLE | Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self._fix.linkActivated.connect(self.link_activated)
        self._details.setOpenExternalLinks(False)
        self._details.linkActivated.connect(self.link_activated)
        for label in (self._details, self._fix):  # a link is shown elided: hovering shows it whole
            label.linkHovered.connect(_show_whole_link)
        self._details.setTextInteractionFlags(self._fix.textInteractionFlags())

        self._error_heading = QLabel(STRIPE_SAID)
        self._error_heading.setFont(bold)
        self._error = _label()
        self._error.setAccessibleName("Stripe error")

    def _build_chips(self) -> None:
        """The glossary terms of the result, one chip each."""
        self._chips_box = QWidget()
        self._chips_row = FlowLayout(self._chips_box)
        self._chips_row.addWidget(QLabel("Terms:"))
        self._chips: list[QToolButton] = []

    def _lay_out(self, header: QHBoxLayout) -> None:
        """Header, the sentence to read out, then what can be done about it (Fix…, Undo, Known
        causes, Copy): right under the sentence, so Tab reaches Fix… before the evidence's links."""
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self._summary)
        layout.addWidget(self._actions_box)
        layout.addWidget(self._details)
        layout.addWidget(self._fix_heading)
        layout.addWidget(self._fix)
        layout.addWidget(self._error_heading)
        layout.addWidget(self._error)
        layout.addWidget(self._chips_box)

    # -- public --------------------------------------------------------------------------------
    @property
    def result(self) -> CheckResult | None:
        return self._result

    @property
    def check_id(self) -> str:
        return self._result.id if self._result else self._check_id

    def set_fix(self, title: str | None, *, undo_change: str | None = None, enabled: bool = True) -> None:
        """Offer the fix titled `title` (None: no fix) and the undo of `undo_change` (None: none);
        `enabled` False while Stripe work runs."""
        self._fix_button.setVisible(bool(title))
        self._fix_button.setToolTip(plain_tooltip(f"Preview, then apply: {title}") if title else "")
        self._fix_button.setAccessibleDescription(title or "")
        self._undo_change = undo_change or ""
        self._undo_button.setVisible(bool(undo_change))
        self._fix_button.setEnabled(enabled)
        self._undo_button.setEnabled(enabled)
        self._show_actions()

    def fix_button(self) -> QPushButton:
        return self._fix_button

    def undo_button(self) -> QPushButton:
        return self._undo_button

    def _ask_fix(self) -> None:
        self.fix_requested.emit(self.check_id)

    def _ask_undo(self) -> None:
        if self._undo_change:
            self.undo_requested.emit(self._undo_change)

    def _open_causes(self) -> None:
        self.glossary_requested.emit(self.check_id)  # the pane lists this check's entries

    def causes_button(self) -> QPushButton:
        return self._causes

    def set_result(self, result: CheckResult | None) -> None:
        self._result = result
        if result is not None:
            self._check_id = result.id
        self._copy.setEnabled(result is not None)
        if result is None:
            self._icon.setPixmap(icons.icon_pixmap(icons.NOT_RUN, self, 1.2))
            self._status.setText(icons.state_word(icons.NOT_RUN))
            self._title.setText(_declared_title(self._check_id))
            self._summary.setText("Not checked yet: run the diagnosis to see this result.")
            for w in (self._details, self._fix_heading, self._fix, self._error_heading,
                      self._error, self._chips_box, self._more):
                w.hide()
            self._set_chips(())
            self._summary.setFont(self._big_font)
            return
        self._icon.setPixmap(status_pixmap(result.status, self, 1.2))
        self._status.setText(result.status.label)
        self._icon.setToolTip(plain_tooltip(result.status.label))
        self._title.setText(result.title)
        self._summary.setText(unbroken_text(result.summary))
        self._details.setText(
            "<ul style='margin-left:0'>" + "".join(f"<li>{linkify(d)}</li>" for d in result.details)
            + "</ul>" if result.details else ""
        )
        self._details.setVisible(bool(result.details))
        self._fix.setText(
            "<ol>" + "".join(f"<li>{linkify(f)}</li>" for f in result.fix) + "</ol>"
            if result.fix else ""
        )
        self._fix_heading.setVisible(bool(result.fix))
        self._fix.setVisible(bool(result.fix))
        for label in (self._details, self._fix):  # a Tab stop only with a link in it
            skip_read_only(label)
        err = result.stripe_error
        if err is not None:
            self._error.setText("\n".join(
                f.value if f.label == "Message" else f"{f.label}: {f.value}" for f in stripe_said(err)))
        self._error_heading.setVisible(err is not None)
        self._error.setVisible(err is not None)
        self._set_chips(result.glossary)
        self._apply_fold(result)

    # -- folding -------------------------------------------------------------------------------
    def is_folded(self) -> bool:
        """A passing card shows its header and one line; the rest is behind "Details"."""
        return not self._more.isHidden() and not self._more.isChecked()

    def details_toggle(self) -> QToolButton:
        return self._more

    def _apply_fold(self, result: CheckResult) -> None:
        foldable = not result.status.is_problem and result.stripe_error is None and bool(
            result.details or result.glossary)
        self._more.setVisible(foldable)
        self._more.set_shown(not foldable or result.id in self._unfolded_by_agent)
        self._show_parts(not foldable or self._more.isChecked())
        # A problem is read aloud: larger. A folded pass is one line among many.
        self._summary.setFont(self._big_font if result.status.is_problem else self.font())

    def _unfold(self, shown: bool) -> None:
        if self._result is not None:
            (self._unfolded_by_agent.add if shown else self._unfolded_by_agent.discard)(self._result.id)
        self._show_parts(shown)

    def _show_parts(self, shown: bool) -> None:
        result = self._result
        if result is None:
            return
        self._details.setVisible(shown and bool(result.details))
        self._fix_heading.setVisible(shown and bool(result.fix))
        self._fix.setVisible(shown and bool(result.fix))
        self._chips_box.setVisible(shown and bool(result.glossary))
        self._show_actions()

    def _show_actions(self) -> None:
        """Folded, a card still offers Fix… or Undo when there is one (an undo follows a fix
        that made the check pass)."""
        offered = not self._fix_button.isHidden() or not self._undo_button.isHidden()
        self._actions_box.setVisible(self._result is None or not self.is_folded() or offered)

    def text(self) -> str:
        return result_as_text(self._result) if self._result else ""

    def copy_to_clipboard(self) -> None:
        text = self.text()
        if not text:
            return
        clipboard_or_default(self._clipboard).setText(text)
        self.copied.emit(text)

    def glossary_chips(self) -> list[QToolButton]:
        return list(self._chips)

    def summary_label(self) -> QLabel:
        return self._summary

    def fix_label(self) -> QLabel:
        return self._fix

    def error_label(self) -> QLabel:
        return self._error

    # -- internals -----------------------------------------------------------------------------
    def _set_chips(self, terms: tuple[str, ...]) -> None:
        for chip in self._chips:
            self._chips_row.removeWidget(chip)
            chip.deleteLater()
        self._chips = []
        for term in terms:
            chip = TermLink(term)
            chip.clicked.connect(emitter(self.glossary_requested, term))
            self._chips_row.addWidget(chip)
            self._chips.append(chip)
        self._chips_box.setVisible(bool(terms))


def _declared_title(check_id: str) -> str:
    """Before a run a card is titled as the checklist declares the check, never by its id."""
    from assistant.knowledge import checklist

    return checklist.check_title(check_id)


def make_cards(
    check_ids: tuple[str, ...],
    on_glossary: Callable[[str], None],
    on_link: Callable[[str], None],
    clipboard: Clipboard | None = None,
) -> dict[str, CheckCard]:
    cards: dict[str, CheckCard] = {}
    for cid in check_ids:
        card = CheckCard(check_id=cid, clipboard=clipboard)
        card.glossary_requested.connect(on_glossary)
        card.link_activated.connect(on_link)
        cards[cid] = card
    return cards
