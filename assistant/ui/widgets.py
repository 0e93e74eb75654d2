"""Small widgets the shell reuses: an icon next to a word, never an icon alone."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

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
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text_label.setTextFormat(Qt.TextFormat.PlainText)
        self.text_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text_label, 1, Qt.AlignmentFlag.AlignTop)
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

    def text(self) -> str:
        return self.text_label.text()

    @property
    def icon_name(self) -> str:
        return self._icon_name
