"""Remove what must never leave the agent's screen before a run is written anywhere.

Secrets and portal session links are always removed: a session link logs anyone who has it into
the customer's portal, and a key is the account. E-mail masking is a choice because an agent may
need the address in an internal ticket.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from assistant.account.keys import KEY_LIKE, mask_key
from assistant.account.secret_pieces import mask_pieces
from assistant.diagnosis.model import CheckResult, Diagnosis

SESSION_LINK_REMOVED = "[portal session link removed]"


@dataclass(frozen=True)
class RedactionOptions:
    mask_emails: bool = True
    # For what a person reads (terminal, report, window, history, log): control characters
    # removed and overlong runs shortened. False keeps every value whole (the JSON, whose
    # writer escapes control characters instead: see `escape_controls`).
    display: bool = True


# Anything starting like a URL, plus scheme-less `billing.stripe.com/...` pasted from a chat.
_URL = re.compile(r"""(?:https?://|\bbilling\.)[^\s<>"'`]+""", re.IGNORECASE)
_URL_TRAILING = ".,;:!?)]}"
# `%40` catches addresses inside URL query strings (e.g. a prefilled e-mail). The look-behind
# lets a match start only where a run of address characters starts: without it every position
# inside a long run was tried and scanned to the run's end (quadratic: 125 s for a 100 KB name).
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])(?P<local>[A-Za-z0-9._%+\-]+)(?P<at>@|%40)"
    r"(?P<domain>[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})"
)
# C0/C1 controls other than tab and newline, Unicode's bidirectional controls, the invisible
# characters and the line and paragraph separators: they can rewrite a terminal (ESC sequences,
# OSC 8 links, BEL), cut a string (NUL), break a PDF, make text read differently from what it is
# (RLO turns "gnp.exe" into "exe.png"), hide characters inside a name or an id (zero-width
# space, joiners, word joiner, byte-order mark) or break a line where a reader sees none
# (U+2028, U+2029: JavaScript and many terminals take them for new lines). One list, for every
# format: removed where a person reads, escaped in the JSON.
_UNICODE_CONTROLS = "\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff"
CONTROL_CHARS = "\x00-\x08\x0b-\x1f" + _UNICODE_CONTROLS
_CONTROL = re.compile(f"[{CONTROL_CHARS}]")
# JSON already escapes C0; these it would write raw.
_JSON_RAW_CONTROL = re.compile(f"[{_UNICODE_CONTROLS}]")
# Display limits: one unbroken run (a name with no spaces) and one whole field.
MAX_RUN = 200
MAX_FIELD = 4000
_LONG_RUN = re.compile(rf"\S{{{MAX_RUN + 1},}}")


def _is_session_link(url: str) -> bool:
    """Stripe's portal links (billing.stripe.com/p/session/…, or a billing.* custom domain) and
    the practice server's (/portal/session/…); other links that merely contain /session/ stay.
    Plain searches, not a `billing.*?/session/` pattern, so a long URL costs one pass."""
    lower = url.lower()
    billing = lower.find("billing")
    return "/portal/session/" in lower or (billing >= 0 and lower.rfind("/session/") > billing)


def _session_link(match: re.Match[str]) -> str:
    url = match.group(0)
    trailing = ""
    while url and url[-1] in _URL_TRAILING:
        trailing = url[-1] + trailing
        url = url[:-1]
    if _is_session_link(url):
        return SESSION_LINK_REMOVED + trailing
    return match.group(0)


def _shorten_run(match: re.Match[str]) -> str:
    run = match.group(0)
    return f"{run[:MAX_RUN]}… ({len(run) - MAX_RUN:,} more characters)"


def shorten(text: str) -> str:
    """Overlong account data cut for display; the JSON report keeps the whole value."""
    text = _LONG_RUN.sub(_shorten_run, text)
    if len(text) > MAX_FIELD:
        text = f"{text[:MAX_FIELD]}… ({len(text) - MAX_FIELD:,} more characters)"
    return text


def strip_controls(text: str) -> str:
    return _CONTROL.sub("", text)


def escape_controls(json_text: str) -> str:
    """JSON text with every control and bidi character written as a \\u escape, so printing it
    is safe while a program reading it still gets the value unchanged."""
    return _JSON_RAW_CONTROL.sub(lambda m: f"\\u{ord(m.group(0)):04x}", json_text)


def _mask_email(match: re.Match[str]) -> str:
    local = match.group("local")
    if local.lower().startswith("mailto:"):
        local = local[7:]
    return f"{local[:1]}***{match.group('at')}{match.group('domain')}"


def redact_text(text: str | None, options: RedactionOptions | None = None) -> str:
    """One string made safe to share: no key (masked form only), no session link, maybe no e-mail."""
    options = options or RedactionOptions()
    if not text:
        return ""
    if options.display:
        text = strip_controls(text)
    text = _URL.sub(_session_link, text)
    text = mask_pieces(text)  # before the key-shaped tokens: a cut key keeps none of its characters
    text = KEY_LIKE.sub(lambda m: mask_key(m.group(0)), text)
    if options.mask_emails:
        text = _EMAIL.sub(_mask_email, text)
    # Last, so a cut can never leave half a key or half a session link behind.
    return shorten(text) if options.display else text


def redaction_labels(options: RedactionOptions | None = None) -> tuple[str, ...]:
    """What was removed, in words the report shows so the reader knows the gaps are deliberate."""
    options = options or RedactionOptions()
    labels = ["secret keys", "portal session links"]
    if options.mask_emails:
        labels.append("customer e-mails")
    return tuple(labels)


def redaction_notice(options: RedactionOptions | None = None) -> str:
    return "Redacted: " + ", ".join(redaction_labels(options))


def redact_check(check: CheckResult, options: RedactionOptions | None = None) -> CheckResult:
    options = options or RedactionOptions()
    return check.map_text(lambda text: redact_text(text, options))


def redact_diagnosis(diagnosis: Diagnosis, options: RedactionOptions | None = None) -> Diagnosis:
    """Every free-text field of a run, findings included, passed through `redact_text`;
    statuses and codes untouched."""
    options = options or RedactionOptions()
    masked = diagnosis.masked_key
    if masked and "…" not in masked:  # a caller handed us the key itself: mask, never show
        diagnosis = replace(diagnosis, masked_key=mask_key(masked))
    return diagnosis.map_text(lambda text: redact_text(text, options))
