"""Remove what must never leave the agent's screen before a run is written anywhere.

Secrets and portal session links are always removed: a session link logs anyone who has it into
the customer's portal, and a key is the account. E-mail masking is a choice because an agent may
need the address in an internal ticket.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from assistant.account.errors import StripeErrorInfo
from assistant.diagnosis.model import AccountInfo, CheckResult, Diagnosis, Fact, Finding, Subject
from assistant.account.keys import KEY_LIKE, mask_key

SESSION_LINK_REMOVED = "[portal session link removed]"


@dataclass(frozen=True)
class RedactionOptions:
    mask_emails: bool = True


# Anything starting like a URL, plus scheme-less `billing.stripe.com/...` pasted from a chat.
_URL = re.compile(r"""(?:https?://|\bbilling\.)[^\s<>"'`]+""", re.IGNORECASE)
_URL_TRAILING = ".,;:!?)]}"
# Stripe's portal links (billing.stripe.com/p/session/…, or a billing.* custom domain) and the
# practice server's (/portal/session/…); other links that merely contain /session/ stay.
_SESSION_PATH = re.compile(r"billing.*?/session/|/portal/session/", re.IGNORECASE)
# `%40` catches addresses inside URL query strings (e.g. a prefilled e-mail).
_EMAIL = re.compile(
    r"(?P<local>[A-Za-z0-9._%+\-]+)(?P<at>@|%40)(?P<domain>[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})"
)
# C0/C1 controls other than tab and newline: they can rewrite a terminal or break a PDF.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _session_link(match: re.Match[str]) -> str:
    url = match.group(0)
    trailing = ""
    while url and url[-1] in _URL_TRAILING:
        trailing = url[-1] + trailing
        url = url[:-1]
    if _SESSION_PATH.search(url):
        return SESSION_LINK_REMOVED + trailing
    return match.group(0)


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
    text = _CONTROL.sub("", text)
    text = _URL.sub(_session_link, text)
    text = KEY_LIKE.sub(lambda m: mask_key(m.group(0)), text)
    if options.mask_emails:
        text = _EMAIL.sub(_mask_email, text)
    return text


def redaction_labels(options: RedactionOptions | None = None) -> tuple[str, ...]:
    """What was removed, in words the report shows so the reader knows the gaps are deliberate."""
    options = options or RedactionOptions()
    labels = ["secret keys", "portal session links"]
    if options.mask_emails:
        labels.append("customer e-mails")
    return tuple(labels)


def redaction_notice(options: RedactionOptions | None = None) -> str:
    return "Redacted: " + ", ".join(redaction_labels(options))


def _opt(text: str | None, options: RedactionOptions) -> str | None:
    return None if text is None else redact_text(text, options)


def _fact(value: Fact, options: RedactionOptions) -> Fact:
    if isinstance(value, str):
        return redact_text(value, options)
    if isinstance(value, tuple):
        return tuple(redact_text(v, options) for v in value)
    return value


def _subject(subject: Subject, options: RedactionOptions) -> Subject:
    return replace(subject, id=redact_text(subject.id, options), name=redact_text(subject.name, options))


def redact_finding(finding: Finding, options: RedactionOptions | None = None) -> Finding:
    """Every text a finding carries (facts, names, values seen) redacted like the sentences."""
    options = options or RedactionOptions()
    return replace(
        finding,
        subject=_subject(finding.subject, options) if finding.subject else None,
        seen=_fact(finding.seen, options),
        expected=_fact(finding.expected, options),
        related=tuple(_subject(r, options) for r in finding.related),
        facts={k: _fact(v, options) for k, v in finding.facts.items()},
    )


def redact_check(check: CheckResult, options: RedactionOptions | None = None) -> CheckResult:
    options = options or RedactionOptions()
    error = check.stripe_error
    if error is not None:
        error = StripeErrorInfo(
            message=redact_text(error.message, options),
            code=_opt(error.code, options),
            param=_opt(error.param, options),
            request_id=_opt(error.request_id, options),
            http_status=error.http_status,
        )
    return replace(
        check,
        title=redact_text(check.title, options),
        summary=redact_text(check.summary, options),
        details=tuple(redact_text(d, options) for d in check.details),
        fix=tuple(redact_text(f, options) for f in check.fix),
        stripe_error=error,
        findings=tuple(redact_finding(f, options) for f in check.findings),
    )


def redact_diagnosis(diagnosis: Diagnosis, options: RedactionOptions | None = None) -> Diagnosis:
    """Every free-text field of a run passed through `redact_text`; ids and statuses untouched."""
    options = options or RedactionOptions()
    account = diagnosis.account
    if account is not None:
        account = AccountInfo(account.id, _opt(account.name, options))
    masked = diagnosis.masked_key
    if masked and "…" not in masked:  # a caller handed us the key itself: mask, never show
        masked = mask_key(masked)
    return replace(
        diagnosis,
        masked_key=redact_text(masked, options),
        account=account,
        checks=tuple(redact_check(c, options) for c in diagnosis.checks),
        customer_query=_opt(diagnosis.customer_query, options),
        notes=redact_text(diagnosis.notes, options),
        ticket=redact_text(diagnosis.ticket, options),
        fatal=_opt(diagnosis.fatal, options),
    )
