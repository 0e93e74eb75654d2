"""A whole key pasted into the key field runs the read-only checks by itself (issue #13): one
action from the owner's key to the results.

Typing never starts a run: only an edit that adds a whole secret or restricted key at once (a
paste or a drop) does. The run starts in the next event-loop turn, once the field and the
results of the previous key have settled; while the previous key's run is still stopping, it
starts as soon as that one has.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLineEdit

from assistant.account.keys import KeyKind, classify_key
from assistant.ui.state.run_controller import RunController

# A paste puts the whole key in at once; typing adds a character at a time. Keys are ~100
# characters, so an edit adding this many at once is a paste (or a drop), never typing.
PASTED_AT_ONCE = 16


class PastedKeyRun(QObject):
    """Watches `key_field`; calls `run` for a pasted key once `controller` is free."""

    def __init__(self, key_field: QLineEdit, controller: RunController, run: Callable[[], object],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._run = run
        self._texts = ("", "")  # the field's text before its last change, and after it
        self.pending = False
        key_field.textChanged.connect(self._changed)
        key_field.textEdited.connect(self._edited)
        controller.busy_changed.connect(self._busy_changed)

    def forget(self) -> None:
        """A run started some other way: it is the one a paste would have started."""
        self.pending = False

    def _changed(self, text: str) -> None:
        self._texts = (self._texts[1], text)

    def _edited(self, text: str) -> None:
        """A whole secret or restricted key pasted at once (not typed) starts the read-only checks."""
        previous, current = self._texts
        before = previous if current == text else current  # whichever signal Qt sent first
        info = classify_key(text)
        pasted = len(text) - len(before) >= PASTED_AT_ONCE
        if pasted and info.usable and info.kind in (KeyKind.SECRET, KeyKind.RESTRICTED):
            self.pending = True
            QTimer.singleShot(0, self._start)  # after the field and the stale results settle

    def _start(self) -> None:
        """Start the pasted key's run; if the old key's run is still stopping, once it has."""
        if self.pending and not self._controller.busy:
            self.pending = False
            self._run()

    def _busy_changed(self, busy: bool) -> None:
        if not busy and self.pending:
            QTimer.singleShot(0, self._start)
