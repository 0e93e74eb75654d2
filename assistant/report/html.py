"""The diagnostics report as one self-contained HTML page (also the source of the PDF).

Everything that came from Stripe or the agent is escaped by Jinja's autoescape; only links to
Stripe's own sites are made clickable, so a hostile product name cannot plant a phishing link.
"""

from __future__ import annotations

import re
from datetime import tzinfo
from functools import lru_cache
from urllib.parse import urlsplit

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
    select_autoescape,
)
from markupsafe import Markup, escape

from assistant.diagnosis.model import Diagnosis
from assistant.report.context import build_context
from assistant.report.redaction import RedactionOptions
from assistant.resources import resource_path

TEMPLATE = "report.html.j2"
_URL = re.compile(r"""https?://[^\s<>"'`]+""", re.IGNORECASE)
_URL_TRAILING = ".,;:!?)]}"
_LINKABLE_HOSTS = ("stripe.com",)


def _is_linkable(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    return parts.scheme == "https" and any(
        host == h or host.endswith("." + h) for h in _LINKABLE_HOSTS
    )


def linkify(text: str) -> Markup:
    """Escape `text`, turning https links to Stripe (the Dashboard, the docs) into anchors."""
    out: list[str] = []
    pos = 0
    for m in _URL.finditer(text or ""):
        url = m.group(0).rstrip(_URL_TRAILING)
        out.append(str(escape(text[pos : m.start()])))
        if _is_linkable(url):
            out.append(f'<a href="{escape(url)}">{escape(url)}</a>')
        else:
            out.append(str(escape(url)))
        pos = m.start() + len(url)
    out.append(str(escape((text or "")[pos:])))
    return Markup("".join(out))


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
    return env


def _template() -> Template:
    return _environment().get_template(TEMPLATE)


def render_html(
    diagnosis: Diagnosis,
    options: RedactionOptions | None = None,
    *,
    tz: tzinfo | None = None,
) -> str:
    return _template().render(**build_context(diagnosis, options, tz=tz))
