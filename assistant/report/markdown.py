"""The diagnostics report as GitHub-flavoured Markdown, written to be pasted into a ticket.

Text from Stripe or the agent is escaped so a product called `*Pro* | <b>` shows as typed and
cannot break the at-a-glance table. Only the Dashboard links the app built are left bare for
ticket tools to link; any other URL (account data) is shown in a code span, never as a link.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import tzinfo
from functools import lru_cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template

from assistant.diagnosis.model import Diagnosis
from assistant.knowledge.links import is_app_link, looks_like_url
from assistant.report.asked import Asked
from assistant.report.call_changes import MadeChange
from assistant.report.context import build_context
from assistant.report.redaction import SESSION_LINK_REMOVED, RedactionOptions
from assistant.report.stripe_said import HEADING as STRIPE_SAID
from assistant.report.stripe_said import stripe_said
from assistant.resources import resource_path

TEMPLATE = "report.md.j2"
_URL_TRAILING = ".,;:!?)]}"
# Left unescaped: Dashboard links the app built (so ticket tools auto-link them; other URLs go
# in code spans) and the redaction marker, plain text anyway because no "(url)" follows it.
_VERBATIM = re.compile(
    r"""https?://[^\s<>"'`|\[\]]+|""" + re.escape(SESSION_LINK_REMOVED) + r"(?![(\[:])",
    re.IGNORECASE,
)
_SPECIAL = re.compile(r"[\\`*\[\]<>]|(?<![A-Za-z0-9])_|&(?=#?\w+;)")
# Line starts that would turn text into a heading, quote, list or rule.
_LINE_START = re.compile(
    r"^([ \t]*)(>|#{1,6}(?=\s|$)|[-+](?=\s|$)|\d{1,9}[.)](?=\s|$)|[-=]{2,}[ \t]*$)",
    re.MULTILINE,
)


def _escape_line_start(m: re.Match[str]) -> str:
    mark = m.group(2)
    if mark[0].isdigit():  # "1." -> "1\." ; a backslash before a digit escapes nothing
        return m.group(1) + mark[:-1] + "\\" + mark[-1]
    return m.group(1) + "\\" + mark


def _escape_plain(text: str) -> str:
    text = _SPECIAL.sub(lambda m: "\\" + m.group(0), text)
    return _LINE_START.sub(_escape_line_start, text)


def md_inline(text: object) -> str:
    """Escape Markdown syntax outside URLs and the redaction marker."""
    text = "" if text is None else str(text)
    out: list[str] = []
    pos = 0
    for m in _VERBATIM.finditer(text):
        out.append(_escape_plain(text[pos : m.start()]))
        out.append(_verbatim(m.group(0)))
        pos = m.end()
    out.append(_escape_plain(text[pos:]))
    return "".join(out)


def _verbatim(piece: str) -> str:
    """A Dashboard link the app built stays bare (ticket tools link it); any other URL goes in
    a code span, which no ticket tool turns into a link (`knowledge.links`)."""
    url = piece.rstrip(_URL_TRAILING)
    if piece == SESSION_LINK_REMOVED or not looks_like_url(url) or is_app_link(url):
        return piece
    return md_code(url) + _escape_plain(piece[len(url):])


def md_cell(text: object) -> str:
    """One table cell: escaped, `|` escaped, on a single line."""
    lines = [line.strip() for line in md_inline(text).splitlines() if line.strip()]
    return "<br>".join(lines).replace("|", "\\|")


def md_lines(text: object) -> str:
    """A multi-line block (notes) that keeps the agent's line breaks."""
    lines = md_inline(text).splitlines()
    return "  \n".join(line.rstrip() for line in lines)


def md_code(text: object) -> str:
    """An inline code span that survives backticks in the value."""
    text = "" if text is None else str(text).replace("\n", " ")
    fence = "`"
    while fence in text:
        fence += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def md_code_cell(text: object) -> str:
    """A code span inside a table cell (GFM wants `|` escaped even there)."""
    return md_code(text).replace("|", "\\|")


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(resource_path("templates"))),
        autoescape=False,  # Markdown, not HTML: escaping is done by the md_* filters
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_inline
    env.filters["md_cell"] = md_cell
    env.filters["md_lines"] = md_lines
    env.filters["md_code"] = md_code
    env.filters["md_code_cell"] = md_code_cell
    env.filters["stripe_said"] = stripe_said
    env.globals["stripe_said_heading"] = STRIPE_SAID
    return env


def _template() -> Template:
    return _environment().get_template(TEMPLATE)


def render_markdown(
    diagnosis: Diagnosis,
    options: RedactionOptions | None = None,
    *,
    tz: tzinfo | None = None,
    changes: Sequence[MadeChange] | None = None,
    asks: Sequence[Asked] | None = None,
) -> str:
    text = _template().render(**build_context(diagnosis, options, tz=tz, changes=changes, asks=asks))
    return re.sub(r"\n{3,}", "\n\n", text)
