"""portal.configuration, portal.features, portal.login_link: is the portal saved and useful?"""

from __future__ import annotations

from assistant.diagnosis.checks import messages as msg
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.checks.gates import configuration_gate, default_configuration, key_gate
from assistant.diagnosis.model import CheckResult, Status
from assistant.account.snapshot import StripeObject

FEATURES = (
    "customer_update",
    "invoice_history",
    "payment_method_update",
    "subscription_cancel",
    "subscription_update",
)


def enabled_features(conf: StripeObject) -> list[str]:
    features = conf.get("features") or {}
    return [f for f in FEATURES if (features.get(f) or {}).get("enabled")]


def check_configuration(ctx: CheckContext) -> CheckResult:
    snap = ctx.snapshot
    cid = "portal.configuration"
    mode = snap.mode
    gate = key_gate(cid, snap)
    if gate is not None:
        return gate
    if snap.configurations.error is not None:
        return msg.error_result(cid, mode, snap.configurations.error, "configurations")
    if snap.configurations.value is None:
        return msg.render(cid, "skip_configuration_unread", Status.SKIP, mode)
    active = [c for c in snap.configurations.value if c.get("active", True)]
    details = [msg.note(cid, "active_count", mode, count=len(active))]
    details += [
        msg.note(cid, "other_configuration", mode, configuration_id=c.get("id"),
                 name=c.get("name") or "—")
        for c in active if not c.get("is_default")
    ]
    conf = snap.default_configuration
    if conf is None:
        return msg.render(cid, "missing", Status.FAIL, mode, details=details)
    details.insert(0, msg.note(
        cid, "default", mode, configuration_id=conf.get("id"), name=conf.get("name") or "—",
    ))
    return msg.render(
        cid, "pass", Status.PASS, mode, details=details,
        configuration_id=conf.get("id"), count=len(active),
    )


def _feature_line(cid: str, mode: str | None, name: str, spec: dict) -> str:  # type: ignore[type-arg]
    state = "on" if spec.get("enabled") else "off"
    extra: list[str] = []
    if spec.get("enabled"):
        if name == "customer_update" and spec.get("allowed_updates"):
            extra = list(spec["allowed_updates"])
        elif name == "subscription_cancel" and spec.get("mode"):
            extra = [str(spec["mode"])]
        elif name == "subscription_update" and spec.get("default_allowed_updates") is not None:
            extra = list(spec["default_allowed_updates"]) or ["nothing"]
    suffix = f" ({', '.join(extra)})" if extra else ""
    return msg.note(
        cid, "feature", mode, feature=msg.label("features", name), key=name,
        state=state, extra=suffix,
    )


def check_features(ctx: CheckContext) -> CheckResult:
    snap = ctx.snapshot
    cid = "portal.features"
    gate = configuration_gate(cid, snap)
    if gate is not None:
        return gate
    conf = default_configuration(snap)
    features = conf.get("features") or {}
    details = [_feature_line(cid, snap.mode, f, features.get(f) or {}) for f in FEATURES]
    on = enabled_features(conf)
    if not on:
        return msg.render(cid, "none", Status.WARN, snap.mode, details=details)
    return msg.render(
        cid, "pass", Status.PASS, snap.mode, details=details,
        enabled=[msg.label("features", f) for f in on],
    )


def check_login_link(ctx: CheckContext) -> CheckResult:
    snap = ctx.snapshot
    cid = "portal.login_link"
    gate = configuration_gate(cid, snap)
    if gate is not None:
        return gate
    login = default_configuration(snap).get("login_page") or {}
    if login.get("enabled"):
        url = login.get("url") or "—"
        return msg.render(
            cid, "on", Status.PASS, snap.mode,
            details=[msg.note(cid, "url", snap.mode, url=url)], url=url,
        )
    return msg.render(cid, "off", Status.SKIP, snap.mode)
