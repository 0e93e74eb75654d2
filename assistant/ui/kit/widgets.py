"""Small widgets the shell reuses: an icon next to a word (never an icon alone), a term link."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QPalette, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolButton, QWidget

from assistant.ui.kit.icons import icon_pixmap
from assistant.ui.kit.palette import warning_colour
from assistant.ui.kit.plain import plain_tooltip


class IconLabel(QWidget):
    """An SVG icon and a line of text; the text carries the meaning, the icon the shape."""

    def __init__(self, icon_name: str = "", text: str = "", parent: QWidget | None = None,
                 *, wrap: bool = False, scale: float = 1.0) -> None:
        super().__init__(parent)
        self._scale = scale
        self._icon_name = ""
        self.icon_label = QLabel(self)
        self.icon_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.text_label = QLabel(self)
        self.text_label.setWordWrap(wrap)
        self.text_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text_label.setTextFormat(Qt.TextFormat.PlainText)
        self.text_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignTop)
        # No alignment flag on the text: an aligned item loses height-for-width, and a wrapped
        # label would then reserve room for far more lines than it shows.
        layout.addWidget(self.text_label, 1)
        self.set(icon_name, text)

    def set(self, icon_name: str, text: str) -> None:
        self._icon_name = icon_name
        if icon_name:
            self.icon_label.setPixmap(icon_pixmap(icon_name, self, self._scale))
        else:
            self.icon_label.clear()
        self.icon_label.setVisible(bool(icon_name))
        self.text_label.setText(text)
        self.setAccessibleName(text)

    def minimumSizeHint(self) -> QSize:
        """One line high: the layout asks heightForWidth for the real height. Without this a
        wrapped label claims the height it would need at its narrowest, leaving gaps."""
        if not self.text_label.wordWrap():
            return super().minimumSizeHint()
        fm = self.fontMetrics()
        icon = self.icon_label.sizeHint().width() if self.icon_label.isVisibleTo(self) else 0
        return QSize(icon + fm.averageCharWidth() * 16, fm.height())

    def sizeHint(self) -> QSize:
        if not self.text_label.wordWrap():
            return super().sizeHint()
        hint = self.minimumSizeHint()
        width = hint.width() + self.fontMetrics().averageCharWidth() * 40
        # Prefer the height the text needs at the width we actually have (forms hand out the
        # preferred height, not height-for-width, when there is room).
        laid_out = self.width() if self.width() > hint.width() else width
        return QSize(width, self.heightForWidth(laid_out))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.text_label.wordWrap() and event.oldSize().width() != event.size().width():
            self.updateGeometry()

    def text(self) -> str:
        return self.text_label.text()

    @property
    def icon_name(self) -> str:
        return self._icon_name


class Disclosure(QToolButton):
    """A fold/unfold button with an arrow: down when what it governs is shown. `toggled`
    carries the new state; the arrow follows it by itself."""

    def __init__(self, text: str, *, bold: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setText(text)
        self.setCheckable(True)
        self.setAutoRaise(True)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setArrowType(Qt.ArrowType.RightArrow)
        if bold:
            font = self.font()
            font.setBold(True)
            self.setFont(font)
        self.toggled.connect(self._point)

    def _point(self, shown: bool) -> None:
        self.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)

    def set_shown(self, shown: bool) -> None:
        """Set the state without emitting `toggled` (the caller shows or hides itself)."""
        self.blockSignals(True)
        self.setChecked(shown)
        self.blockSignals(False)
        self._point(shown)


def page_heading(text: str) -> QLabel:
    """A step page's heading: larger and bold, plain text."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    font = label.font()
    font.setBold(True)
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * 1.35)
    label.setFont(font)
    label.setAccessibleName(text)
    return label


class TermLink(QToolButton):
    """A glossary term as a link, not a button: link-coloured, underlined, flat, a hand cursor.

    Action buttons (Fix…, Copy, Check again) do something to the account or the clipboard;
    a term only opens an explanation, so the two must never look alike. Still a button for the
    keyboard: Tab reaches it and Space or Enter opens the term.
    """

    def __init__(self, term: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("termLink")
        self.setText(term)
        self.setAutoRaise(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(plain_tooltip(f"Explain “{term}” in the glossary"))
        self.setAccessibleName(term)
        self.setAccessibleDescription("Glossary term")
        font = self.font()
        font.setUnderline(True)
        self.setFont(font)
        self._follow_palette()

    def _follow_palette(self) -> None:
        palette = self.palette()
        link = palette.color(QPalette.ColorRole.Link)
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            palette.setColor(group, QPalette.ColorRole.ButtonText, link)
        self.setPalette(palette)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and not self.property("_repainting"):
            self.setProperty("_repainting", True)
            self._follow_palette()
            self.setProperty("_repainting", False)


class ProblemLine(IconLabel):
    """Why something typed cannot be used yet: the fail icon, then the reason as a sentence (a
    capital first), in a red that reads on the palette's background, light or dark. Never colour
    alone: the icon's shape says it as well. Plain text (the reason may quote what was typed)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("fail", "", parent, wrap=True)
        self._recolour()

    def set_text(self, text: str) -> None:
        self.set("fail", text[:1].upper() + text[1:])

    def _recolour(self) -> None:
        palette = self.text_label.palette()
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            palette.setColor(group, QPalette.ColorRole.WindowText, warning_colour(self))
        self.text_label.setPalette(palette)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._recolour()  # the system switched light/dark: a red that reads on the new one
