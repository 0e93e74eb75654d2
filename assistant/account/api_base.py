"""Where Stripe's API is: a stand-in's address given by hand is checked before any request.

The SDK joins the base and `/v1/...` as strings, so `http://host/v1` would send every request
to `/v1/v1/...` (all 404) and an address without a scheme fails deep inside the HTTP client.
Pure: the CLI turns `BadApiBase` into an exit-2 sentence, the window into a message.
"""

from __future__ import annotations

from urllib.parse import urlsplit


class BadApiBase(ValueError):
    """Not an http(s) address with a host; the message names the value and says what is wanted."""


def normalize_api_base(raw: str, source: str = "--api-base") -> tuple[str, str | None]:
    """(the base to use, a note to show once when a trailing `/v1` was dropped, else None)."""
    value = (raw or "").strip()
    try:
        parts = urlsplit(value)
        host = parts.hostname
        parts.port  # noqa: B018  (raises ValueError for a port that is not a number)
    except ValueError:  # an unclosed [ of an IPv6 address, or a port that is not a number
        parts, host = urlsplit(""), None
    if parts.scheme not in ("http", "https") or not host or parts.query or parts.fragment:
        raise BadApiBase(
            f"{source} '{raw}' is not an http:// or https:// address with a host name "
            "(for example https://api.stripe.com, or http://127.0.0.1:12111 for a local stand-in)."
        )
    path = parts.path.rstrip("/")
    note = None
    if path == "/v1" or path.endswith("/v1"):
        path = path[: -len("/v1")]
        note = (f"{source}: the trailing /v1 was dropped (requests add it themselves), "
                f"so {parts.scheme}://{parts.netloc}{path} is used.")
    return f"{parts.scheme}://{parts.netloc}{path}", note
