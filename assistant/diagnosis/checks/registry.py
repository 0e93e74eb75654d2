"""Run every check in the stable order; one broken check never hides the others."""

from __future__ import annotations

import logging
from collections.abc import Callable

from assistant.diagnosis.checks import (
    customer,
    key,
    messages,
    parity,
    portal,
    products,
    return_url,
    webhooks,
)
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.model import CheckResult, Status

log = logging.getLogger(__name__)

Check = Callable[[CheckContext], CheckResult]

CHECKS: tuple[tuple[str, Check], ...] = (
    ("key.format", key.check_format),
    ("key.mode", key.check_mode),
    ("key.accepted", key.check_accepted),
    ("portal.configuration", portal.check_configuration),
    ("portal.features", portal.check_features),
    ("portal.products", products.check_products),
    ("portal.return_url", return_url.check_return_url),
    ("portal.login_link", portal.check_login_link),
    ("webhooks.events", webhooks.check_webhooks),
    ("parity.test_live", parity.check_parity),
    ("customer.found", customer.check_found),
    ("customer.email", customer.check_email),
    ("customer.subscriptions", customer.check_subscriptions),
)
CHECK_IDS: tuple[str, ...] = tuple(cid for cid, _ in CHECKS)


def run_checks(ctx: CheckContext) -> list[CheckResult]:
    """All 13 results, in CHECK_IDS order; never raises."""
    return [run_one(cid, fn, ctx) for cid, fn in CHECKS]


def run_one(check_id: str, fn: Check, ctx: CheckContext) -> CheckResult:
    try:
        result = fn(ctx)
        if not isinstance(result, CheckResult) or result.id != check_id:
            raise TypeError(f"check {check_id} returned {type(result).__name__}")
        return result
    except Exception as exc:  # noqa: BLE001  a bug in one check must not stop the diagnosis
        # Only the exception type is logged: messages could quote Stripe data.
        log.error("check %s failed: %s", check_id, type(exc).__name__)
        return internal_error(check_id, ctx)


def internal_error(check_id: str, ctx: CheckContext) -> CheckResult:
    mode = getattr(getattr(ctx, "snapshot", None), "mode", None)
    try:
        return messages.render(check_id, "error_internal", Status.ERROR, mode)
    except Exception:  # noqa: BLE001  the wording file itself is broken: fall back to bare glue
        return CheckResult(
            id=check_id,
            title=check_id,
            status=Status.ERROR,
            summary="This check could not run because of a problem inside the assistant.",
        )
