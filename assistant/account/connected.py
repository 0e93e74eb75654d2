"""The connected account a diagnosis acts as (Stripe Connect): its id, checked before any request.

With `--connected-account acct_…` (or the Connect step's field) every request carries the
`Stripe-Account` header, so the platform's key reads and changes that connected account. An id
of another shape would reach Stripe as a header it refuses with words about access; saying
what is wrong before anything is sent is clearer.
"""

from __future__ import annotations

import re

_ACCOUNT_ID = re.compile(r"acct_[A-Za-z0-9]{1,64}")


def connected_account_problem(text: str) -> str | None:
    """One sentence saying why `text` is not a connected account id; None when it is one
    (or empty: no connected account)."""
    value = text.strip()
    if not value or _ACCOUNT_ID.fullmatch(value):
        return None
    if value.startswith(("sk_", "rk_", "pk_")):
        return ("That is an API key, not a connected account id: paste the key in the key field, "
                "and here the id of the connected account (acct_…).")
    return ("A connected account id starts with acct_ followed by letters and digits only "
            "(the platform's Dashboard shows it on the connected account's page).")


def connected_account_or_none(text: str | None) -> str | None:
    """The id, stripped; None for empty input. Callers check `connected_account_problem` first."""
    value = (text or "").strip()
    return value or None
