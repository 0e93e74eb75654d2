"""portal.business_profile: does the portal show customers whose it is and where its policies are?

The public business name comes from the account (the Dashboard's Public details page); the
privacy policy and terms of service links are saved with the portal configuration. Missing, or
not a full https address customers can open, the portal shows them nothing to read. A link is
judged by the same rule as a live return URL (`return_url.url_verdict`), and a link left on a
placeholder or private address (example.com, localhost, 10.*) warns too
(`return_url.placeholder_host`).
"""

from __future__ import annotations

from assistant.diagnosis.checks import messages as msg
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.checks.gates import configuration_gate, default_configuration
from assistant.diagnosis.checks.portal import configuration_subject
from assistant.diagnosis.checks.return_url import RETURN_URL_OK, placeholder_host, url_verdict
from assistant.diagnosis.model import CheckResult, Finding, Status, Subject

CID = "portal.business_profile"

# Finding codes, as declared in resources/checks.json: planners, pages and tests import these.
BUSINESS_PROFILE_INCOMPLETE = "business_profile.incomplete"
BUSINESS_PROFILE_COMPLETE = "business_profile.complete"
BUSINESS_PROFILE_NAME = "business_profile.name"
BUSINESS_PROFILE_NAME_MISSING = "business_profile.name_missing"
BUSINESS_PROFILE_NAME_UNREAD = "business_profile.name_unread"
BUSINESS_PROFILE_LINK = "business_profile.link"
BUSINESS_PROFILE_LINK_MISSING = "business_profile.link_missing"
BUSINESS_PROFILE_LINK_INVALID = "business_profile.link_invalid"

BUSINESS_PROFILE_LINK_PLACEHOLDER = "business_profile.link_placeholder"
# A link customers cannot use: the planner replaces these, and refuses a typed one of them.
LINK_PROBLEMS = (BUSINESS_PROFILE_LINK_INVALID, BUSINESS_PROFILE_LINK_PLACEHOLDER)

LINKS = ("privacy_policy_url", "terms_of_service_url")


def link_verdict(url: str) -> str:
    """The finding code for one legal link that is set: a full https address customers can open
    (the live return URL rule), not a placeholder or private address left from development."""
    if url_verdict(url, "live")[0] != RETURN_URL_OK:
        return BUSINESS_PROFILE_LINK_INVALID
    if placeholder_host(url):
        return BUSINESS_PROFILE_LINK_PLACEHOLDER
    return BUSINESS_PROFILE_LINK


def check_business_profile(ctx: CheckContext) -> CheckResult:
    snap = ctx.snapshot
    gate = configuration_gate(CID, snap)
    if gate is not None:
        return gate
    conf = default_configuration(snap)
    config = configuration_subject(conf)
    profile = conf.get("business_profile") or {}
    evidence: list[Finding] = []

    account = snap.account.value
    if account is None:  # a restricted key may not read the account: the name is not judged
        evidence.append(Finding(BUSINESS_PROFILE_NAME_UNREAD, Status.SKIP, field="business_profile.name"))
    else:
        subject = Subject("account", str(account.get("id") or ""))
        name = str((account.get("business_profile") or {}).get("name") or "").strip()
        if name:
            evidence.append(Finding(BUSINESS_PROFILE_NAME, subject=subject, field="business_profile.name",
                                    seen=name, facts={"name": name}))
        else:
            evidence.append(Finding(BUSINESS_PROFILE_NAME_MISSING, Status.WARN, subject=subject,
                                    field="business_profile.name", seen=None))

    for link in LINKS:
        url = str(profile.get(link) or "").strip()
        facts = {"link": msg.label("business_links", link), "title": msg.label("business_link_titles", link),
                 "url": url or "—"}
        field = f"business_profile.{link}"
        if not url:
            evidence.append(Finding(BUSINESS_PROFILE_LINK_MISSING, Status.WARN, subject=config,
                                    field=field, seen=None, facts=facts))
        else:
            code = link_verdict(url)
            evidence.append(Finding(code, Status.PASS if code == BUSINESS_PROFILE_LINK else Status.WARN,
                                    subject=config, field=field, seen=url, facts=facts))

    problems = [f for f in evidence if f.is_problem]
    if problems:
        missing = tuple(f.text("link") or msg.label("business_links", "name") for f in problems)
        headline = Finding(BUSINESS_PROFILE_INCOMPLETE, Status.WARN, subject=config,
                           facts={"missing": missing, "count": len(missing)})
    else:
        headline = Finding(BUSINESS_PROFILE_COMPLETE, Status.PASS, subject=config)
    return msg.render(CID, snap.mode, [headline, *evidence])
