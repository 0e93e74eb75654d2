"""The diagnostics report as one self-contained HTML page (also the source of the PDF).

Everything that came from Stripe or the agent is escaped by Jinja's autoescape; only the
Dashboard links the app built are clickable (`knowledge.links`), so a hostile product name
cannot plant a phishing link in the report or its PDF.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import tzinfo
from functools import lru_cache

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
    select_autoescape,
)
from markupsafe import Markup, escape

from assistant.diagnosis.model import Diagnosis
from assistant.knowledge.links import link_spans
from assistant.report.asked import Asked
from assistant.report.call_changes import MadeChange
from assistant.report.context import build_context
from assistant.report.redaction import RedactionOptions
from assistant.report.stripe_said import HEADING as STRIPE_SAID
from assistant.report.stripe_said import stripe_said
from assistant.resources import resource_path

TEMPLATE = "report.html.j2"
def linkify(text: str) -> Markup:
    """Escape `text`; only URLs the app built (Dashboard links) become anchors."""
    return Markup("".join(
        f'<a href="{escape(piece)}">{escape(piece)}</a>' if linked else str(escape(piece))
        for piece, linked in link_spans(text or "")
    ))


def nl2br(text: str) -> Markup:
    """Keep the agent's line breaks in notes, with every line escaped."""
    return Markup("<br>\n").join(escape(line) for line in (text or "").splitlines())


def anchor(check_id: str) -> str:
    return "check-" + re.sub(r"[^A-Za-z0-9_-]", "-", check_id or "")


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(resource_path("templates"))),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["linkify"] = linkify
    env.filters["nl2br"] = nl2br
    env.filters["anchor"] = anchor
    env.filters["stripe_said"] = stripe_said
    env.globals["stripe_said_heading"] = STRIPE_SAID
    return env


def _template() -> Template:
    return _environment().get_template(TEMPLATE)


def render_html(
    diagnosis: Diagnosis,
    options: RedactionOptions | None = None,
    *,
    tz: tzinfo | None = None,
    changes: Sequence[MadeChange] | None = None,
    asks: Sequence[Asked] | None = None,
) -> str:
    return _template().render(**build_context(diagnosis, options, tz=tz, changes=changes, asks=asks))
