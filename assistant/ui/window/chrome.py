"""The window's edges: the LIVE banner over everything, and the status line under it (mode,
account, masked key, the run's summary, what Stripe is doing). Mode is always said in words
next to its icon."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QProgressBar,
    QSizePolicy,
    QSplitter,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from assistant.account.keys import is_live
from assistant.ui.kit.plain import plain_tooltip, set_plain
from assistant.ui.kit.widgets import IconLabel

if TYPE_CHECKING:
    from assistant.account.keys import KeyInfo
    from assistant.diagnosis.model import Diagnosis

LIVE_BANNER = "LIVE — real customers; nothing is changed without your confirmation"


def make_live_banner() -> tuple[QFrame, IconLabel]:
    banner = QFrame()
    banner.setObjectName("liveBanner")
    banner.setFrameShape(QFrame.Shape.StyledPanel)
    # A strong fixed pair: white on deep red reads the same in light and dark palettes.
    banner.setStyleSheet(
        "#liveBanner { background: #b3261e; border-radius: 4px; }"
        "#liveBanner QLabel { color: white; font-weight: bold; }"
    )
    label = IconLabel("live-banner", LIVE_BANNER, scale=1.2)
    label.setAccessibleName(LIVE_BANNER)
    layout = QHBoxLayout(banner)
    layout.addWidget(label)
    banner.hide()
    return banner, label


class ElidedLabel(QLabel):
    """One line that takes the room it is given and elides the rest (the whole in its tooltip),
    so a long sentence never widens the window."""

    def __init__(self, parent: QWidget | None = None, *, max_chars: int | None = None) -> None:
        super().__init__(parent)
        self._max_chars = max_chars  # None: take all the room there is; else at most this wide
        horizontal = QSizePolicy.Policy.Ignored if max_chars is None else QSizePolicy.Policy.Maximum
        self.setSizePolicy(horizontal, QSizePolicy.Policy.Preferred)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        if self._max_chars is None:
            return hint
        return QSize(min(hint.width(), self.fontMetrics().averageCharWidth() * self._max_chars), hint.height())

    def setText(self, text: str, /) -> None:  # every setText keeps the tooltip whole (as typed)
        super().setText(text)
        self.setToolTip(plain_tooltip(text))
        self.setAccessibleName(text)

    def minimumSizeHint(self) -> QSize:
        return QSize(self.fontMetrics().averageCharWidth() * 12, super().minimumSizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, self.contentsRect().width())
        painter.drawText(self.contentsRect(), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), shown)


FLASH_MS = 4000  # how long "Copied …" stays before the line says what it said before
SAY_MS = 10000  # how long a longer sentence ("No browser opened; the address is copied: …") stays


class StatusLine:
    """Widgets placed on the window's QStatusBar; the window keeps them up to date."""

    def __init__(self, bar: QStatusBar) -> None:
        self.mode_badge = IconLabel()
        self.mode_badge.setObjectName("modeBadge")
        self.mode_badge.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        bold = self.mode_badge.text_label.font()
        bold.setBold(True)
        self.mode_badge.text_label.setFont(bold)
        # The account, elided past a few words (whole in its tooltip): the run's summary needs the room.
        self.account_label = ElidedLabel(max_chars=34)
        self.account_label.setObjectName("accountLabel")
        self.key_label = QLabel()
        set_plain(self.key_label, "")
        self.key_label.setObjectName("keyLabel")
        # The run in one line: "1 problem: Plans and prices — <the sentence to read out>".
        self.summary_label = ElidedLabel()
        self.summary_label.setObjectName("summaryLabel")
        bold = self.summary_label.font()
        bold.setBold(True)
        self.summary_label.setFont(bold)
        # What the run did ("Done in 1.0 s, 8 requests.") and any note after it, elided past a
        # line's worth: a history note with a long path must not push the summary off either.
        self.activity_label = ElidedLabel(max_chars=44)
        self.activity_label.setObjectName("activityLabel")
        self._flashed: str | None = None  # the text a flash covers, put back when it ends
        self._flash_text = ""
        self._flash_timer = QTimer(self.activity_label)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.timeout.connect(self._end_flash)
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)  # busy: Stripe gives no progress to count
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setAccessibleName("Reading Stripe")
        self.busy_bar.setMaximumWidth(bar.fontMetrics().averageCharWidth() * 16)
        self.busy_bar.hide()
        # The summary is the one normal widget: a passing message (a status tip, "No browser
        # opened…") takes its place for a few seconds. Who and which mode are permanent, so no
        # message ever hides them.
        bar.addWidget(self.summary_label, 1)
        for permanent in (self.mode_badge, self.account_label, self.key_label, self.busy_bar,
                          self.activity_label):
            bar.addPermanentWidget(permanent)
        self._bar = bar

    def show_identity(self, mode: str | None, who: str, masked_key: str | None) -> None:
        if is_live(mode):
            self.mode_badge.set("live", "LIVE")
        elif mode == "test":
            self.mode_badge.set("test", "TEST")
        else:
            self.mode_badge.set("", "NO KEY")
        self.account_label.setText(who)
        self.key_label.setText(f"Key {masked_key}" if masked_key else "")

    def show_summary(self, line: str) -> None:
        self.summary_label.setText(line)

    def say(self, text: str, ms: int = SAY_MS) -> None:
        """A sentence the agent must read whole (it may hold an address): in the summary's room
        for `ms`, beside the mode and the account, which stay."""
        self._bar.showMessage(text, ms)

    def flash(self, text: str, ms: int = FLASH_MS) -> None:
        """Say `text` (e.g. "Copied the report") for a few seconds, then what was there before."""
        if self._flashed is None or self.activity_label.text() != self._flash_text:
            self._flashed = self.activity_label.text()
        self._flash_text = text
        self.activity_label.setText(text)
        self._flash_timer.start(ms)

    def _end_flash(self) -> None:
        """Put back what the flash covered, unless something newer was said meanwhile."""
        if self._flashed is not None and self.activity_label.text() == self._flash_text:
            self.activity_label.setText(self._flashed)
        self._flashed = None


