"""`--demo list`: the practice accounts as a trainer picks them — by title, each with the name to
pass to `--demo` and what the owner says on the call. The answers are left out on purpose: the
window keeps them behind "Show the answer", and a list printed for a class should not give them
away."""

from __future__ import annotations

import shutil
import textwrap
from typing import TextIO

MAX_WIDTH = 100


def write_practice_list(stdout: TextIO, width: int | None = None) -> None:
    from assistant.practice.scenarios import list_scenarios

    width = width or min(shutil.get_terminal_size((80, 24)).columns, MAX_WIDTH)
    infos = list_scenarios()  # sorted by title
    stdout.write("Practice accounts (open one with --demo NAME):\n")
    for info in infos:
        stdout.write(f"\n{info.title}\n  --demo {info.name}\n")
        stdout.write(textwrap.fill(f"“{info.complaint}”", width=max(width, 40),
                                   initial_indent="  ", subsequent_indent="  ") + "\n")
