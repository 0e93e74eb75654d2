"""SVG icons for statuses and modes. Each status has its own shape, so colour is never the
only cue; the word (PASS, FAIL, ...) always goes next to the icon anyway."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QWidget

from assistant.diagnosis.model import Status
from assistant.resources import resource_path

# Sidebar states beyond the check statuses.
NOT_RUN = "pending"
RUNNING = "running"
CANCELLED = "cancelled"

STATE_WORDS: dict[str, str] = {
    NOT_RUN: "NOT RUN",
    RUNNING: "CHECKING",
    CANCELLED: "CANCELLED",
    **{s.value: s.label for s in Status},
}


def icon_path(name: str) -> str:
    return str(resource_path("icons", f"{name}.svg"))


@cache
def icon(name: str) -> QIcon:
    """A QIcon backed by the SVG icon engine: rendered afresh at each size and DPR, so crisp."""
    return QIcon(icon_path(name))


def status_icon(state: Status | str) -> QIcon:
    """`state` is a Status or one of NOT_RUN / RUNNING / CANCELLED."""
    return icon(state.value if isinstance(state, Status) else state)


def state_word(state: Status | str) -> str:
    return STATE_WORDS[state.value if isinstance(state, Status) else state]


def icon_pixmap(name: str, widget: QWidget, scale: float = 1.0) -> QPixmap:
    """A pixmap for a QLabel, sized from the widget's font and drawn at the screen's DPR."""
    side = max(12, round(widget.fontMetrics().height() * scale))
    dpr = widget.devicePixelRatioF() if widget is not None else 1.0
    return icon(name).pixmap(QSize(side, side), dpr)
