"""Diagnostics report: one redacted view of a run, rendered as Markdown or HTML (PDF via ui.pdf)."""

from __future__ import annotations

from assistant.report.html import render_html
from assistant.report.markdown import render_markdown
from assistant.report.redaction import (
    RedactionOptions,
    redact_diagnosis,
    redact_text,
    redaction_notice,
)
from assistant.report.render import FORMATS, UnknownFormat, render

__all__ = [
    "FORMATS",
    "RedactionOptions",
    "UnknownFormat",
    "redact_diagnosis",
    "redact_text",
    "redaction_notice",
    "render",
    "render_html",
    "render_markdown",
]
