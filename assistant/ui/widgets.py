"""Small widgets the shell reuses: an icon next to a word, never an icon alone."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

from assistant.ui.icons import icon_pixmap


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
