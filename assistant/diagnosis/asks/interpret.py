"""Stripe's answer to an ask, as a finding the agent can read out.

A session created: the flow works, and there is nothing to explain. A refusal: matched against
the refusals the app recognises (`resources/asks.json`, each pattern with its source) by
Stripe's message, `param` and `code`; the first match names the finding (declared under `asks`
in `resources/checks.json`) whose sentence explains it in the owner's words and whose fix says
what to change. A refusal nothing matches is still a finding, `ask.refused_unrecognised`, with
Stripe's words as the whole explanation. No verdict (the key may not ask, no answer came) is an
error finding. Pure.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from typing import Any

from assistant.account.permissions import dashboard_words
from assistant.diagnosis.asks.model import ACCEPTED, ERROR, Answer, Ask, AskFinding, AskResult, StripeRefusal
from assistant.diagnosis.checks import messages as msg
from assistant.diagnosis.checks.ask_codes import (
    ASK_NOT_ANSWERED,
    ASK_PERMISSION_MISSING,
    ASK_REFUSED_UNRECOGNISED,
)
from assistant.diagnosis.findings import Fact, Finding, Subject
from assistant.diagnosis.status import Status
from assistant.knowledge.checklist import catalogue
from assistant.resources import read_text

PATTERN_KEYS = ("message", "param", "code")


@functools.cache
def patterns() -> tuple[Mapping[str, Any], ...]:
    """The recognised refusals, in the order they are tried."""
    found: list[Mapping[str, Any]] = json.loads(read_text("asks.json"))["patterns"]
    return tuple(found)


def _matches(pattern: Mapping[str, Any], error: StripeRefusal) -> bool:
    message = pattern.get("message")
    if message and not re.search(str(message), error.message or "", re.IGNORECASE):
        return False
    param = pattern.get("param")
    if param and not re.search(str(param), error.param or ""):
        return False
    code = pattern.get("code")
    return not code or code == error.code


def recognised(error: StripeRefusal) -> str:
    """The finding code that explains a refusal (`ask.refused_unrecognised` when none does)."""
    found = next((p for p in patterns() if _matches(p, error)), None)
    return str(found["finding"]) if found is not None else ASK_REFUSED_UNRECOGNISED


def entry(code: str) -> Mapping[str, Any]:
    found: Mapping[str, Any] | None = catalogue().get("asks", {}).get(code)
    if found is None:
        raise msg.MessageError(f"no wording for ask finding {code!r}")
    return found


def worded(finding: Finding, mode: str | None) -> AskFinding:
    """The finding with its sentence, fix steps and glossary terms filled from its facts."""
    spec = entry(finding.code)
    values = {**msg.base_values(mode), **finding.facts}
    return AskFinding(finding, msg.fill(spec["summary"], values),
                      tuple(msg.fill(step, values) for step in spec.get("fix", ())), tuple(spec.get("glossary", ())))


def _subject(ask: Ask) -> Subject | None:
    if ask.subscription:
        return Subject("subscription", ask.subscription)
    conf = str(ask.facts.get("configuration_id") or "")
    return Subject("billing_portal.configuration", conf) if conf and conf != "—" else None


def finding_for(ask: Ask, answer: Answer) -> Finding | None:
    """The finding behind an answer (None for a session Stripe created)."""
    if answer.outcome == ACCEPTED:
        return None
    error = answer.error
    facts: dict[str, Fact] = {**ask.facts, "stripe_message": error.message if error else "",
                              "error_summary": answer.error_summary or (error.message if error else "")}
    if answer.outcome == ERROR:
        permission = error.permission if error is not None else None
        if permission:
            facts.update(permission=permission, permission_words=dashboard_words(permission) or permission)
            return Finding(ASK_PERMISSION_MISSING, Status.ERROR, subject=_subject(ask), facts=facts)
        return Finding(ASK_NOT_ANSWERED, Status.ERROR, subject=_subject(ask), facts=facts)
    assert error is not None
    return Finding(recognised(error), Status.FAIL, subject=_subject(ask), field=error.param or None, facts=facts)


def interpret(ask: Ask, answer: Answer, mode: str | None) -> AskResult:
    finding = finding_for(ask, answer)
    return AskResult(ask, answer, worded(finding, mode) if finding is not None else None)


def explaining_step(code: str) -> str:
    """The checklist step whose page explains an ask's finding (`step` in its wording; "" for
    none), for the customer page's "Go to step"."""
    try:
        return str(entry(code).get("step") or "")
    except msg.MessageError:
        return ""
