"""The system's palette, light or dark, with links (and warnings) that can be read on it.

The window draws nothing in colours of its own (the LIVE banner is the one fixed pair): it
follows the palette the system gives, light or dark. Some themes leave a link colour at Qt's
default blue (#0000ff), about 2:1 on a dark grey: Qt's gtk3 theme does so in the palettes it
sets per widget class (labels, tool buttons, text views), so the glossary's term links and the
cards' Dashboard links could not be read under Adwaita:dark. `keep_links_readable` moves only
such a colour towards the background's opposite, hue kept, until it reaches WCAG's 4.5:1, and
does it again whenever the system's palette or colour scheme changes.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

READABLE = 4.5  # WCAG 2's contrast for normal text
LINK_ROLES = (QPalette.ColorRole.Link, QPalette.ColorRole.LinkVisited)
GROUPS = (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive)
BACKGROUNDS = (QPalette.ColorRole.Window, QPalette.ColorRole.Base, QPalette.ColorRole.Button)
# The classes Qt gives a palette of their own from the platform theme (QApplication's mapping).
THEMED_CLASSES = ("QLabel", "QToolButton", "QAbstractButton", "QCheckBox", "QRadioButton", "QTextEdit",
                  "QTextControl", "QLineEdit", "QAbstractItemView", "QHeaderView", "QGroupBox", "QMenu",
                  "QMenuBar", "QTabBar", "QMessageBoxLabel")


def _channel(value: float) -> float:
    return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4


def luminance(colour: QColor) -> float:
    """WCAG 2's relative luminance."""
    return 0.2126 * _channel(colour.redF()) + 0.7152 * _channel(colour.greenF()) + 0.0722 * _channel(colour.blueF())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2's contrast ratio, 1 (none) to 21 (black on white)."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def readable(colour: QColor, backgrounds: Iterable[QColor], ratio: float = READABLE) -> QColor:
    """`colour`, or the nearest of its hue light (on dark backgrounds) or dark enough to read."""
    grounds = list(backgrounds)
    if not grounds or min(contrast(colour, g) for g in grounds) >= ratio:
        return colour
    lighten = sum(luminance(g) for g in grounds) / len(grounds) < 0.18
    hue, saturation, lightness = max(colour.hslHueF(), 0.0), colour.hslSaturationF(), colour.lightnessF()
    step = 0.02 if lighten else -0.02
    while 0.0 <= lightness + step <= 1.0:
        lightness += step
        candidate = QColor.fromHslF(hue, saturation, lightness, colour.alphaF())
        if min(contrast(candidate, g) for g in grounds) >= ratio:
            return candidate
    return QColor("white") if lighten else QColor("black")


def with_readable_links(palette: QPalette) -> QPalette | None:
    """A copy of `palette` whose link colours read on its backgrounds, or None if they do."""
    fixed = QPalette(palette)
    changed = False
    for group in GROUPS:
        grounds = [palette.color(group, role) for role in BACKGROUNDS]
        for role in LINK_ROLES:
            colour = palette.color(group, role)
            better = readable(colour, grounds)
            if better != colour:
                fixed.setColor(group, role, better)
                changed = True
    return fixed if changed else None


def make_links_readable(app: QApplication) -> None:
    """Correct the application's palette and the theme's per-class palettes, where needed."""
    base = QApplication.palette()
    for name in THEMED_CLASSES:
        # PySide6 takes the class name as str (its stubs say bytes, which it refuses).
        own = QApplication.palette(name)  # type: ignore[call-overload]
        if own == base:
            continue  # no palette of its own: it follows the application's
        fixed = with_readable_links(own)
        if fixed is not None:
            QApplication.setPalette(fixed, name)  # type: ignore[arg-type]
    fixed = with_readable_links(base)
    if fixed is not None:
        app.setPalette(fixed)


FOLLOWER = "readableLinks"


class _Follower(QObject):
    """Corrects again after the system's palette or colour scheme changed (once Qt has set all
    of its palettes: the correction waits for the event loop)."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.setObjectName(FOLLOWER)
        self._app = app
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._correct)
        app.paletteChanged.connect(self._later)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._later)

    def _later(self, *_args: object) -> None:
        self._timer.start()

    def _correct(self) -> None:
        make_links_readable(self._app)


def keep_links_readable(app: QApplication) -> None:
    """Readable links now and after every change of the system's palette (once per app)."""
    if app.findChild(QObject, FOLLOWER) is None:
        _Follower(app)
    make_links_readable(app)


def warning_colour(widget: QWidget) -> QColor:
    """A red that reads on the widget's background, light or dark (for words that say what is
    wrong, always with an icon or a word beside them: never colour alone)."""
    palette = widget.palette()
    return readable(QColor("#c62828"), [palette.color(QPalette.ColorRole.Window)])
