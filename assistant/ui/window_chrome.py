"""The window's edges: the LIVE banner over everything, and the status line under it (mode,
account, masked key, what Stripe is doing). Mode is always said in words next to its icon."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QSizePolicy, QStatusBar

from assistant.ui.widgets import IconLabel

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
        if mode == "live":
            self.mode_badge.set("live", "LIVE")
        elif mode == "test":
            self.mode_badge.set("test", "TEST")
        else:
            self.mode_badge.set("", "NO KEY")
        self.account_label.setText(who)
        self.key_label.setText(f"Key {masked_key}" if masked_key else "")
