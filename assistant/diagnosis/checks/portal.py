"""portal.configuration, portal.features, portal.login_link: is the portal saved and useful?"""

from __future__ import annotations

from assistant.account.snapshot import Snapshot, StripeObject
from assistant.diagnosis.checks import messages as msg
from assistant.diagnosis.checks.common_codes import SKIPPED_CONFIGURATION_UNREAD
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.checks.facts import timestamp_text
from assistant.diagnosis.checks.gates import configuration_gate, default_configuration, key_gate
from assistant.diagnosis.model import CheckResult, Fact, Finding, Status, Subject

FEATURES = (
    "customer_update",
    "invoice_history",
    "payment_method_update",
    "subscription_cancel",
    "subscription_pause",
    "subscription_update",
)
CID_CONFIGURATION, CID_FEATURES, CID_LOGIN_LINK = (
    "portal.configuration", "portal.features", "portal.login_link")

# Finding codes, as declared in resources/checks.json: planners, pages and tests import these.
# portal.configuration
CONFIGURATION_MISSING = "configuration.missing"
CONFIGURATION_NO_DEFAULT = "configuration.no_default"
CONFIGURATION_NO_DEFAULT_USED = "configuration.no_default_used"
CONFIGURATION_SAVED = "configuration.saved"
CONFIGURATION_ACTIVE_COUNT = "configuration.active_count"
CONFIGURATION_OTHER_ACTIVE = "configuration.other_active"
# portal.features
FEATURES_NONE = "features.none"
FEATURES_ENABLED = "features.enabled"
FEATURE_STATE = "feature.state"
# portal.login_link
LOGIN_LINK_ON = "login_link.on"
LOGIN_LINK_OFF = "login_link.off"

CONFIGURATION_KIND = "billing_portal.configuration"


def enabled_features(conf: StripeObject) -> list[str]:
    features = conf.get("features") or {}
    return [f for f in FEATURES if (features.get(f) or {}).get("enabled")]


def configuration_subject(conf: StripeObject) -> Subject:
    return Subject(CONFIGURATION_KIND, str(conf.get("id") or ""), str(conf.get("name") or ""))


def check_configuration(ctx: CheckContext) -> CheckResult:
    snap = ctx.snapshot
    cid = CID_CONFIGURATION
    mode = snap.mode
    gate = key_gate(cid, snap)
    if gate is not None:
        return gate
    if snap.configurations.error is not None:
        return msg.error_result(cid, mode, snap.configurations.error, "configurations")
    if snap.configurations.value is None:
        return msg.one(cid, mode, SKIPPED_CONFIGURATION_UNREAD, Status.SKIP)
    active = [c for c in snap.configurations.value if c.get("active", True)]
    evidence = [Finding(CONFIGURATION_ACTIVE_COUNT, seen=len(active), facts={"count": len(active)})]
    evidence += [
        Finding(CONFIGURATION_OTHER_ACTIVE, subject=configuration_subject(c),
                facts={"configuration_id": c.get("id"), "name": c.get("name") or "—"})
        for c in active if not c.get("is_default")
    ]
    conf = snap.default_configuration
    if conf is None and active:
        return msg.render(cid, mode, [_no_default(snap, active), *evidence])
    if conf is None:
        return msg.render(cid, mode, [
            Finding(CONFIGURATION_MISSING, Status.FAIL, field="is_default", expected=True,
                    facts={"count": len(active)}),
            *evidence,
        ])
    return msg.render(cid, mode, [
        Finding(CONFIGURATION_SAVED, Status.PASS, subject=configuration_subject(conf), facts={
            "configuration_id": conf.get("id"), "name": conf.get("name") or "—", "count": len(active),
            "updated": timestamp_text(conf.get("updated")),
        }),
        *evidence,
    ])


def configuration_label(conf: StripeObject) -> str:
    """`bpc_1 "Partners"` (the name is the one the owner gave it in the API)."""
    name = conf.get("name")
    return f'{conf.get("id")} "{name}"' if name else str(conf.get("id"))


def said_configuration(conf: StripeObject) -> str:
    """A configuration as the owner knows it: `"Partners"` (the name their code gave it), or
    "one without a name"; the id is for the details."""
    name = conf.get("name")
    return f'"{name}"' if name else "one without a name"


