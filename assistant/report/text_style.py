"""How the plain-text report is laid out: width, colour, how much. Pure: no terminal is asked here.

Colour is an SGR code the renderer puts around its own status words, never around account data
(which redaction has already stripped of control characters), so a product name can still never
write a control sequence to the agent's terminal.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from assistant.diagnosis.status import Status

DEFAULT_WIDTH = 80
MIN_WIDTH = 40  # below this even a title splits into single words; wrap as if this wide

# Red, magenta, yellow, green, dim: the word is always there, colour only helps the eye.
_SGR: dict[Status, str] = {
    Status.FAIL: "1;31", Status.ERROR: "1;35", Status.WARN: "1;33",
    Status.PASS: "32", Status.SKIP: "2",
}
_BOLD = "1"
_URL_BREAKS = "/?&="  # a long URL is folded after one of these (never inside an id)
_RESET = "\x1b[0m"


@dataclass(frozen=True)
class TextStyle:
    width: int = DEFAULT_WIDTH
    color: bool = False
    verbose: bool = False  # every check in full (evidence included), not the one-line passes

    @property
    def columns(self) -> int:
        return max(self.width, MIN_WIDTH)

    def status(self, status: Status, text: str) -> str:
        return self._sgr(_SGR[status], text)

    def heading(self, text: str) -> str:
        return self._sgr(_BOLD, text)

    def _sgr(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}{_RESET}" if self.color and text else text

    def one_line(self, text: str) -> str:
        """`text` on one line, cut at a space with " …" when it is wider than the terminal
        (for a passing check's title: `verbose` shows it whole)."""
        return textwrap.shorten(text, width=self.columns, placeholder=" …")

    def wrap(self, text: str, indent: str = "", hanging: str = "") -> list[str]:
        """`text` folded to the width at spaces: an id is never cut, and a URL only when it is
        longer than its line's room, after a `/`, `?`, `&` or `=`, going on at the paragraph's
        indent (the terminal would otherwise fold it itself, from column 0)."""
        lines = textwrap.wrap(
            text,
            width=self.columns,
            initial_indent=indent,
            subsequent_indent=indent + hanging,
            break_long_words=False,
            break_on_hyphens=False,
        ) or [indent.rstrip()]
        out: list[str] = []
        for line in lines:
            out += self._fold_url(line, indent + hanging) if len(line) > self.columns else [line]
        return out

    def _fold_url(self, line: str, indent: str) -> list[str]:
        """An over-long line is a token that fit nowhere (textwrap leaves it alone on its line);
        a URL is cut into pieces that fit, each at `indent`. Anything else stays as it is."""
        lead = line[: len(line) - len(line.lstrip())]
        token = line[len(lead):]
        if "://" not in token or " " in token:
            return [line]
        pieces: list[str] = []
        room = self.columns - len(lead)
        while len(token) > room:
            cut = max((token.rfind(ch, 0, room) + 1 for ch in _URL_BREAKS), default=0)
            cut = cut if cut > room // 3 else room  # no break character far enough along: cut
            pieces.append(lead + token[:cut])
            token = token[cut:]
            lead, room = indent, self.columns - len(indent)
        return [*pieces, lead + token]
