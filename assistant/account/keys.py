"""Recognise what an agent pasted before anything is sent to Stripe, and mask it for display.

Keys have no fixed length (old ones are ~32 characters, new ones ~107), so they are recognised
by prefix and character set only.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, replace


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
# Real keys are about 110 characters; anything far longer is not a key and is never sent (a
# megabyte "key" on standard input went to the server in an Authorization header).
MAX_KEY_LENGTH = 512


def is_live(mode: str | None) -> bool:
    """The one test for "this touches real customers": live mode. Everything that must confirm,
    warn or show the LIVE banner asks this."""
    return mode == "live"


@dataclass(frozen=True)
class KeyInfo:
    """The cleaned key with what we know of it. `problem` is None only for usable API keys."""

    key: str
    kind: KeyKind
    mode: str | None
    problem: str | None
    # What was taken off a pasted form around the key ("Removed the quotes around it."), to be
    # shown next to the key's description; None when the key was pasted alone.
    removed: str | None = None

    @property
    def usable(self) -> bool:
        return self.problem is None

    @property
    def masked(self) -> str:
        return mask_key(self.key)

    @property
    def live(self) -> bool:
        return is_live(self.mode)

    def __repr__(self) -> str:  # never let the key reach a log through repr()
        return f"KeyInfo(key={self.masked!r}, kind={self.kind.value!r}, mode={self.mode!r})"


# A key-shaped token inside a pasted form (quotes, `Bearer`, `NAME=`...).
_TOKEN = re.compile(r"(?:sk|rk|pk)_(?:test|live)_[A-Za-z0-9_]+|whsec_[A-Za-z0-9_]+")
_QUOTES = {'"': '"', "'": "'", "`": "`", "\u201c": "\u201d", "\u2018": "\u2019"}
_BEARER = re.compile(r"(?:authorization\s*:\s*)?bearer\s+", re.IGNORECASE)
_ASSIGNMENT = re.compile(r"(?:export\s+|set\s+)?[A-Za-z_][A-Za-z0-9_]*\s*[=:]\s*", re.IGNORECASE)


def _halves(token: str) -> str | None:
    """The key when `token` is one key written twice with nothing between (a double paste)."""
    half, rest = divmod(len(token), 2)
    if not rest and token[:half] == token[half:] and _TOKEN.fullmatch(token[:half]):
        return token[:half]
    return None


def _unwrap(text: str) -> tuple[str, str | None, str | None]:
    """(the key to classify, what was removed, a problem) for a paste that holds a key inside
    something else. Text that holds no key-shaped token comes back as it is."""
    tokens = [_halves(t) or t for t in _TOKEN.findall(text)]
    distinct = list(dict.fromkeys(tokens))
    if not distinct:
        return text, None, None
    if len(distinct) > 1:
        shown = " and ".join(mask_key(t) for t in distinct[:2])
        return text, None, (f"The pasted text holds two different keys ({shown}); paste only the "
                            "one to check.")
    key = distinct[0]
    if text == key:
        return key, None, None
    if (len(tokens) > 1 or _halves(text) == key) and not text.replace(key, "").strip():
        return key, "Removed the same key pasted twice (it is kept once).", None
    start = text.find(key)
    before, after = text[:start], text[start + len(key):]
    if len(tokens) == 1 and (found := _wrapping(before, after)):
        return key, f"Removed {found} (the key is {mask_key(key)}).", None
    if text.startswith(key) and len(tokens) == 1:
        return text, None, None  # "sk_test_abc def": the inner-space sentence says it best
    return text, None, (f"The pasted text holds more than the key ({mask_key(key)} with other "
                        "words around it); paste the key alone, from the Dashboard's copy button.")


def _wrapping(before: str, after: str) -> str | None:
    """Words for the known forms around a key, or None when it is something else."""
    parts: list[str] = []
    opener = before[-1:] if before[-1:] in _QUOTES else ""
    if opener:
        if after != _QUOTES[opener]:
            return None
        before, after = before[:-1], ""
        parts.append("the backticks around it" if opener == "`" else "the quotes around it")
    if after.strip() not in ("", ";"):
        return None
    head = before.strip()
    if head:
        if not (_BEARER.fullmatch(before.lstrip()) or _ASSIGNMENT.fullmatch(before.lstrip())):
            return None
        parts.insert(0, f"\u201c{head}\u201d before it")
    return " and ".join(parts) or None


def classify_key(raw: str) -> KeyInfo:
    """Strip surrounding whitespace silently; take a key out of a pasted form (quotes,
    backticks, `Bearer …`, `NAME=…`, the same key twice) and say what was removed; explain
    anything else that is wrong."""
    raw = (raw or "").strip()
    if len(raw) > MAX_KEY_LENGTH:
        return KeyInfo("", KeyKind.UNKNOWN, None, too_long(len(raw)))
    key, removed, problem = _unwrap(raw)
    if problem is not None:
        return KeyInfo(key, KeyKind.UNKNOWN, None, problem)
    info = _classify(key)
    return replace(info, removed=removed) if removed and info.usable else info


def _classify(key: str) -> KeyInfo:
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


def too_long(length: int) -> str:
    return (f"This is {length:,} characters long, far longer than any Stripe key (about 110), so it "
            "was not sent; copy the key again on its own.")


def prefix_of(key: str) -> str:
    """"sk_test_", "rk_live_", "whsec_"...: the known prefix `key` starts with ("" for none)."""
    return next((p for p, _, _ in _PREFIXES if key.startswith(p)), "")


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
