"""webhooks.delivery: switch a disabled webhook endpoint back on (`disabled=false`).

Stripe disables an endpoint that keeps failing; events that happen meanwhile are not sent to it
later, so the preview says to do it only once the owner's server answers again. The first
disabled endpoint the check names is the one offered; the others are listed, not touched.
"""

from __future__ import annotations

from assistant.diagnosis.checks.delivery import DELIVERY_ENDPOINT_DISABLED
from assistant.diagnosis.fixes import wording
from assistant.diagnosis.fixes.context import FixContext
from assistant.diagnosis.fixes.fields import WEBHOOK_ENDPOINT, object_path, params_for
from assistant.diagnosis.fixes.model import API, FieldChange, Fix, Request

FIX = "webhooks.delivery.enable_endpoint"
FIELD = "status"


def plan(ctx: FixContext) -> tuple[Fix, ...]:
    endpoints = {str(e.get("id")): e for e in ctx.snapshot.webhook_endpoints.value or []}
    candidates = [(f.subject.id, f.text("url")) for f in ctx.result.with_code(DELIVERY_ENDPOINT_DISABLED)
                  if f.subject and (endpoints.get(f.subject.id) or {}).get(FIELD) == "disabled"]
    if not candidates:
        return ()
    endpoint_id, url = candidates[0]
    notes = [wording.text(FIX, "caution", url=url)]
    if len(candidates) > 1:
        notes.append(wording.text(FIX, "others", urls=", ".join(u for _, u in candidates[1:])))
    return (Fix(
        id=FIX, check=ctx.result.id, title=wording.title(FIX), kind=API, mode=ctx.mode,
        summary=wording.text(FIX, "summary", url=url),
        requests=(Request("POST", object_path(endpoint_id), params_for([(FIELD, "enabled")])),),
        changes=(FieldChange(endpoint_id, FIELD, "disabled", "enabled", WEBHOOK_ENDPOINT),),
        notes=tuple(notes),
    ),)
