"""Hand what a worker thread found to the Qt thread, for an object that may be gone by then.

A worker that emits a signal of an object the window owns fails once the window is closed
("RuntimeError: Signal source has been deleted", the thread dies with it), and emitting while
the Qt thread deletes that object would touch freed memory. So the worker emits into one relay
that lives as long as the process, never deleted; on the Qt thread, the relay calls the receiver
only while the receiving object still exists, and drops the value otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal

T = TypeVar("T")


class _Relay(QObject):
    carried = Signal(object, object, object)  # receiving object, callback, value

    def __init__(self) -> None:
        super().__init__()
        self.carried.connect(self._arrive, Qt.ConnectionType.QueuedConnection)

    def _arrive(self, receiver: QObject, callback: Callable[[Any], None], value: Any) -> None:
        if shiboken6.isValid(receiver):
            callback(value)


_RELAY: list[_Relay] = []  # made once, on the Qt thread, by the first `to_qt_thread`


def to_qt_thread(receiver: QObject, callback: Callable[[T], None]) -> Callable[[T], None]:
    """A function any thread may call with a value: `callback(value)` then runs on the Qt thread,
    unless `receiver` has been deleted by then. Call this on the Qt thread."""
    if not _RELAY:
        _RELAY.append(_Relay())
    relay = _RELAY[0]

    def send(value: T) -> None:
        relay.carried.emit(receiver, callback, value)

    return send
