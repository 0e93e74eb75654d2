"""The window's edges: the LIVE banner over everything, and the status line under it (mode,
account, masked key, what Stripe is doing). Mode is always said in words next to its icon."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
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
from assistant.ui.widgets import IconLabel

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


class StatusLine:
    """Widgets placed on the window's QStatusBar; the window keeps them up to date."""

    def __init__(self, bar: QStatusBar) -> None:
        self.mode_badge = IconLabel()
        self.mode_badge.setObjectName("modeBadge")
        self.mode_badge.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        bold = self.mode_badge.text_label.font()
        bold.setBold(True)
        self.mode_badge.text_label.setFont(bold)
        self.account_label = QLabel()
        self.account_label.setObjectName("accountLabel")
        self.key_label = QLabel()
        self.key_label.setObjectName("keyLabel")
        self.activity_label = QLabel()
        self.activity_label.setObjectName("activityLabel")
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)  # busy: Stripe gives no progress to count
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setAccessibleName("Reading Stripe")
        self.busy_bar.setMaximumWidth(bar.fontMetrics().averageCharWidth() * 16)
        self.busy_bar.hide()
        bar.addWidget(self.mode_badge)
        bar.addWidget(self.account_label)
        bar.addWidget(self.key_label)
        bar.addPermanentWidget(self.busy_bar)
        bar.addPermanentWidget(self.activity_label)

    def show_identity(self, mode: str | None, who: str, masked_key: str | None) -> None:
        if is_live(mode):
            self.mode_badge.set("live", "LIVE")
        elif mode == "test":
            self.mode_badge.set("test", "TEST")
        else:
            self.mode_badge.set("", "NO KEY")
        self.account_label.setText(who)
        self.key_label.setText(f"Key {masked_key}" if masked_key else "")


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
