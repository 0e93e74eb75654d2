"""Read-only views that are as tall as what they show, so a page has one scroll area.

Nested scroll areas make the wheel scroll whichever one is under the pointer: on the Report
page it moved the check list, the preview and the page in turn. These never scroll themselves;
they grow with their text (at the width they are given) and the page scrolls.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QSizePolicy, QTextBrowser, QWidget


class FittedBrowser(QTextBrowser):
    """A QTextBrowser without scroll bars whose height follows its document."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setLineWrapMode(QTextBrowser.LineWrapMode.WidgetWidth)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)

    def _fit(self, *_args: object) -> None:
        height = round(self.document().size().height()) + self.frameWidth() * 2 + 2
        if height != self.height():
            self.setFixedHeight(max(height, self.fontMetrics().lineSpacing() * 2))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.height())
