"""What the window needs of a glossary pane: the real one, or the placeholder when it cannot load."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDockWidget


class GlossaryPane(QDockWidget):
    """A dock that opens a term or a reference and asks the window to open links."""

    open_url_requested = Signal(str)  # an https link inside an entry (Dashboard, Stripe docs)

    def show_term(self, name: str) -> None:
        """Open a term by name or synonym (a check id or a link goes to `show_reference`)."""
        raise NotImplementedError

    def show_reference(self, ref: str) -> None:
        """Open "term:NAME", "trouble:ID", a bare term name, or a check id."""
        raise NotImplementedError
