"""portal.return_url: set the configuration's default return URL to the page the agent types.

Offered only when the configuration's own value is the problem (missing, or the default is
what fails): a bad URL the owner's app passes is fixed in the app, not in Stripe. The URL typed
is judged by the very rule the check uses, so a fix can never set a URL the check would fail.
"""

from __future__ import annotations

from dataclasses import replace

from assistant.diagnosis.checks.return_url import RETURN_URL_MISSING, URL_PROBLEMS, url_verdict
from assistant.diagnosis.fixes import wording
from assistant.diagnosis.fixes.context import FixContext
from assistant.diagnosis.fixes.fields import CONFIGURATION, object_path, params_for
from assistant.diagnosis.fixes.model import API, RETURN_URL, FieldChange, Fix, Request
from assistant.diagnosis.status import Status

FIX = "portal.return_url.set_default"
FIELD = "default_return_url"


def plan(ctx: FixContext) -> tuple[Fix, ...]:
    head, conf = ctx.result.headline, ctx.configuration
    if head is None or conf is None:
        return ()
    if head.code != RETURN_URL_MISSING and not (head.code in URL_PROBLEMS and head.fact("from") == "default"):
        return ()
    mode = ctx.mode or "test"
    url = (ctx.inputs.return_url or "").strip()
    base = Fix(id=FIX, check=ctx.result.id, title=wording.title(FIX), kind=API, mode=ctx.mode,
               summary=wording.text(FIX, "summary", mode=mode, url=url), takes=(RETURN_URL,))
    if not url:
        return (replace(base, summary=wording.text(FIX, "summary_needs", mode=mode), needs=(RETURN_URL,)),)
    code, status = url_verdict(url, ctx.mode)
    if status is not Status.PASS:
        why = wording.text(FIX, "why", code)
        return (replace(base, problem=wording.text(FIX, "problem", url=url, why=why)),)
    conf_id = str(conf["id"])
    return (replace(
        base,
        requests=(Request("POST", object_path(conf_id), params_for([(FIELD, url)])),),
        changes=(FieldChange(conf_id, FIELD, conf.get(FIELD) or None, url, CONFIGURATION),),
    ),)