def session_configurations(snap: Snapshot) -> list[str]:
    """Configuration ids the owner's integration named in portal sessions of the last 30 days."""
    page = snap.session_events.value
    used = [str((e.get("data") or {}).get("object", {}).get("configuration") or "")
            for e in (page.items if page else [])]
    return list(dict.fromkeys(u for u in used if u))


def _no_default(snap: Snapshot, active: list[StripeObject]) -> Finding:
    """Configurations exist but none is the default: sessions open only when the code names one."""
    ids = tuple(str(c.get("id") or "") for c in active)
    used = tuple(c for c in session_configurations(snap) if c in ids)
    by_id = {str(c.get("id") or ""): c for c in active}
    facts: dict[str, Fact] = {"count": len(active), "ids": ids,
             "configurations": tuple(configuration_label(c) for c in active),
             "used": used, "configurations_said": tuple(said_configuration(c) for c in active),
             "used_said": tuple(said_configuration(by_id[u]) for u in used)}
    if used:
        return Finding(CONFIGURATION_NO_DEFAULT_USED, Status.WARN, field="is_default", expected=True,
                       related=tuple(configuration_subject(c) for c in active), facts=facts)
    return Finding(CONFIGURATION_NO_DEFAULT, Status.FAIL, field="is_default", expected=True,
                   related=tuple(configuration_subject(c) for c in active), facts=facts)


def _feature_settings(name: str, spec: StripeObject) -> list[str]:
    if not spec.get("enabled"):
        return []
    if name == "customer_update" and spec.get("allowed_updates"):
        return [str(u) for u in spec["allowed_updates"]]
    if name == "subscription_cancel" and spec.get("mode"):
        return [str(spec["mode"])]
    if name == "subscription_update" and spec.get("default_allowed_updates") is not None:
        return [str(u) for u in spec["default_allowed_updates"]] or ["nothing"]
    return []


def feature_finding(conf: StripeObject, name: str) -> Finding:
    spec = (conf.get("features") or {}).get(name) or {}
    on = bool(spec.get("enabled"))
    settings = _feature_settings(name, spec)
    # An off feature is not in use rather than wrong: `skip`, so evidence never outranks the verdict.
    return Finding(
        FEATURE_STATE, Status.PASS if on else Status.SKIP, subject=configuration_subject(conf),
        field=f"features.{name}.enabled", seen=on,
        facts={
            "feature": msg.label("features", name), "key": name, "enabled": on,
            "state": "on" if on else "off", "settings": tuple(settings),
            "extra": f" ({', '.join(settings)})" if settings else "",
            "cancellation_reason": bool((spec.get("cancellation_reason") or {}).get("enabled")),
            "products_offered": len(spec.get("products") or []),
        },
    )


def check_features(ctx: CheckContext) -> CheckResult:
    snap = ctx.snapshot
    cid = CID_FEATURES
    gate = configuration_gate(cid, snap)
    if gate is not None:
        return gate
    conf = default_configuration(snap)
    evidence = [feature_finding(conf, f) for f in FEATURES]
    on = enabled_features(conf)
    if not on:
        return msg.render(cid, snap.mode, [
            Finding(FEATURES_NONE, Status.WARN, subject=configuration_subject(conf)), *evidence,
        ])
    return msg.render(cid, snap.mode, [
        Finding(FEATURES_ENABLED, Status.PASS, subject=configuration_subject(conf), facts={
            "enabled": tuple(msg.label("features", f) for f in on), "keys": tuple(on),
        }),
        *evidence,
    ])


def check_login_link(ctx: CheckContext) -> CheckResult:
    snap = ctx.snapshot
    cid = CID_LOGIN_LINK
    gate = configuration_gate(cid, snap)
    if gate is not None:
        return gate
    conf = default_configuration(snap)
    login = conf.get("login_page") or {}
    if login.get("enabled"):
        url = login.get("url") or "—"
        return msg.render(cid, snap.mode, [
            Finding(LOGIN_LINK_ON, Status.PASS, subject=configuration_subject(conf),
                    field="login_page.enabled", seen=True, facts={"url": url}),
        ])
    return msg.render(cid, snap.mode, [
        Finding(LOGIN_LINK_OFF, Status.SKIP, subject=configuration_subject(conf),
                field="login_page.enabled", seen=False),
    ])
