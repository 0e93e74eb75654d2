"""Knowledge entries as a small, safe HTML subset (h3, p, ul/li, b, a) for a Qt QTextBrowser.

Every value is escaped. Cross links use `term:NAME` and `trouble:ID` (percent-encoded, read back
with `parse_link`); Dashboard links are plain https links. No Qt here: the pane only displays.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import Literal
from urllib.parse import quote, unquote

from assistant.knowledge.base import (
    DashboardLinks,
    SearchHit,
    TalkTrack,
    Term,
    TroubleshootingEntry,
)
from assistant.knowledge.checklist import check_title

TERM_SCHEME = "term"
TROUBLE_SCHEME = "trouble"


def term_href(name: str) -> str:
    return f"{TERM_SCHEME}:{quote(name, safe='')}"


def trouble_href(entry_id: str) -> str:
    return f"{TROUBLE_SCHEME}:{quote(entry_id, safe='')}"


def parse_link(href: str) -> tuple[Literal["term", "trouble"], str] | None:
    """("term", name) or ("trouble", id) for our own links; None for web links and anything else."""
    scheme, sep, rest = href.partition(":")
    if not sep or not rest:
        return None
    if scheme == TERM_SCHEME:
        return "term", unquote(rest)
    if scheme == TROUBLE_SCHEME:
        return "trouble", unquote(rest)
    return None


def _text(value: str) -> str:
    """Escape element text; quotes stay readable because only attributes need them escaped."""
    return escape(value, quote=False)


def _a(href: str, label: str) -> str:
    return f'<a href="{escape(href, quote=True)}">{_text(label)}</a>'


def _web_link(url: str, label: str) -> str:
    """Only https addresses become links; anything else is shown as inert text."""
    if url.startswith("https://"):
        return _a(url, label)
    return _text(f"{label}: {url}")


def _p(label: str, body_html: str) -> str:
    return f"<p><b>{_text(label)}</b> {body_html}</p>"


def _list(label: str, items: Iterable[str], quote_items: bool = False) -> str:
    rows = "".join(
        f"<li>{_text(f'“{item}”' if quote_items else item)}</li>" for item in items
    )
    if not rows:
        return ""
    return f"<p><b>{_text(label)}</b></p><ul>{rows}</ul>"


def _term_links(label: str, names: Sequence[str]) -> str:
    if not names:
        return ""
    return _p(label, ", ".join(_a(term_href(n), n) for n in names))


def _dashboard(links: DashboardLinks | None) -> str:
    if links is None:
        return ""
    body = f"{_web_link(links.test, 'Test mode')}, {_web_link(links.live, 'Live mode')}"
    return _p("In the Dashboard:", body)


def render_term(term: Term) -> str:
    parts = [
        f"<h3>{_text(term.name)}</h3>",
        f"<p>{_text(term.definition)}</p>",
        _p("Why it matters:", _text(term.why_it_matters)),
    ]
    if term.synonyms:
        parts.append(_p("Also called:", _text(", ".join(term.synonyms))))
    parts.append(_dashboard(term.dashboard))
    parts.append(_term_links("Related:", term.related))
    return "".join(parts)


def render_entry(entry: TroubleshootingEntry) -> str:
    parts = [
        f"<h3>{_text(entry.title)}</h3>",
        _list("What the owner might say:", entry.symptoms, quote_items=True),
        _p("Why it happens:", _text(entry.cause)),
        _list("How to fix it:", entry.fix),
        _dashboard(entry.dashboard),
    ]
    if entry.checks:  # by their titles: a check id is the app's name, not the agent's
        parts.append(_list("Found by these checks:", [check_title(c) for c in entry.checks]))
    parts.append(_term_links("Terms:", entry.terms))
    return "".join(parts)


def render_talk_track(track: TalkTrack) -> str:
    return "".join([
        f"<h3>{_text(track.title)}</h3>",
        _list("Ask:", track.ask),
        _list("Say:", track.say),
        _list("Watch out:", track.watch_out),
        _term_links("Terms:", track.terms),
    ])


def render_hits(hits: Sequence[SearchHit]) -> str:
    """A result list whose links open the matching term or entry."""
    if not hits:
        return "<p>No matches. Try the owner's own words, or a shorter phrase.</p>"
    rows = []
    for hit in hits:
        href = term_href(hit.key) if hit.kind == "term" else trouble_href(hit.key)
        kind = "Term" if hit.kind == "term" else "Problem"
        rows.append(f"<li><b>{_text(kind)}:</b> {_a(href, hit.title)}: {_text(hit.snippet)}</li>")
    return f"<ul>{''.join(rows)}</ul>"

