"""portal.features: every feature is off. Switch on plan changes (price changes allowed) and the
payment-method update Stripe requires alongside them ("Cannot enable subscription updates while
payment method update is disabled"); with no plans listed, only the payment-method update."""

from __future__ import annotations

from assistant.diagnosis.checks.portal import FEATURES_NONE
from assistant.diagnosis.fixes import wording
from assistant.diagnosis.fixes.context import FixContext
from assistant.diagnosis.fixes.fields import CONFIGURATION, current, object_path, params_for, plan_entries
from assistant.diagnosis.fixes.model import API, FieldChange, Fix, Request
from assistant.knowledge.dashboard import dashboard_url

FIX = "portal.features.enable"
PAYMENT_METHODS = "features.payment_method_update.enabled"
SWITCHING = "features.subscription_update.enabled"
ALLOWED = "features.subscription_update.default_allowed_updates"


def plan(ctx: FixContext) -> tuple[Fix, ...]:
    conf = ctx.configuration
    if conf is None or not ctx.result.has(FEATURES_NONE):
        return ()
    conf_id = str(conf["id"])
    wanted: list[tuple[str, object]] = [(PAYMENT_METHODS, True)]
    notes: tuple[str, ...] = ()
    if plan_entries(conf):
        allowed = list(current(conf, ALLOWED) or [])
        wanted.append((SWITCHING, True))
        if "price" not in allowed:
            wanted.append((ALLOWED, [*allowed, "price"]))
        summary = wording.text(FIX, "summary")
    else:
        summary = wording.text(FIX, "summary_no_plans")
        notes = (wording.text(FIX, "no_plans", url=dashboard_url(ctx.mode, "portal")),)
    changes = tuple(FieldChange(conf_id, f, current(conf, f), v, CONFIGURATION)
                    for f, v in wanted if current(conf, f) != v)
    if not changes:
        return ()
    return (Fix(
        id=FIX, check=ctx.result.id, title=wording.title(FIX), kind=API, mode=ctx.mode, summary=summary,
        requests=(Request("POST", object_path(conf_id), params_for((c.field, c.after) for c in changes)),),
        changes=changes, notes=notes,
    ),)
