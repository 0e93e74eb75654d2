"""Pick a renderer by name, so the CLI, window and history share one entry point."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from assistant.diagnosis.model import Diagnosis
from assistant.report.asked import Asked
from assistant.report.call_changes import MadeChange
from assistant.report.html import render_html
from assistant.report.markdown import render_markdown
from assistant.report.redaction import RedactionOptions

FORMATS: tuple[str, ...] = ("markdown", "html")
_ALIASES = {"md": "markdown", "htm": "html"}


class UnknownFormat(ValueError):
    """A report format this module does not render (text and json live elsewhere)."""


def render(
    diagnosis: Diagnosis,
    fmt: str,
    *,
    options: RedactionOptions | None = None,
    tz: tzinfo | None = None,
    changes: Sequence[MadeChange] | None = None,
    asks: Sequence[Asked] | None = None,
) -> str:
    """The report (the ticket note) as text in `fmt` ("markdown" or "html"), always redacted;
    `changes` made in the call, when the caller knows the call, and what Stripe said when asked
    (`asks`; see `report.note`)."""
    name = _ALIASES.get(fmt.lower(), fmt.lower()) if fmt else ""
    if name == "markdown":
        return render_markdown(diagnosis, options, tz=tz, changes=changes, asks=asks)
    if name == "html":
        return render_html(diagnosis, options, tz=tz, changes=changes, asks=asks)
    raise UnknownFormat(f"Unknown report format {fmt!r}; choose one of: {', '.join(FORMATS)}.")