APP_TITLE = "Portal Setup Assistant"


@dataclass(frozen=True)
class Identity:
    """Who and what the window is showing: the mode, the account line, the masked key, the title."""

    mode: str | None
    who: str
    masked_key: str | None
    title: str


def identity(key: KeyInfo, diagnosis: Diagnosis | None, practice_title: str | None) -> Identity:
    """What belongs to the key typed now: a run's mode and account only if it was this key's."""
    mode = key.mode if key.key else None
    if diagnosis is not None and diagnosis.masked_key == key.masked:
        mode = diagnosis.mode
    account = diagnosis.account if diagnosis is not None else None
    if account is not None:
        who = f"{account.name or 'Unnamed account'} ({account.id})"
        if practice_title is not None:
            who = f"Practice: {who}"
    elif practice_title is not None:
        who = f"Practice: {practice_title}"
    else:
        who = "Not connected"
    title = f"{account.name or account.id} — {APP_TITLE}" if account is not None else APP_TITLE
    if is_live(mode):
        title = f"[LIVE] {title}"
    return Identity(mode, who, key.masked if key.key else None, title)


def lay_out(window: QMainWindow, banner: QWidget, sidebar: QWidget, stack: QWidget) -> QSplitter:
    """The LIVE banner over a splitter of checklist (fixed) and step page (stretching)."""
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.setObjectName("mainSplitter")
    splitter.setChildrenCollapsible(False)
    splitter.addWidget(sidebar)
    splitter.addWidget(stack)
    splitter.setStretchFactor(0, 0)
    splitter.setStretchFactor(1, 1)
    splitter.setSizes([sidebar.minimumWidth(), sidebar.minimumWidth() * 3])
    central = QWidget()
    column = QVBoxLayout(central)
    column.addWidget(banner)
    column.addWidget(splitter, 1)
    window.setCentralWidget(central)
    return splitter
