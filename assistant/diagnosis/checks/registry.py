"""Run every declared check in the declared order; one broken check never hides the others.

The checks and their order come from the declaration in `resources/checks.json` (read through
`assistant.knowledge.checklist`); this module only resolves each declared function.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable

from assistant.diagnosis.checks import messages
from assistant.diagnosis.checks.common_codes import ERROR_INTERNAL
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.model import CheckResult, Finding, Status
from assistant.knowledge import checklist

log = logging.getLogger(__name__)

Check = Callable[[CheckContext], CheckResult]


def _resolve(declared: checklist.CheckDeclaration) -> Check:
    module = importlib.import_module(declared.module)
    fn: Check = getattr(module, declared.function_name)
    return fn


CHECKS: tuple[tuple[str, Check], ...] = tuple((c.id, _resolve(c)) for c in checklist.checks())
CHECK_IDS: tuple[str, ...] = tuple(cid for cid, _ in CHECKS)


def run_checks(ctx: CheckContext) -> list[CheckResult]:
    """Every declared check's result, in CHECK_IDS order; never raises."""
    return [run_one(cid, fn, ctx) for cid, fn in CHECKS]


def run_one(check_id: str, fn: Check, ctx: CheckContext) -> CheckResult:
    try:
        result = fn(ctx)
        if not isinstance(result, CheckResult) or result.id != check_id:
            raise TypeError(f"check {check_id} returned {type(result).__name__}")
        return result
    except Exception as exc:  # a bug in one check must not stop the diagnosis
        # Only the exception type is logged: messages could quote Stripe data.
        log.error("check %s failed: %s", check_id, type(exc).__name__)
        return internal_error(check_id, ctx)


def run_check(check_id: str, ctx: CheckContext) -> CheckResult:
    """One declared check by id (tests, and the pages that re-check a field as it is typed)."""
    return run_one(check_id, dict(CHECKS)[check_id], ctx)


def internal_error(check_id: str, ctx: CheckContext) -> CheckResult:
    mode = getattr(getattr(ctx, "snapshot", None), "mode", None)
    try:
        return messages.render(check_id, mode, [Finding(ERROR_INTERNAL, Status.ERROR)])
    except Exception:  # the wording file itself is broken: fall back to bare glue
        return CheckResult(
            id=check_id,
            title=check_id,
            status=Status.ERROR,
            summary="This check could not run because of a problem inside the assistant.",
            findings=(Finding(ERROR_INTERNAL, Status.ERROR),),
        )
