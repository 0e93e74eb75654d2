"""Stripe's words for a request its spec does not accept, kept as data with where each was read.

`resources/practice/refusals.json` holds each message, its error code and its source; a message
no public source quotes is marked approximated there. The practice server refuses with these, so
an agent practising sees the sentence an owner would paste from Stripe.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from assistant.practice.store import StripeError
from assistant.resources import read_text


@functools.cache
def _refusals() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(read_text("practice", "refusals.json"))["refusals"]
    return data


def refusal(which: str, param: str | None, **fields: Any) -> StripeError:
    """A 400 in Stripe's shape: `which` names the message in refusals.json, `fields` fill it in."""
    entry = _refusals()[which]
    message = entry["message"].format(param=param, **fields)
    return StripeError(400, message, code=entry.get("code"), param=param)


def one_of(words: list[Any]) -> str:
    """"a or b"; "a, b, or c" (the longer form is approximated: see refusals.json)."""
    quoted = [str(w) for w in words]
    if len(quoted) <= 2:
        return " or ".join(quoted)
    return ", ".join(quoted[:-1]) + f", or {quoted[-1]}"
