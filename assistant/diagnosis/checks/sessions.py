"""integration.sessions: what the owner's integration actually does when it opens the portal.

Settings say what the portal could do; the `billing_portal.session.created` events of the last
30 days (Stripe keeps no older ones) say what the owner's code asks for: which configuration,
which return URL, which locale, on whose behalf, and whether it runs in this mode at all. The
gateway has already removed each session's `url` (a live login link): nothing here can show it.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from assistant.account.errors import PermissionMissing
from assistant.account.keys import is_live
from assistant.account.portal_flows import PLAN_CHANGE_FLOWS
from assistant.account.snapshot import Fetched, Page, Snapshot, StripeObject
from assistant.diagnosis.checks import deep_links
from assistant.diagnosis.checks import messages as msg
from assistant.diagnosis.checks.common_codes import SKIPPED_EVENTS_PERMISSION
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.checks.customer import chosen_customer
from assistant.diagnosis.checks.facts import counted, object_id, said_customer
from assistant.diagnosis.checks.gates import key_gate, not_read
from assistant.diagnosis.checks.return_url import LIVE_UNREACHABLE, url_verdict
from assistant.diagnosis.model import CheckResult, Fact, Finding, Status, Subject
from assistant.knowledge.dashboard import dashboard_url

CID = "integration.sessions"

# Finding codes, as declared in resources/checks.json: planners, pages and tests import these.
SESSIONS_NONE = "sessions.none"
SESSIONS_NONE_POSSIBLE = "sessions.none_possible"
SESSIONS_SEEN = "sessions.seen"
SESSIONS_ATTENTION = "sessions.attention"
SESSIONS_INACTIVE_CONFIGURATION = "sessions.inactive_configuration"
SESSIONS_OTHER_CONFIGURATION = "sessions.other_configuration"
SESSIONS_LIVE_RETURN_URL = "sessions.live_return_url"
SESSIONS_CONFIGURATION_USED = "sessions.configuration_used"
SESSIONS_RETURN_URL_USED = "sessions.return_url_used"
SESSIONS_LOCALES = "sessions.locales"
SESSIONS_ON_BEHALF_OF = "sessions.on_behalf_of"
SESSIONS_ON_BEHALF_OF_UNMATCHED = "sessions.on_behalf_of_unmatched"
SESSIONS_OTHER_CONFIGURATIONS = "sessions.other_configurations"
SESSIONS_DEEP_LINKS = "sessions.deep_links"
SESSIONS_DEEP_LINK_FEATURE_OFF = "sessions.deep_link_feature_off"
SESSIONS_DEEP_LINK_PRICE_NOT_OFFERED = "sessions.deep_link_price_not_offered"
SESSIONS_DEEP_LINK_SUBSCRIPTION_LOCKED = "sessions.deep_link_subscription_locked"
SESSIONS_DEEP_LINK_UNJUDGED = "sessions.deep_link_unjudged"
# Past this many configurations other than the default, sessions are summed up in one finding.
MANY_CONFIGURATIONS = 5

CONFIGURATION = "billing_portal.configuration"


def events_gate(check_id: str, snap: Snapshot, events: Fetched[Page], section: str) -> CheckResult | None:
    """Skip (naming the permission) when a restricted key may not read events; error for any
    other failure; skip when the events were not read. None when the check may go on."""
    gate = key_gate(check_id, snap)
    if gate is not None:
        return gate
    err = events.error
    if isinstance(err, PermissionMissing) and err.permission:
        return msg.one(check_id, snap.mode, SKIPPED_EVENTS_PERMISSION, Status.SKIP,
                       permission=err.permission, permission_words=msg.permission_words(err.permission))
    if err is not None:
        return msg.error_result(check_id, snap.mode, err, section)
    if events.value is None:
        return not_read(check_id, snap.mode, section)
    return None


def day(ts: Any) -> str:
    if not isinstance(ts, (int, float)) or isinstance(ts, bool):
        return "—"
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%d")


def _session(event: StripeObject) -> StripeObject:
    obj = (event.get("data") or {}).get("object")
    return obj if isinstance(obj, dict) else {}


def count_text(n: int, more: bool) -> str:
    """"12", or "100 or more" when Stripe had more than the page read."""
    return f"{n} or more" if more else str(n)


def check_sessions(ctx: CheckContext) -> CheckResult:
    snap = ctx.snapshot
    mode = snap.mode
    gate = events_gate(CID, snap, snap.session_events, "session_events")
    if gate is not None:
        return gate
    page = snap.session_events.value
    assert page is not None
    sessions = [_session(e) for e in page.items]
    if not sessions:
        if snap.configurations.ok and snap.default_configuration is None:
            return msg.one(CID, mode, SESSIONS_NONE_POSSIBLE, Status.SKIP)
        return msg.one(CID, mode, SESSIONS_NONE, Status.WARN)

    default = snap.default_configuration
    default_id = str((default or {}).get("id") or "")
    n = count_text(len(sessions), page.has_more)
    latest = max((s.get("created") or 0) for s in sessions)
    problems, evidence = _configuration_findings(snap, sessions, default_id)

    for url, used in Counter(str(s.get("return_url") or "") for s in sessions).most_common():
        code, _ = url_verdict(url, mode) if url else ("", Status.PASS)
        url_facts: dict[str, Fact] = {"url": url or "—", "count": used}
        if is_live(mode) and code in LIVE_UNREACHABLE:
            problems.append(Finding(SESSIONS_LIVE_RETURN_URL, Status.WARN, field="return_url", seen=url,
                                    facts={**url_facts, "why": msg.label("session_return_urls", code)}))
        else:
            evidence.append(Finding(SESSIONS_RETURN_URL_USED, field="return_url", seen=url or None,
                                    facts=url_facts))

    problems += on_behalf_of_problems(sessions, snap)
    for field, code in (("locale", SESSIONS_LOCALES), ("on_behalf_of", SESSIONS_ON_BEHALF_OF)):
        values = Counter(str(s.get(field) or msg.label("session_values", f"no_{field}")) for s in sessions)
        evidence.append(Finding(code, field=field, seen=tuple(values),
                                facts={"values": tuple(f"{v} ({c})" for v, c in values.most_common())}))

    link_problems, link_evidence = deep_link_findings(snap, default_id)
    problems += link_problems
    evidence += link_evidence

    used_ids = tuple(dict.fromkeys(str(s.get("configuration") or "") for s in sessions))
    head_facts: dict[str, Fact] = {"count": n, "latest": day(latest), "configurations": used_ids,
                                   "configurations_said": tuple(dict.fromkeys(
                                       _said(c, snap, default_id) for c in used_ids[:MANY_CONFIGURATIONS]))}
    if problems:
        head = Finding(SESSIONS_ATTENTION, Status.WARN, facts={**head_facts, "problems": tuple(
            f"{_problem_subject(p)} {msg.label('session_problems', p.code)}"
            for p in problems)})
    else:
        head = Finding(SESSIONS_SEEN, Status.PASS, facts=head_facts)
    return msg.render(CID, mode, [head, *problems, *evidence])


def on_behalf_of_problems(sessions: list[StripeObject], snap: Snapshot) -> list[Finding]:
    """Sessions created `on_behalf_of` a connected account show only the subscriptions made on
    behalf of it: set against the subscriptions of the customer under diagnosis, an account none
    of them carries means an empty portal for this customer. The customer's own sessions
    (naming them as `customer` or as `customer_account`) are compared account by account; when
    the customer opened none, the integration's sessions are, and only when the customer's
    subscriptions carry none of the accounts they name (a marketplace names many)."""
    customer = chosen_customer(snap)
    lookup = snap.customer
    if customer is None or lookup is None or not lookup.subscriptions.ok:
        return []
    subscriptions = lookup.subscriptions.value or []
    if not subscriptions:
        return []  # nothing to show in any portal: customer.subscriptions says so
    customer_id = object_id(customer)
    own = [s for s in sessions if customer_id in (s.get("customer"), s.get("customer_account"))]
    named = Counter(str(s["on_behalf_of"]) for s in own or sessions if s.get("on_behalf_of"))
    carried = {object_id(sub.get("on_behalf_of")) for sub in subscriptions} - {""}
    if not own and carried & set(named):
        return []
    facts: dict[str, Fact] = {"customer_id": customer_id, "customer_said": said_customer(customer),
                              "subscriptions": len(subscriptions),
                              "carried": tuple(sorted(carried)) or msg.label("states", "none"),
                              "whose": msg.label("session_values", "own_sessions" if own else "all_sessions")}
    return [Finding(SESSIONS_ON_BEHALF_OF_UNMATCHED, Status.WARN, subject=Subject("account", account),
                    field="on_behalf_of", seen=account, expected=tuple(sorted(carried)) or None,
                    facts={**facts, "account": account, "count": used})
            for account, used in named.most_common() if account not in carried]


def _problem_subject(problem: Finding) -> str:
    """What a problem is about, as the headline lists it: a configuration, a URL or an account."""
    return (problem.text("configuration_id") or problem.text("url") or problem.text("account")
            or problem.text("subject_said"))


def _configuration_findings(snap: Snapshot, sessions: list[StripeObject],
                            default_id: str) -> tuple[list[Finding], list[Finding]]:
    """(problems, evidence) about the configurations the sessions named. Past a handful of
    configurations other than the default, one finding says so instead of one per configuration
    (code that makes a configuration per visit names a new one every time)."""
    evidence: list[Finding] = []
    problems: list[Finding] = []
    counted = Counter(str(s.get("configuration") or "") for s in sessions).most_common()
    others = [(c, used) for c, used in counted if _state(snap, c) == "active" and c != default_id]
    many = default_id and len(others) > MANY_CONFIGURATIONS
    if many:
        problems.append(Finding(SESSIONS_OTHER_CONFIGURATIONS, Status.WARN, field="configuration",
                                expected=default_id, facts={
                                    "configurations": len(others), "count": sum(used for _c, used in others),
                                    "default_id": default_id,
                                    "subject_said": f"{len(others)} configurations"}))
    for conf_id, used in counted:
        conf = snap.configuration(conf_id) or {}
        ref = Subject(CONFIGURATION, conf_id, str(conf.get("name") or ""))
        facts: dict[str, Fact] = {"configuration_id": conf_id, "count": used, "default_id": default_id or "—",
                                  "configuration_said": _said(conf_id, snap, default_id)}
        state = _state(snap, conf_id)
        if state == "inactive":
            problems.append(Finding(SESSIONS_INACTIVE_CONFIGURATION, Status.WARN, subject=ref,
                                    field="configuration", seen=conf_id, facts=facts))
        elif many and conf_id != default_id:
            continue
        elif default_id and conf_id != default_id and state == "active":
            problems.append(Finding(SESSIONS_OTHER_CONFIGURATION, Status.WARN, subject=ref,
                                    field="configuration", seen=conf_id, expected=default_id, facts=facts))
        else:
            which = _which(conf_id, default_id) if state == "active" else msg.label("session_values", "unread")
            evidence.append(Finding(SESSIONS_CONFIGURATION_USED, subject=ref, field="configuration",
                                    seen=conf_id, facts={**facts, "which": which}))
    return problems, evidence


def _state(snap: Snapshot, conf_id: str) -> str:
    """"active", "inactive", or "unread": a configuration beyond the first 100 active ones that
    was not read by id may be active or not."""
    conf = snap.configuration(conf_id)
    if conf is not None:
        return "active" if conf.get("active", True) else "inactive"
    if snap.configurations.ok and not snap.configurations_more:
        return "inactive"  # the whole active list was read and it is not there
    return "unread"


def _said(conf_id: str, snap: Snapshot, default_id: str) -> str:
    """The configuration a session named, no id: "the default configuration", `the "Partners"
    configuration`, or one that is not active (the id is in the details)."""
    if conf_id == default_id:
        return msg.label("session_values", "default_said")
    state = _state(snap, conf_id)
    if state == "active":
        name = (snap.configuration(conf_id) or {}).get("name")
        return f'the "{name}" configuration' if name else msg.label("session_values", "unnamed_said")
    return msg.label("session_values", "inactive_said" if state == "inactive" else "unread_said")


def deep_link_findings(snap: Snapshot, default_id: str) -> tuple[list[Finding], list[Finding]]:
    """(problems, evidence) about the deep links recent sessions opened: each judged against the
    configuration it used and the subscription it acts on, as Stripe would judge it today."""
    recent = deep_links.uses(snap)
    if not any(u.flow for u in recent):
        return [], []
    links = deep_links.link_uses(snap, recent)
    problems: list[Finding] = []
    unjudged: list[str] = []
    for link in links:
        facts = _link_facts(snap, link, default_id)
        ref = Subject(CONFIGURATION, link.configuration, str((link.conf or {}).get("name") or ""))
        if link.conf is None:
            unjudged.append(link.configuration)
        elif link.feature_off:
            problems.append(Finding(SESSIONS_DEEP_LINK_FEATURE_OFF, Status.WARN, subject=ref,
                                    field=f"features.{link.feature_off}.enabled", seen=False, expected=True,
                                    facts=facts))
        elif link.prices_missing:
            problems.append(Finding(SESSIONS_DEEP_LINK_PRICE_NOT_OFFERED, Status.WARN, subject=ref,
                                    field="features.subscription_update.products", seen=link.prices_missing,
                                    facts={**facts, "prices": link.prices_missing}))
        problems += _locked_subscriptions(snap, link, facts)
    counts = Counter(u.flow or "none" for u in recent)
    evidence = [Finding(SESSIONS_DEEP_LINKS, field="flow", seen=tuple(counts), facts={
        "values": tuple(f"{msg.label('deep_link_short', f)} ({c})" for f, c in counts.most_common())})]
    if unjudged:
        evidence.append(Finding(SESSIONS_DEEP_LINK_UNJUDGED, Status.SKIP, field="configuration",
                                seen=tuple(unjudged), facts={"configurations": tuple(unjudged)}))
    return problems, evidence


def _link_facts(snap: Snapshot, link: deep_links.LinkUse, default_id: str) -> dict[str, Fact]:
    feature = link.feature_off or deep_links.FLOW_FEATURES.get(link.flow, "")
    plan_change = link.flow in PLAN_CHANGE_FLOWS
    return {
        "flow": link.flow, "flow_said": msg.label("deep_link_flows", link.flow),
        "flow_short": msg.label("deep_link_short", link.flow),
        "configuration_id": link.configuration, "count": link.count, "latest": day(link.latest),
        "configuration_said": _said(link.configuration, snap, default_id),
        "feature": feature, "feature_said": msg.label("deep_link_features", feature) if feature else "",
        "refusal": msg.label("deep_link_refusals", "plan_change" if plan_change else "other"),
        "sessions_said": counted(link.count, "session"),
        "change_where": msg.label("deep_link_where", "default" if link.configuration == default_id else "other"),
    }


def _locked_subscriptions(snap: Snapshot, link: deep_links.LinkUse, facts: dict[str, Fact]) -> list[Finding]:
    """Subscriptions a deep link acts on that the portal may no longer take through that flow."""
    found = []
    read = snap.flow_subscriptions.value or {}
    for sub_id in link.subscriptions:
        sub = read.get(sub_id)
        blocks = deep_links.subscription_blocks(link.flow, sub, snap.read_at) if sub else ()
        if not blocks:
            continue
        reasons = tuple(msg.label("deep_link_blocks", code) for code in blocks)
        found.append(Finding(SESSIONS_DEEP_LINK_SUBSCRIPTION_LOCKED, Status.WARN,
                             subject=Subject("subscription", sub_id), related=(Subject(CONFIGURATION,
                                                                                      link.configuration),),
                             field="flow", seen=link.flow,
                             facts={**facts, "subscription_id": sub_id, "reasons": reasons,
                                    "subscription_url": dashboard_url(snap.mode, "subscriptions", sub_id),
                                    "action": msg.label("deep_link_actions", link.flow)}))
    return found


def _which(conf_id: str, default_id: str) -> str:
    return msg.label("session_values", "default" if conf_id == default_id else "no_default_known")
