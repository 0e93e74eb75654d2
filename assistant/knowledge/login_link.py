"""The no-code login link with the customer's e-mail already filled in.

Stripe's login page accepts `?prefilled_email=` (URL-encoded; the customer can still edit it),
which saves the customer typing an address on the phone. Pure, so the window and the tests share it.
"""

from __future__ import annotations

from urllib.parse import quote

PARAM = "prefilled_email"


def prefilled_login_url(login_url: str, email: str) -> str:
    """`login_url` with `prefilled_email` added; the bare URL when there is no e-mail.

    Every character of the e-mail is percent-encoded (`safe=""`): a `+` or `&` left bare would
    reach Stripe as a space or a new parameter and fill in the wrong address.
    """
    base = (login_url or "").strip()
    if not email:
        return base
    fragment = ""
    if "#" in base:
        base, fragment = base.split("#", 1)
        fragment = "#" + fragment
    encoded = quote(email, safe="", errors="surrogatepass")
    if "?" not in base:
        separator = "?"
    elif base.endswith(("?", "&")):
        separator = ""
    else:
        separator = "&"
    return f"{base}{separator}{PARAM}={encoded}{fragment}"
