"""portal.configuration: nothing saved in the mode. No API creates the *default* configuration,
so the fix is guided: the owner saves the mode's portal settings while the assistant waits."""

from __future__ import annotations

from assistant.diagnosis.fixes import wording
from assistant.diagnosis.fixes.context import FixContext
from assistant.diagnosis.fixes.model import GUIDED, Fix
from assistant.knowledge.dashboard import dashboard_url

FIX = "portal.configuration.save_settings"


def plan(ctx: FixContext) -> tuple[Fix, ...]:
    if not ctx.result.has("configuration.missing"):
        return ()
    mode = ctx.mode or "test"
    facts = {"mode": mode, "url": dashboard_url(mode, "portal")}
    return (Fix(
        id=FIX, check=ctx.result.id, title=wording.title(FIX, **facts), kind=GUIDED, mode=mode,
        summary=wording.text(FIX, "summary", **facts), dashboard_url=facts["url"],
        steps=wording.steps(FIX, **facts), waits=True,
    ),)
