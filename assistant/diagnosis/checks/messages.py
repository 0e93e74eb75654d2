"""Turn a check's findings into the sentences an agent reads aloud, from `resources/checks.json`.

Checks decide the findings (codes, statuses, facts); every sentence comes from the JSON file,
so wording can be reviewed and corrected without touching the logic. The rule, the same for
every check:

- the first finding is the headline: it gives the status, the summary, the closing fix steps
  and the glossary terms;
- every finding whose code has a `detail` template adds a details line, in order;
- every finding whose code has `also_fix` steps adds them (once each) before the headline's fix;
- a headline summary may say `{said}`: the `said` phrases (names and amounts, no ids: the
  words read out to the owner) of the evidence with the headline's status, once each, joined
  by "; ";
- a code marked `"repeats": false` adds no details line for an object whose problem an
  earlier finding already put in the details (an archived price is not listed twice).
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from assistant.account.errors import (
    AuthenticationFailed,
    DeadlineExceeded,
    GatewayError,
    MalformedAnswer,
    NetworkFailed,
    PermissionMissing,
    RateLimited,
    ServerFailed,
    StripeErrorInfo,
)
from assistant.account.permissions import dashboard_words
from assistant.diagnosis.checks.common_codes import (
    ERROR_ANSWER,
    ERROR_AUTH,
    ERROR_DEADLINE,
    ERROR_NETWORK,
    ERROR_PERMISSION,
    ERROR_PERMISSION_UNNAMED,
    ERROR_RATE_LIMITED,
    ERROR_REQUEST,
    ERROR_SERVER,
    STRIPE_REQUEST_ID,
)
from assistant.diagnosis.findings import Fact, Finding
from assistant.diagnosis.model import CheckResult
from assistant.diagnosis.status import Status
from assistant.knowledge.checklist import catalogue, declaration
from assistant.knowledge.dashboard import dashboard_links

_FORMATTER = string.Formatter()

__all__ = [
    "MessageError", "catalogue", "placeholders", "base_values", "fill", "title", "label",
    "entry", "render", "one", "finding_label", "error_result", "error_code", "request_id_finding",
    "other_mode", "permission_words",
]


class MessageError(LookupError):
    """A template names a placeholder the finding did not fill, or a code has no wording."""


def placeholders(template: str) -> set[str]:
    """Names of the `{placeholders}` in one template."""
    return {name for _, name, _, _ in _FORMATTER.parse(template) if name}


def other_mode(mode: str | None) -> str | None:
    return {"test": "live", "live": "test"}.get(mode or "")


def base_values(mode: str | None) -> dict[str, str]:
    """Values every template may use: the mode words and Dashboard links of both modes."""
    values: dict[str, str] = {
        "mode": mode or "this",
        "other_mode": other_mode(mode) or "the other",
    }
    values.update(dashboard_links(mode))
    for m in ("test", "live"):
        values.update({f"{k}_{m}": v for k, v in dashboard_links(m).items()})
    return values


def fill(template: str, values: Mapping[str, object]) -> str:
    missing = placeholders(template) - set(values)
    if missing:
        raise MessageError(f"no value for {sorted(missing)} in {template!r}")
    return _FORMATTER.vformat(template, (), {k: _text(v) for k, v in values.items()})


def _text(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def title(check_id: str, mode: str | None) -> str:
    return fill(declaration(check_id).title, base_values(mode))


def label(group: str, name: str) -> str:
    """A short name from `labels` (feature names, sections, states)."""
    found: str = catalogue()["labels"][group].get(name, name)
    return found


def entry(check_id: str, code: str) -> Mapping[str, Any]:
    """The wording of one finding code as `check_id` reports it (its own, or a common one)."""
    spec = catalogue()["checks"].get(check_id)
    if spec is None:
        raise MessageError(f"no entry for check {check_id!r}")
    found: Mapping[str, Any] | None = spec.get("findings", {}).get(code) or catalogue()["common"].get(code)
    if found is None:
        raise MessageError(f"check {check_id!r} declares no finding {code!r}")
    return found


def render(
    check_id: str,
    mode: str | None,
    findings: Sequence[Finding],
    /,
    *,
    stripe_error: StripeErrorInfo | None = None,
) -> CheckResult:
    """The result worded from its findings; raises MessageError when wording is missing."""
    if not findings:
        raise MessageError(f"check {check_id!r} returned no finding")
    headline = findings[0]
    head = entry(check_id, headline.code)
    if "summary" not in head:
        raise MessageError(f"{headline.code!r} cannot head a result of {check_id!r}: no summary")
    base = base_values(mode)

    def values(f: Finding) -> dict[str, object]:
        return {**base, **f.facts}

    details: list[str] = []
    also: list[str] = []
    said: list[str] = []
    reported: set[str] = set()
    for f in findings:
        spec = entry(check_id, f.code)
        subject = f.subject.id if f.subject else None
        if "detail" in spec and not (spec.get("repeats") is False and subject in reported):
            details.append(fill(spec["detail"], values(f)))
            if f.is_problem and subject:
                reported.add(subject)
        if f is not headline and f.status is headline.status and "said" in spec:
            phrase = fill(spec["said"], values(f))
            if phrase not in said:
                said.append(phrase)
        for step in spec.get("also_fix", ()):
            text = fill(step, values(f))
            if text not in also:
                also.append(text)
    head_values = {"said": "; ".join(said), **values(headline)}
    return CheckResult(
        id=check_id,
        title=title(check_id, mode),
        status=headline.status,
        summary=fill(head["summary"], head_values),
        details=tuple(details),
        fix=tuple(also) + tuple(fill(step, head_values) for step in head.get("fix", ())),
        glossary=tuple(head.get("glossary", ())),
        stripe_error=stripe_error,
        findings=tuple(findings),
    )


def finding_label(check_id: str, finding: Finding, mode: str | None = None) -> str | None:
    """The short label of a finding for a table cell (None when its code has none)."""
    template = entry(check_id, finding.code).get("label")
    return None if template is None else fill(template, {**base_values(mode), **finding.facts})


def one(check_id: str, mode: str | None, code: str, status: Status, /, **facts: Fact) -> CheckResult:
    """A result with a single finding and no evidence (skips, simple outcomes)."""
    return render(check_id, mode, [Finding(code, status, facts=facts)])


def error_code(err: GatewayError) -> str:
    """Which common `error.*` finding explains this failure."""
    if isinstance(err, PermissionMissing):
        return ERROR_PERMISSION if err.permission else ERROR_PERMISSION_UNNAMED
    if isinstance(err, AuthenticationFailed):
        return ERROR_AUTH
    if isinstance(err, RateLimited):
        return ERROR_RATE_LIMITED
    if isinstance(err, NetworkFailed):
        return ERROR_NETWORK
    if isinstance(err, ServerFailed):
        return ERROR_SERVER
    if isinstance(err, MalformedAnswer):
        return ERROR_ANSWER
    if isinstance(err, DeadlineExceeded):
        return ERROR_DEADLINE
    return ERROR_REQUEST


def permission_words(permission: str | None) -> str:
    """ "Events: Read", the way the Dashboard's restricted-key editor shows it ("" when unnamed)."""
    if not permission:
        return ""
    return dashboard_words(permission) or permission


def request_id_finding(request_id: str | None) -> list[Finding]:
    """Evidence naming the Stripe request behind an error (none when Stripe gave no id)."""
    return [Finding(STRIPE_REQUEST_ID, facts={"request_id": request_id})] if request_id else []


def error_result(
    check_id: str, mode: str | None, err: GatewayError, what: str,
    evidence: Iterable[Finding] = (),
) -> CheckResult:
    """`error` status for a Stripe request behind the check that failed: Stripe's words kept."""
    headline = Finding(
        error_code(err), Status.ERROR,
        facts={
            "section": what,
            "what": label("sections", what),
            "error_summary": err.summary,
            "permission": getattr(err, "permission", None) or "",
            "permission_words": permission_words(getattr(err, "permission", None)),
            "http_status": err.http_status,
        },
    )
    return render(
        check_id, mode, [headline, *request_id_finding(err.request_id), *evidence],
        stripe_error=err.info,
    )

