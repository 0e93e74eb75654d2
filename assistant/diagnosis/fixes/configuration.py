"""portal.configuration: nothing saved in the mode, or configurations but none the default. No
API creates (or chooses) the *default* configuration, so the fix is guided: the owner saves the
mode's portal settings while the assistant waits for the default to appear."""

from __future__ import annotations

from assistant.diagnosis.checks.portal import (
    CONFIGURATION_MISSING,
    CONFIGURATION_NO_DEFAULT,
    CONFIGURATION_NO_DEFAULT_USED,
)
from assistant.diagnosis.fixes import wording
from assistant.diagnosis.fixes.context import FixContext
from assistant.diagnosis.fixes.model import GUIDED, Fix
from assistant.knowledge.dashboard import dashboard_url

FIX = "portal.configuration.save_settings"


def plan(ctx: FixContext) -> tuple[Fix, ...]:
    missing = ctx.result.has(CONFIGURATION_MISSING)
    if not missing and not ctx.result.with_code(CONFIGURATION_NO_DEFAULT, CONFIGURATION_NO_DEFAULT_USED):
        return ()
    mode = ctx.mode or "test"
    facts = {"mode": mode, "url": dashboard_url(mode, "portal")}
    return (Fix(
        id=FIX, check=ctx.result.id, title=wording.title(FIX, **facts), kind=GUIDED, mode=mode,
        summary=wording.text(FIX, "summary" if missing else "summary_no_default", **facts),
        dashboard_url=facts["url"],
        steps=wording.steps(FIX, **facts), waits=True,
    ),)
