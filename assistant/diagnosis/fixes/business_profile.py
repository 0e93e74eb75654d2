"""portal.business_profile: set the portal's privacy policy and terms of service links to the
addresses the agent types, judged by the check's own rule (a full https address customers can
open, on no placeholder or private address). The public business name belongs to the account
(the Dashboard's Public details page), not to the portal configuration: when it alone is
missing, the fix is guided.
"""

from __future__ import annotations

from dataclasses import replace

from assistant.diagnosis.checks.business_profile import (
    BUSINESS_PROFILE_LINK,
    BUSINESS_PROFILE_LINK_MISSING,
    BUSINESS_PROFILE_NAME_MISSING,
    LINK_PROBLEMS,
    link_verdict,
)
from assistant.diagnosis.fixes import wording
from assistant.diagnosis.fixes.context import FixContext
from assistant.diagnosis.fixes.fields import CONFIGURATION, current, object_path, params_for
from assistant.diagnosis.fixes.model import API, GUIDED, PRIVACY_URL, TERMS_URL, FieldChange, Fix, Request
from assistant.knowledge.dashboard import dashboard_url

LINKS, NAME = "portal.business_profile.set_links", "portal.business_profile.public_name"
INPUT_OF = {"business_profile.privacy_policy_url": PRIVACY_URL,
            "business_profile.terms_of_service_url": TERMS_URL}


def plan(ctx: FixContext) -> tuple[Fix, ...]:
    conf = ctx.configuration
    if conf is None:
        return ()
    mode = ctx.mode or "test"
    public = dashboard_url(ctx.mode, "public")
    bad = [f for f in ctx.result.with_code(BUSINESS_PROFILE_LINK_MISSING, *LINK_PROBLEMS)
           if f.field in INPUT_OF]
    name_missing = ctx.result.has(BUSINESS_PROFILE_NAME_MISSING)
    if not bad:
        if not name_missing:
            return ()
        return (Fix(id=NAME, check=ctx.result.id, title=wording.title(NAME), kind=GUIDED, mode=ctx.mode,
                    summary=wording.text(NAME, "summary", mode=mode), dashboard_url=public,
                    steps=wording.steps(NAME, url=public)),)
    fields = [str(f.field) for f in bad]
    takes = tuple(INPUT_OF[f] for f in fields)
    links = " and ".join(f.text("link") for f in bad)
    notes = (wording.text(LINKS, "name_too", url=public),) if name_missing else ()
    base = Fix(id=LINKS, check=ctx.result.id, title=wording.title(LINKS), kind=API, mode=ctx.mode,
               summary=wording.text(LINKS, "summary", links=links, mode=mode), takes=takes, notes=notes)
    typed = {field: ctx.inputs.get(INPUT_OF[field]) for field in fields}
    needs = tuple(INPUT_OF[f] for f, url in typed.items() if not url)
    if needs:
        return (replace(base, summary=wording.text(LINKS, "summary_needs", links=links, mode=mode), needs=needs),)
    unusable = next((url for url in typed.values() if link_verdict(url) != BUSINESS_PROFILE_LINK), None)
    if unusable is not None:
        return (replace(base, problem=wording.text(LINKS, "problem", url=unusable)),)
    conf_id = str(conf["id"])
    changes = tuple(FieldChange(conf_id, f, current(conf, f), url, CONFIGURATION) for f, url in typed.items())
    return (replace(base, changes=changes,
                    requests=(Request("POST", object_path(conf_id), params_for(typed.items())),)),)
