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
from assistant.account.snapshot import Fetched, Page, Snapshot, StripeObject
from assistant.diagnosis.checks import messages as msg
from assistant.diagnosis.checks.common_codes import SKIPPED_EVENTS_PERMISSION
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.checks.customer import chosen_customer
from assistant.diagnosis.checks.facts import object_id, said_customer
from assistant.diagnosis.checks.gates import key_gate, not_read
from assistant.diagnosis.checks.return_url import LIVE_UNREACHABLE, url_verdict
from assistant.diagnosis.model import CheckResult, Fact, Finding, Status, Subject

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

    active = {str(c.get("id")): c for c in snap.configurations.value or []}
    default = snap.default_configuration
    default_id = str((default or {}).get("id") or "")
    n = count_text(len(sessions), page.has_more)
    latest = max((s.get("created") or 0) for s in sessions)
    evidence: list[Finding] = []
    problems: list[Finding] = []

    for conf_id, used in Counter(str(s.get("configuration") or "") for s in sessions).most_common():
        ref = Subject(CONFIGURATION, conf_id, str((active.get(conf_id) or {}).get("name") or ""))
        facts: dict[str, Fact] = {"configuration_id": conf_id, "count": used, "default_id": default_id or "—",
                                  "configuration_said": _said(conf_id, active, default_id)}
        if conf_id not in active and snap.configurations.ok:
            problems.append(Finding(SESSIONS_INACTIVE_CONFIGURATION, Status.WARN, subject=ref,
                                    field="configuration", seen=conf_id, facts=facts))
        elif default_id and conf_id != default_id:
            problems.append(Finding(SESSIONS_OTHER_CONFIGURATION, Status.WARN, subject=ref,
                                    field="configuration", seen=conf_id, expected=default_id, facts=facts))
        else:
            evidence.append(Finding(SESSIONS_CONFIGURATION_USED, subject=ref, field="configuration",
                                    seen=conf_id, facts={**facts, "which": _which(conf_id, default_id)}))

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

    used_ids = tuple(dict.fromkeys(str(s.get("configuration") or "") for s in sessions))
    head_facts: dict[str, Fact] = {"count": n, "latest": day(latest), "configurations": used_ids,
                                   "configurations_said": tuple(dict.fromkeys(
                                       _said(c, active, default_id) for c in used_ids))}
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
    return problem.text("configuration_id") or problem.text("url") or problem.text("account")


def _said(conf_id: str, active: dict[str, StripeObject], default_id: str) -> str:
    """The configuration a session named, no id: "the default configuration", `the "Partners"
    configuration`, or one that is not active (the id is in the details)."""
    if conf_id == default_id:
        return msg.label("session_values", "default_said")
    if conf_id in active:
        name = active[conf_id].get("name")
        return f'the "{name}" configuration' if name else msg.label("session_values", "unnamed_said")
    return msg.label("session_values", "inactive_said")


def _which(conf_id: str, default_id: str) -> str:
    return msg.label("session_values", "default" if conf_id == default_id else "no_default_known")
