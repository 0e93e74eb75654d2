"""What the terminal the text report goes to can show: its width, and whether to colour.

The environment and the stream are passed in (not read from `os.environ` and `sys.stdout`), so
tests and the CLI's own callers decide what the terminal looks like.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TextIO

from assistant.report.text_style import DEFAULT_WIDTH


def is_tty(stream: TextIO | None) -> bool:
    """None: the report goes to a file (--output), never a terminal."""
    if stream is None:
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or odd stream is no terminal
        return False


def wants_color(choice: str, environ: Mapping[str, str], stream: TextIO | None) -> bool:
    """`--color`: always and never are the agent's word; auto colours a terminal only, and not
    when NO_COLOR is set to anything (https://no-color.org) or the terminal is "dumb"."""
    if choice == "always":
        return True
    if choice == "never" or environ.get("NO_COLOR"):
        return False
    return is_tty(stream) and environ.get("TERM") != "dumb"


def terminal_width(environ: Mapping[str, str], stream: TextIO | None) -> int:
    """Columns to wrap to, the way `shutil.get_terminal_size` finds them (COLUMNS first, then
    the terminal itself, else 80), but from the given environment and stream."""
    try:
        columns = int(environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    if stream is not None and is_tty(stream):
        try:
            return os.get_terminal_size(stream.fileno()).columns or DEFAULT_WIDTH
        except (OSError, ValueError, AttributeError):
            pass
    return DEFAULT_WIDTH
