"""parity.test_live: does live mode offer customers what was tried out in test mode?

Test and live portal settings are saved separately, so a portal that works in test mode can
be missing or different in live mode.
"""

from __future__ import annotations

from assistant.account.snapshot import Snapshot, StripeObject
from assistant.diagnosis.checks import messages as msg
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.checks.facts import object_id
from assistant.diagnosis.checks.gates import key_gate, not_read
from assistant.diagnosis.checks.portal import FEATURES, configuration_subject, enabled_features
from assistant.diagnosis.model import CheckResult, Finding, Status, Subject
from assistant.knowledge.dashboard import dashboard_url

CID = "parity.test_live"


def _catalogue(conf: StripeObject) -> tuple[set[str], set[str]]:
    update = (conf.get("features") or {}).get("subscription_update") or {}
    products: set[str] = set()
    prices: set[str] = set()
    for entry in update.get("products") or []:
        if isinstance(entry, dict):
            products.add(object_id(entry.get("product")))
            prices.update(object_id(p) for p in entry.get("prices") or [])
    return products, prices


def check_parity(ctx: CheckContext) -> CheckResult:
    snap, other = ctx.snapshot, ctx.other
    mode = snap.mode
    if other is None:
        return msg.one(CID, mode, "parity.no_other_key", Status.SKIP)
    gate = key_gate(CID, snap)
    if gate is not None:
        return gate
    if not other.key.usable:
        return msg.one(CID, mode, "parity.other_key_unusable", Status.SKIP, problem=other.key.problem)
    if other.mode == mode:
        return msg.one(CID, mode, "parity.same_mode", Status.SKIP)
    if other.auth_error is not None:
        return msg.render(CID, mode, [
            Finding("parity.other_key_rejected", Status.ERROR, facts={
                "error_summary": other.auth_error.summary,
                "other_apikeys": dashboard_url(other.mode, "apikeys"),
            }),
        ], stripe_error=other.auth_error.info)
    for s in (snap, other):
        if s.configurations.error is not None:
            return msg.error_result(CID, s.mode, s.configurations.error, "configurations",
                                    [Finding("parity.in_mode", facts={"which": s.mode})])
        if s.configurations.value is None:
            return not_read(CID, mode, "configurations")

    by_mode: dict[str, Snapshot] = {str(snap.mode): snap, str(other.mode): other}
    test, live = by_mode["test"], by_mode["live"]
    test_conf, live_conf = test.default_configuration, live.default_configuration
    if test_conf is None and live_conf is None:
        return msg.one(CID, mode, "parity.both_missing", Status.SKIP)
    if test_conf is None or live_conf is None:
        missing_mode = "test" if test_conf is None else "live"
        present_mode = "live" if missing_mode == "test" else "test"
        return msg.render(CID, mode, [
            Finding("parity.missing_in_mode", Status.FAIL, facts={
                "missing_mode": missing_mode, "present_mode": present_mode,
                "missing_portal": dashboard_url(missing_mode, "portal"),
            }),
        ])

    differences = parity_differences(test_conf, live_conf)
    compared = Finding("parity.compared", facts={"test_id": test_conf.get("id"), "live_id": live_conf.get("id")},
                       subject=configuration_subject(live_conf), related=(configuration_subject(test_conf),))
    if differences:
        areas = tuple(dict.fromkeys(msg.label("parity_areas", str(d.fact("area"))) for d in differences))
        return msg.render(CID, mode, [
            Finding("parity.differs", Status.FAIL, facts={"areas": areas}), compared, *differences,
        ])
    return msg.render(CID, mode, [Finding("parity.matches", Status.PASS), compared])


def parity_differences(test_conf: StripeObject, live_conf: StripeObject) -> list[Finding]:
    """What live mode's default configuration lacks or changes compared with test mode's.

    Each difference is about the live configuration (`subject`), with the live value as `seen`
    and the test value as `expected`: live should offer what was tried out in test."""
    live, test = configuration_subject(live_conf), configuration_subject(test_conf)
    found: list[Finding] = []
    test_on, live_on = set(enabled_features(test_conf)), set(enabled_features(live_conf))
    for feature in FEATURES:
        if (feature in test_on) != (feature in live_on):
            found.append(Finding(
                "parity.feature_differs", Status.FAIL, subject=live, related=(test,),
                field=f"features.{feature}.enabled", seen=feature in live_on, expected=feature in test_on,
                facts={
                    "area": "features", "key": feature, "feature": msg.label("features", feature),
                    "test_state": msg.label("states", "on" if feature in test_on else "off"),
                    "live_state": msg.label("states", "on" if feature in live_on else "off"),
                },
            ))
    (test_products, test_prices), (live_products, live_prices) = (
        _catalogue(test_conf), _catalogue(live_conf)
    )
    for kind, t_ids, l_ids in (("product", test_products, live_products),
                               ("price", test_prices, live_prices)):
        for only_mode, ids in (("test", t_ids - l_ids), ("live", l_ids - t_ids)):
            for oid in sorted(ids):
                found.append(Finding(
                    f"parity.{kind}_only_in", Status.FAIL, subject=live, related=(test, Subject(kind, oid)),
                    field="features.subscription_update.products",
                    facts={"area": "products", "kind": kind, "object_id": oid, "only_mode": only_mode},
                ))
    test_url = test_conf.get("default_return_url") or ""
    live_url = live_conf.get("default_return_url") or ""
    if test_url != live_url:
        found.append(Finding(
            "parity.return_url_differs", Status.FAIL, subject=live, related=(test,),
            field="default_return_url", seen=live_url or None, expected=test_url or None,
            facts={"area": "return_url", "test_url": test_url or "—", "live_url": live_url or "—"},
        ))
    return found
