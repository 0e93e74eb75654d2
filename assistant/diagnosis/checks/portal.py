"""portal.configuration, portal.features, portal.login_link: is the portal saved and useful?"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.account.snapshot import Snapshot, StripeObject
from assistant.diagnosis.checks import messages as msg
from assistant.diagnosis.checks.common_codes import SKIPPED_CONFIGURATION_UNREAD, SKIPPED_NO_CONFIGURATION
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.checks.facts import said_product, timestamp_text
from assistant.diagnosis.checks.gates import configuration_gate, default_configuration, key_gate
from assistant.diagnosis.checks.portal_settings import configuration_settings
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
CONFIGURATION_MANY = "configuration.many"
# portal.features
FEATURES_NONE = "features.none"
FEATURES_ENABLED = "features.enabled"
FEATURE_STATE = "feature.state"
FEATURE_SETTING = "feature.setting"
# portal.login_link
LOGIN_LINK_ON = "login_link.on"
LOGIN_LINK_OFF = "login_link.off"
LOGIN_LINK_ON_OTHER = "login_link.on_other"
LOGIN_LINK_ALSO_ON = "login_link.also_on"
LOGIN_LINK_MORE = "login_link.more"

CONFIGURATION_KIND = "billing_portal.configuration"
# More active configurations than this, and the owner's code probably makes them (one per visit).
MANY_CONFIGURATIONS = 10
# Configurations named one by one in a result (the rest are counted).
LISTED = 5
PAGE = 100  # the first page of active configurations the diagnosis reads


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
    count = active_count(snap)
    many = _many(snap, active)
    evidence = [Finding(CONFIGURATION_ACTIVE_COUNT, seen=len(active), facts={"count": count})]
    if many is not None:
        evidence.append(many)
    evidence += [
        Finding(CONFIGURATION_OTHER_ACTIVE, subject=configuration_subject(c),
                facts={"configuration_id": c.get("id"), "name": c.get("name") or "—"})
        for c in active if not c.get("is_default")
    ][:LISTED if many else None]
    conf = snap.default_configuration
    if conf is None and active:
        return msg.render(cid, mode, [_no_default(snap, active), *evidence])
    if conf is None:
        return msg.render(cid, mode, [
            Finding(CONFIGURATION_MISSING, Status.FAIL, field="is_default", expected=True,
                    facts={"count": len(active)}),
            *evidence,
        ])
    saved = Finding(CONFIGURATION_SAVED, Status.PASS, subject=configuration_subject(conf), facts={
        "configuration_id": conf.get("id"), "name": conf.get("name") or "—", "count": count,
        "updated": timestamp_text(conf.get("updated")),
    })
    if many is not None:  # the warning heads; the default is evidence
        return msg.render(cid, mode, [many, saved, *evidence[:1], *evidence[2:]])
    return msg.render(cid, mode, [saved, *evidence])


def active_count(snap: Snapshot) -> str:
    """How many configurations are active: exact, or "100 or more" past the first page."""
    active = [c for c in snap.configurations.value or [] if c.get("active", True)]
    return f"{PAGE} or more" if snap.configurations_more else str(len(active))


def _many(snap: Snapshot, active: list[StripeObject]) -> Finding | None:
    """More than a handful of active configurations: the owner's code probably makes one per
    session, and the portal settings page (which edits only the default) changes nothing they see."""
    if len(active) <= MANY_CONFIGURATIONS and not snap.configurations_more:
        return None
    used = session_configurations(snap)
    default = snap.default_configuration
    default_id = str((default or {}).get("id") or "")
    page = snap.session_events.value
    sessions = [(e.get("data") or {}).get("object") or {} for e in (page.items if page else [])]
    by_default = sum(1 for s in sessions if s.get("configuration") == default_id) if default_id else 0
    return Finding(CONFIGURATION_MANY, Status.WARN, field="active", seen=len(active), facts={
        "count": active_count(snap), "used": len(used), "sessions": len(sessions),
        "by_default": by_default, "default_said": msg.label(
            "many_configurations", "no_default" if not default_id else "default_used" if by_default
            else "default_unused"),
    })


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
    listed = active[:LISTED] if len(active) > MANY_CONFIGURATIONS else active
    rest = (f"{len(active) - len(listed)} more",) if len(listed) < len(active) else ()
    facts: dict[str, Fact] = {"count": active_count(snap), "ids": (*ids[:len(listed)], *rest),
             "configurations": tuple(configuration_label(c) for c in listed),
             "used": used[:LISTED], "configurations_said": (*(said_configuration(c) for c in listed), *rest),
             "used_said": tuple(said_configuration(by_id[u]) for u in used[:LISTED])}
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


def setting_findings(snap: Snapshot, conf: StripeObject) -> list[Finding]:
    """The 2024-2026 settings of `conf` (information: they are choices, not faults)."""
    products = snap.products.value or {}

    def name(product_id: str) -> str:
        return said_product(products.get(product_id), product_id)

    return [Finding(FEATURE_SETTING, subject=configuration_subject(conf), field=f"features.{s.key}",
                    seen=s.compared, facts={"setting": s.setting, "value": s.shown, "key": s.key})
            for s in configuration_settings(conf, name)]


def check_features(ctx: CheckContext) -> CheckResult:
    snap = ctx.snapshot
    cid = CID_FEATURES
    gate = configuration_gate(cid, snap)
    if gate is not None:
        return gate
    conf = default_configuration(snap)
    evidence = [feature_finding(conf, f) for f in FEATURES] + setting_findings(snap, conf)
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
    """Every configuration has a login page of its own, not only the default: a link the
    owner's code turned on for a configuration it made works without any default."""
    snap = ctx.snapshot
    cid = CID_LOGIN_LINK
    gate = key_gate(cid, snap)
    if gate is not None:
        return gate
    if snap.configurations.error is not None:
        return msg.error_result(cid, snap.mode, snap.configurations.error, "configurations")
    active = [c for c in snap.configurations.value or [] if c.get("active", True)]
    if snap.configurations.value is None:
        return msg.one(cid, snap.mode, SKIPPED_CONFIGURATION_UNREAD, Status.SKIP)
    if not active:
        return msg.one(cid, snap.mode, SKIPPED_NO_CONFIGURATION, Status.SKIP)
    conf = snap.default_configuration
    on = [c for c in active if (c.get("login_page") or {}).get("enabled")]
    others = [c for c in on if c is not conf]
    also = [Finding(LOGIN_LINK_ALSO_ON, subject=configuration_subject(c), field="login_page.enabled", seen=True,
                    facts={"url": (c.get("login_page") or {}).get("url") or "—",
                           "configuration_id": c.get("id"), "configuration_said": said_configuration(c)})
            for c in others[:LISTED]]
    if len(others) > LISTED:
        also.append(Finding(LOGIN_LINK_MORE, facts={"count": len(others) - LISTED}))
    if conf is not None and conf in on:
        url = (conf.get("login_page") or {}).get("url") or "—"
        return msg.render(cid, snap.mode, [
            Finding(LOGIN_LINK_ON, Status.PASS, subject=configuration_subject(conf),
                    field="login_page.enabled", seen=True, facts={"url": url}),
            *also,
        ])
    if others:
        head = also[0]
        return msg.render(cid, snap.mode, [
            Finding(LOGIN_LINK_ON_OTHER, Status.PASS, subject=head.subject, field="login_page.enabled", seen=True,
                    facts={**head.facts, "count": len(others),
                           "default_said": msg.label("login_link_default", "off" if conf else "none")}),
            *also[1:],
        ])
    return msg.render(cid, snap.mode, [
        Finding(LOGIN_LINK_OFF, Status.SKIP, subject=configuration_subject(conf) if conf else None,
                field="login_page.enabled", seen=False),
    ])


@dataclass(frozen=True)
class SettingRow:
    setting: str
    value: str


def setting_rows(result: CheckResult) -> list[SettingRow]:
    """The 2024-2026 settings portal.features read, as the configuration page lists them."""
    return [SettingRow(f.text("setting"), f.text("value")) for f in result.with_code(FEATURE_SETTING)]
