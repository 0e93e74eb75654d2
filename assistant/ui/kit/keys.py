"""The window's keyboard shortcuts, written once: the window's actions take them (and Help's
table reads the actions), and a button that does what an action does names its key from here.

Ctrl+Shift and a letter is the family of commands used during a call (Copy report, Fix the first
problem, Check again, Open customer portal): Ctrl+C, Ctrl+F and Ctrl+R alone keep their usual
meanings (copy the selection, run everything), and Alt+letter stays free for the menus'
and the fields' mnemonics.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QKeySequence

RUN_ALL = ("Ctrl+R", "F5")
CANCEL = ("Esc",)
CHECK_AGAIN = ("Ctrl+Shift+R",)
FIX_FIRST = ("Ctrl+Shift+F",)
OPEN_PORTAL = ("Ctrl+Shift+P",)
COPY_REPORT = ("Ctrl+Shift+C",)
SAVE_REPORT = ("Ctrl+S",)
QUIT = ("Ctrl+Q",)
HISTORY = ("Ctrl+H",)
SEARCH_GLOSSARY = ("F1",)


def keys_text(keys: Sequence[str]) -> str:
    """"Ctrl+R, F5" as the platform writes it (⌘ on macOS)."""
    return ", ".join(QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in keys)


def with_keys(tip: str, keys: Sequence[str]) -> str:
    """A tooltip that ends with its keys: "Run all checks (Ctrl+R, F5)"."""
    return f"{tip} ({keys_text(keys)})" if keys else tip
