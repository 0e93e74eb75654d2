"""Recognise what an agent pasted before anything is sent to Stripe, and mask it for display.

Keys have no fixed length (old ones are ~32 characters, new ones ~107), so they are recognised
by prefix and character set only.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass


class KeyKind(str, enum.Enum):
    SECRET = "secret"
    RESTRICTED = "restricted"
    PUBLISHABLE = "publishable"
    WEBHOOK_SECRET = "webhook secret"
    UNKNOWN = "unknown"


_PREFIXES: tuple[tuple[str, KeyKind, str | None], ...] = (
    ("sk_test_", KeyKind.SECRET, "test"),
    ("sk_live_", KeyKind.SECRET, "live"),
    ("rk_test_", KeyKind.RESTRICTED, "test"),
    ("rk_live_", KeyKind.RESTRICTED, "live"),
    ("pk_test_", KeyKind.PUBLISHABLE, "test"),
    ("pk_live_", KeyKind.PUBLISHABLE, "live"),
    ("whsec_", KeyKind.WEBHOOK_SECRET, None),
)
_BODY = re.compile(r"[A-Za-z0-9_]+")
# Any key-shaped token inside other text, for scrubbing. No leading word boundary on purpose:
# `key=sk_live_…` and `api_sk_live_…` must both be caught; `*` is in the body because Stripe's
# own error messages quote keys as `sk_test_****abcd`.
KEY_LIKE = re.compile(r"(?:sk|rk|pk)_(?:test|live)_[A-Za-z0-9_*]+|whsec_[A-Za-z0-9_*]+")
_MIN_BODY = 4


@dataclass(frozen=True)
class KeyInfo:
    """The cleaned key with what we know of it. `problem` is None only for usable API keys."""

    key: str
    kind: KeyKind
    mode: str | None
    problem: str | None

    @property
    def usable(self) -> bool:
        return self.problem is None

    @property
    def masked(self) -> str:
        return mask_key(self.key)

    def __repr__(self) -> str:  # never let the key reach a log through repr()
        return f"KeyInfo(key={self.masked!r}, kind={self.kind.value!r}, mode={self.mode!r})"


def classify_key(raw: str) -> KeyInfo:
    """Strip surrounding whitespace silently; explain anything else that is wrong."""
    key = (raw or "").strip()
    if not key:
        return KeyInfo("", KeyKind.UNKNOWN, None, "No key was entered.")
    found = next((entry for entry in _PREFIXES if key.startswith(entry[0])), None)
    if found is None:
        return KeyInfo(
            key,
            KeyKind.UNKNOWN,
            None,
            "This is not a Stripe API key: a secret key starts with sk_test_ or sk_live_, "
            "a restricted key with rk_test_ or rk_live_.",
        )
    prefix, kind, mode = found
    body = key[len(prefix):]
    if any(ch.isspace() for ch in key):
        return KeyInfo(
            key, kind, mode,
            "The key contains a space or line break in the middle; copy it again with the "
            "Dashboard's copy button.",
        )
    if kind is KeyKind.PUBLISHABLE:
        return KeyInfo(
            key, kind, mode,
            f"This is a publishable key (pk_{mode}_), which only works in a web page. "
            f"Ask for the secret key (sk_{mode}_) from Developers → API keys.",
        )
    if kind is KeyKind.WEBHOOK_SECRET:
        return KeyInfo(
            key, kind, mode,
            "This is a webhook signing secret (whsec_), not an API key. Ask for the secret "
            "key (sk_test_ or sk_live_) from Developers → API keys.",
        )
    if len(body) < _MIN_BODY or not _BODY.fullmatch(body):
        return KeyInfo(
            key, kind, mode,
            "The key looks cut short or has characters a Stripe key never has; copy it "
            "again in full.",
        )
    return KeyInfo(key, kind, mode, None)


def mask_key(key: str) -> str:
    """Prefix and last four characters only, e.g. `sk_test_…abcd`."""
    key = (key or "").strip()
    if not key:
        return ""
    for prefix, _, _ in _PREFIXES:
        if key.startswith(prefix):
            break
    else:
        prefix = ""
    tail = key[len(prefix):]
    if len(tail) <= 4:
        return f"{prefix}…"
    return f"{prefix}…{tail[-4:]}"


_MIN_ECHO = 8  # a shorter secret part could be an ordinary word: only the whole key is removed


def secret_scrubber(*keys: str) -> Callable[[str], str]:
    """A function that replaces each key in a text by its masked form: the whole key, and its
    secret part on its own (a server echoing the key back may drop the prefix)."""
    pairs: list[tuple[str, str]] = []
    for key in (k.strip() for k in keys if k and k.strip()):
        masked = mask_key(key)
        pairs.append((key, masked))
        prefix = next((p for p, _, _ in _PREFIXES if key.startswith(p)), "")
        body = key[len(prefix):]
        if prefix and len(body) >= _MIN_ECHO:
            pairs.append((body, masked))

    def scrub(text: str) -> str:
        for secret, masked in pairs:
            if secret in text:
                text = text.replace(secret, masked)
        return text

    return scrub
