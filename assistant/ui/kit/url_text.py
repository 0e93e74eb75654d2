"""Addresses in a card's text, drawn so a line never breaks inside one.

A label wraps at any '/', '-' or '.', so a Dashboard link used to come out in three pieces the
agent could neither read out nor recognise. Here an address is held together with word joiners
(U+2060: invisible, no width, no break), and a long Dashboard link is shown elided in the
middle, as `table_fit` does with ids, its whole address in the link and in the tooltip shown on
hovering it. Only what is drawn changes: Copy puts the card's plain text on the clipboard.
"""

from __future__ import annotations

import html

from assistant.knowledge.links import link_spans, looks_like_url

WORD_JOINER = "\u2060"
# Longer Dashboard links are shown elided in the middle (the portal page's, 57, is not): fits the
# page's 64-character minimum.
SHOWN_URL_CHARS = 58
_ELLIPSIS = "…"


def unbroken(url: str) -> str:
    """`url` with a word joiner after every mark a line could break at."""
    return "".join(c if c.isalnum() else c + WORD_JOINER for c in url)


def elided(url: str, limit: int = SHOWN_URL_CHARS) -> str:
    """`https://dashboard.stripe.com/test/…/bpc_1Prc…` style: both ends kept, the middle cut."""
    if len(url) <= limit:
        return url
    head = (limit * 2) // 3
    tail = limit - head - 1
    return url[:head] + _ELLIPSIS + url[-tail:]


def unbroken_text(text: str) -> str:
    """Plain text with every address in it held on one line (nothing elided: no link to hover)."""
    return "".join(unbroken(piece) if looks_like_url(piece) else piece for piece, _ in link_spans(text))


def linkify(text: str) -> str:
    """Plain text → safe rich text; only the Dashboard links the app built become anchors, shown
    elided and unbroken; other addresses (account data) stay plain text, unbroken."""
    out = []
    for piece, linked in link_spans(text):
        if linked:
            shown = html.escape(unbroken(elided(piece)))
            out.append(f'<a href="{html.escape(piece, quote=True)}">{shown}</a>')
        elif looks_like_url(piece):
            out.append(html.escape(unbroken(piece)))
        else:
            out.append(html.escape(piece))
    return "".join(out)
