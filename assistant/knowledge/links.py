"""The one rule for what may be a clickable link: only a URL the app builds itself.

Account data can hold anything that looks like a URL, and parsers disagree on what it means:
`https://evil.example\\@stripe.com/login` has host stripe.com for Python's `urlsplit` and
evil.example for a browser. So nothing is parsed for a host to trust. A link is made only when
the whole URL is exactly of the form `dashboard_url` produces (https, the Dashboard's host, a
known page, id segments of plain characters, nothing else); every other URL stays text. The
HTML report, its PDF, the Markdown report and the window's check cards all use this module.
"""

from __future__ import annotations

import re

from assistant.knowledge.dashboard import DASHBOARD_ROOT, PAGES

_PAGE_PATHS = "|".join(re.escape(p) for p in sorted(set(PAGES.values()), key=len, reverse=True))
_APP_LINK = re.compile(
    re.escape(DASHBOARD_ROOT) + r"/(?:test/)?(?:" + _PAGE_PATHS + r")(?:/[A-Za-z0-9_-]+)*"
)
# What a reader (or a ticket tool) might take for a link: every http(s) run up to a blank or quote.
_CANDIDATE = re.compile(r"""https?://[^\s<>"'`]+""", re.IGNORECASE)
_TRAILING = ".,;:!?)]}"


def is_app_link(url: str) -> bool:
    """True only for a Dashboard URL of the exact shape the app builds."""
    return _APP_LINK.fullmatch(url or "") is not None


def link_spans(text: str) -> list[tuple[str, bool]]:
    """`text` cut into (piece, is_link) in order; only app-built URLs are links. URL-looking
    pieces that are not come out as their own (piece, False), so a renderer can keep them
    from being auto-linked by whatever displays them next."""
    spans: list[tuple[str, bool]] = []
    pos = 0
    for match in _CANDIDATE.finditer(text or ""):
        url = match.group(0)
        while url and url[-1] in _TRAILING:
            url = url[:-1]
        if match.start() > pos:
            spans.append((text[pos : match.start()], False))
        spans.append((url, is_app_link(url)))
        pos = match.start() + len(url)
    if pos < len(text or ""):
        spans.append((text[pos:], False))
    return spans


def looks_like_url(piece: str) -> bool:
    """A piece `link_spans` cut out as a URL (linked or not)."""
    return _CANDIDATE.fullmatch(piece) is not None
