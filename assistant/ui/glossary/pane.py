"""What the window needs of a glossary pane: the real one, or the placeholder when it cannot load.

The pane is used while the agent talks, so the keyboard must reach it and leave it in one key:
`focus_search()` puts the cursor in the search field with its words selected (typing replaces
them), and Esc anywhere in the pane asks the window to put focus back where it was
(`leave_requested`). Esc is taken before the window's own Esc (Cancel) sees it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDockWidget, QLabel, QWidget


class GlossaryPane(QDockWidget):
    """A dock that opens a term or a reference and asks the window to open links."""

    open_url_requested = Signal(str)  # an https link inside an entry (Dashboard, Stripe docs)
    leave_requested = Signal()  # Esc inside the pane: focus goes back to where the agent was

    def show_term(self, name: str) -> None:
        """Open a term by name or synonym (a check id or a link goes to `show_reference`)."""
        raise NotImplementedError

    def show_reference(self, ref: str) -> None:
        """Open "term:NAME", "trouble:ID", a bare term name, or a check id."""
        raise NotImplementedError

    def focus_search(self) -> None:
        """Put the keyboard in the pane, ready to type (the search field, its words selected)."""
        target = self.widget()
        if target is not None:
            target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def has_focus_inside(self, widget: QWidget | None) -> bool:
        return widget is not None and (widget is self or self.isAncestorOf(widget))

    def watch_escape(self, *widgets: QWidget) -> None:
        """Esc in any of `widgets` leaves the pane (call once the pane's widgets exist)."""
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape \
                and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            if event.type() == QEvent.Type.ShortcutOverride:
                event.accept()  # ours, not the window's Cancel
                return True
            if event.type() == QEvent.Type.KeyPress:
                self.leave_requested.emit()
                return True
        return super().eventFilter(watched, event)


class PlaceholderGlossaryDock(GlossaryPane):
    """Keeps F1 and the toolbar action working while the real glossary is not there."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Glossary", parent)
        self.setObjectName("glossary")
        self._label = QLabel("The glossary is not available in this build.", self)
        self._label.setWordWrap(True)
        self._label.setAlignment(Qt.AlignmentFlag.AlignTop)
        self._label.setMargin(self._label.fontMetrics().height() // 2)
        self.setWidget(self._label)

    def show_term(self, name: str) -> None:
        self._label.setText(f"{name}\n\nThe glossary is not available in this build.")
        self.show()

    def show_reference(self, ref: str) -> None:
        self.show_term(ref)
