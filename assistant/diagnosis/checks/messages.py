"""Check wording lives in `resources/checks.json`; this module fills its templates.

Checks decide the status and collect facts; every sentence an agent reads aloud comes from the
JSON file, so wording can be reviewed and corrected without touching the logic.
"""

from __future__ import annotations

import functools
import json
import string
from collections.abc import Iterable, Mapping
from typing import Any

from assistant.account.errors import StripeErrorInfo
from assistant.diagnosis.model import CheckResult, Status
from assistant.knowledge.dashboard import dashboard_links
from assistant.account.errors import (
    AuthenticationFailed,
    GatewayError,
    NetworkFailed,
    PermissionMissing,
    RateLimited,
    ServerFailed,
)
from assistant.resources import resource_path

CHECKS_FILE = "checks.json"
_FORMATTER = string.Formatter()


class MessageError(LookupError):
    """A template names a placeholder the check did not fill, or an outcome that is missing."""


@functools.cache
def catalogue() -> dict[str, Any]:
    """The parsed `resources/checks.json` (read once)."""
    with resource_path(CHECKS_FILE).open(encoding="utf-8") as fh:
        return json.load(fh)


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


def _check(check_id: str) -> Mapping[str, Any]:
    try:
        return catalogue()["checks"][check_id]
    except KeyError:
        raise MessageError(f"no entry for check {check_id!r}") from None


def _outcome(check_id: str, outcome: str) -> Mapping[str, Any]:
    entry = _check(check_id)
    found = entry.get("outcomes", {}).get(outcome) or catalogue()["common"].get(outcome)
    if found is None:
        raise MessageError(f"no outcome {outcome!r} for check {check_id!r}")
    return found


def title(check_id: str, mode: str | None) -> str:
    return fill(_check(check_id)["title"], base_values(mode))


def note(check_id: str, name: str, mode: str | None, /, **values: object) -> str:
    """A details line or extra fix step worded in the check's `notes` (or the common ones)."""
    template = _check(check_id).get("notes", {}).get(name) or catalogue()["common_notes"].get(name)
    if template is None:
        raise MessageError(f"no note {name!r} for check {check_id!r}")
    return fill(template, {**base_values(mode), **values})


def label(group: str, name: str) -> str:
    """A short name from `labels` (feature names, event groups)."""
    return catalogue()["labels"][group].get(name, name)


def render(
    check_id: str,
    outcome: str,
    status: Status,
    mode: str | None,
    /,
    *,
    details: Iterable[str] = (),
    extra_fix: Iterable[str] = (),
    stripe_error: StripeErrorInfo | None = None,
    **values: object,
) -> CheckResult:
    """Build the result for one outcome; raises MessageError when a placeholder is unfilled."""
    spec = _outcome(check_id, outcome)
    filled = {**base_values(mode), **values}
    return CheckResult(
        id=check_id,
        title=title(check_id, mode),
        status=status,
        summary=fill(spec["summary"], filled),
        details=tuple(details),
        fix=tuple(extra_fix) + tuple(fill(step, filled) for step in spec.get("fix", ())),
        glossary=tuple(spec.get("glossary", ())),
        stripe_error=stripe_error,
    )


def error_outcome(err: GatewayError) -> str:
    """Which common `error_*` outcome explains this failure."""
    if isinstance(err, PermissionMissing):
        return "error_permission" if err.permission else "error_permission_unnamed"
    if isinstance(err, AuthenticationFailed):
        return "error_auth"
    if isinstance(err, RateLimited):
        return "error_rate_limited"
    if isinstance(err, NetworkFailed):
        return "error_network"
    if isinstance(err, ServerFailed):
        return "error_server"
    return "error_request"


def error_result(
    check_id: str, mode: str | None, err: GatewayError, what: str, details: Iterable[str] = ()
) -> CheckResult:
    """`error` status for a Stripe request behind the check that failed: Stripe's words kept."""
    lines = [note(check_id, "while_reading", mode, what=label("sections", what))]
    if err.request_id:
        lines.append(note(check_id, "request_id", mode, request_id=err.request_id))
    lines.extend(details)
    return render(
        check_id,
        error_outcome(err),
        Status.ERROR,
        mode,
        details=lines,
        stripe_error=err.info,
        error_summary=err.summary,
        permission=getattr(err, "permission", None) or "",
        what=label("sections", what),
    )
