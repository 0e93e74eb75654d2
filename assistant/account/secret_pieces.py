"""The secrets this process has seen, and the one function that masks any piece of them.

A server may echo the key back cut up: all but its last character, a 30-character slice inside
an error's `doc_url`, a slice glued into a business name. Masking only the whole key (or its
body without the prefix) let such pieces reach the terminal, the history and the team
database. So every key the app reads is registered here for the life of the process (in
memory only: never written anywhere), and `mask_pieces` replaces any run of at least
`MIN_PIECE` characters taken from one of them by the key's masked form (`sk_test_…abcd`).

Stripe's keys of today start their body with `51` and the account's id (`sk_test_51Hq…` for
`acct_1Hq…`), the same characters the publishable key and every Dashboard link carry; a piece
that lies wholly inside that public head is the account's id, not a secret, and is left alone.

Cost: the text is searched only inside runs of key characters at least `MIN_PIECE` long (one
regular expression), and a run is probed every `_STEP` characters: any shared piece of
`MIN_PIECE` characters covers one whole aligned probe. A megabyte of one unbroken name costs
about 170,000 set look-ups, linear in the text.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from assistant.account.keys import mask_key, prefix_of

MIN_PIECE = 12
_STEP = MIN_PIECE // 2
MAX_SECRET = 512  # longer than any real key: never registered (nor sent; see keys.MAX_KEY_LENGTH)
_RUN = re.compile(rf"[A-Za-z0-9_*]{{{MIN_PIECE},}}")
_PREFIX = re.compile(r"(?:sk|rk|pk)_(?:test|live)_|whsec_")
_ACCOUNT_HEAD = re.compile(r"[0-9]{2}[A-Za-z0-9]{16}")
_HEAD = 18  # "51" and the 16 characters of the account id that follow "acct_1"


@dataclass(frozen=True)
class _Secret:
    text: str
    masked: str
    public: tuple[int, int]  # positions of the public head inside `text` (empty: none)
    probes: dict[str, tuple[int, ...]]  # every _STEP-character slice -> where it starts


_lock = threading.Lock()
_secrets: dict[str, _Secret] = {}
_probes: dict[str, list[_Secret]] = {}


def _public_head(key: str) -> tuple[int, int]:
    prefix = _PREFIX.match(key)
    start = prefix.end() if prefix else 0
    if prefix and _ACCOUNT_HEAD.match(key, start) and len(key) - start > _HEAD + MIN_PIECE:
        return 0, start + _HEAD  # the prefix too: `k_test_51…` is shared with the publishable key
    return 0, 0


def remember(key: str | None) -> None:
    """Register a secret (a key as read) for the rest of the process; short or absurdly long
    values are not keys and are ignored."""
    key = (key or "").strip()
    if not MIN_PIECE <= len(key) <= MAX_SECRET or key.startswith(("pk_test_", "pk_live_")):
        return
    with _lock:
        if key in _secrets:
            return
        probes: dict[str, list[int]] = {}
        for i in range(len(key) - _STEP + 1):
            probes.setdefault(key[i:i + _STEP], []).append(i)
        secret = _Secret(key, mask_key(key), _public_head(key), {k: tuple(v) for k, v in probes.items()})
        _secrets[key] = secret
        for probe in secret.probes:
            _probes.setdefault(probe, []).append(secret)


def remember_all(keys: Iterable[str | None]) -> None:
    for key in keys:
        remember(key)


def forget_all() -> None:
    """For tests that need a process with no secret registered."""
    with _lock:
        _secrets.clear()
        _probes.clear()


def known() -> bool:
    return bool(_secrets)


def _extend(text: str, at: int, secret: _Secret, offset: int) -> tuple[int, int] | None:
    """The longest piece of `secret` around text[at:at+_STEP] == secret[offset:offset+_STEP], as
    text positions, when it is long enough and not only the public head."""
    key = secret.text
    left = 0
    while at - left > 0 and offset - left > 0 and text[at - left - 1] == key[offset - left - 1]:
        left += 1
    right = 0
    end, key_end = at + _STEP, offset + _STEP
    while end + right < len(text) and key_end + right < len(key) and text[end + right] == key[key_end + right]:
        right += 1
    if left + _STEP + right < MIN_PIECE:
        return None
    lo, hi = offset - left, key_end + right
    if secret.public[0] <= lo and hi <= secret.public[1]:
        return None  # the account's id, as the publishable key and the Dashboard show it
    return at - left, end + right


def _pieces(text: str) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    for run in _RUN.finditer(text):
        start, stop = run.span()
        for at in range(start, stop - _STEP + 1, _STEP):
            for secret in _probes.get(text[at:at + _STEP], ()):
                for offset in secret.probes[text[at:at + _STEP]]:
                    span = _extend(text, at, secret, offset)
                    if span is not None:
                        found.append((*span, secret.masked))
    return found


def mask_pieces(text: str) -> str:
    """`text` with every piece (at least MIN_PIECE characters) of a registered secret replaced
    by that key's masked form; unchanged when nothing is registered."""
    if not _secrets or not text or len(text) < MIN_PIECE:
        return text
    found = _pieces(text)
    if not found:
        return text
    found.sort()
    out: list[str] = []
    pos = 0
    for lo, hi, masked in found:
        if hi <= pos:
            continue  # inside a piece already masked
        if lo < pos:
            lo = pos
        else:
            out.append(text[pos:lo])
            out.append(masked)
        pos = hi
    out.append(text[pos:])
    return "".join(out)


_MIN_ECHO = 8  # a shorter secret part could be an ordinary word: only the whole key is removed


def secret_scrubber(*keys: str) -> Callable[[str], str]:
    """A function that replaces each key in a text by its masked form: the whole key, its
    secret part on its own (a server echoing the key back may drop the prefix), and any piece of
    12 characters or more of any key this process has read (the keys given are registered for
    the rest of the process)."""
    remember_all(keys)
    pairs: list[tuple[str, str]] = []
    for key in (k.strip() for k in keys if k and k.strip()):
        masked = mask_key(key)
        pairs.append((key, masked))
        prefix = prefix_of(key)
        body = key[len(prefix):]
        if prefix and len(body) >= _MIN_ECHO:
            pairs.append((body, masked))

    def scrub(text: str) -> str:
        text = mask_pieces(text)
        for secret, masked in pairs:
            if secret in text:
                text = text.replace(secret, masked)
        return text

    return scrub
