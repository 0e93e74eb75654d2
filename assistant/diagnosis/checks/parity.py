"""parity.test_live: does live mode offer customers what was tried out in test mode?

Test and live portal settings are saved separately, so a portal that works in test mode can
be missing or different in live mode.
"""

from __future__ import annotations

from assistant.diagnosis.checks import messages as msg
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.checks.facts import object_id
from assistant.diagnosis.checks.gates import key_gate
from assistant.diagnosis.model import CheckResult, Status
from assistant.diagnosis.checks.portal import FEATURES, enabled_features
from assistant.knowledge.dashboard import dashboard_url
from assistant.account.snapshot import Snapshot, StripeObject

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
        return msg.render(CID, "no_other_key", Status.SKIP, mode)
    gate = key_gate(CID, snap)
    if gate is not None:
        return gate
    if not other.key.usable:
        return msg.render(CID, "other_key_unusable", Status.SKIP, mode, problem=other.key.problem)
    if other.mode == mode:
        return msg.render(CID, "same_mode", Status.SKIP, mode)
    if other.auth_error is not None:
        return msg.render(
            CID, "other_rejected", Status.ERROR, mode,
            stripe_error=other.auth_error.info, error_summary=other.auth_error.summary,
            other_apikeys=dashboard_url(other.mode, "apikeys"),
        )
    for s in (snap, other):
        if s.configurations.error is not None:
            return msg.error_result(CID, s.mode, s.configurations.error, "configurations",
                                    [msg.note(CID, "in_mode", s.mode, which=s.mode)])
        if s.configurations.value is None:
            return msg.render(CID, "skip_not_read", Status.SKIP, mode,
                              what=msg.label("sections", "configurations"))

    by_mode: dict[str, Snapshot] = {str(snap.mode): snap, str(other.mode): other}
    test, live = by_mode["test"], by_mode["live"]
    test_conf, live_conf = test.default_configuration, live.default_configuration
    if test_conf is None and live_conf is None:
        return msg.render(CID, "both_missing", Status.SKIP, mode)
    if test_conf is None or live_conf is None:
        missing_mode = "test" if test_conf is None else "live"
        present_mode = "live" if missing_mode == "test" else "test"
        return msg.render(
            CID, "missing_in_mode", Status.FAIL, mode,
            missing_mode=missing_mode, present_mode=present_mode,
            missing_portal=dashboard_url(missing_mode, "portal"),
        )

    details: list[str] = []
    areas: list[str] = []
    test_on, live_on = set(enabled_features(test_conf)), set(enabled_features(live_conf))
    for feature in FEATURES:
        if (feature in test_on) != (feature in live_on):
            details.append(msg.note(
                CID, "diff_feature", mode, feature=msg.label("features", feature),
                test_state=msg.label("states", "on" if feature in test_on else "off"),
                live_state=msg.label("states", "on" if feature in live_on else "off"),
            ))
    if details:
        areas.append(msg.label("parity_areas", "features"))

    (test_products, test_prices), (live_products, live_prices) = (
        _catalogue(test_conf), _catalogue(live_conf)
    )
    catalogue_lines: list[str] = []
    for kind, t_ids, l_ids in (("product", test_products, live_products),
                               ("price", test_prices, live_prices)):
        for oid in sorted(t_ids - l_ids):
            catalogue_lines.append(msg.note(CID, f"diff_{kind}", mode, object_id=oid,
                                            only_mode="test"))
        for oid in sorted(l_ids - t_ids):
            catalogue_lines.append(msg.note(CID, f"diff_{kind}", mode, object_id=oid,
                                            only_mode="live"))
    if catalogue_lines:
        areas.append(msg.label("parity_areas", "products"))
        details += catalogue_lines

    test_url = test_conf.get("default_return_url") or ""
    live_url = live_conf.get("default_return_url") or ""
    if test_url != live_url:
        areas.append(msg.label("parity_areas", "return_url"))
        details.append(msg.note(CID, "diff_return_url", mode,
                                test_url=test_url or "—", live_url=live_url or "—"))

    ids = msg.note(CID, "configurations", mode, test_id=test_conf.get("id"),
                   live_id=live_conf.get("id"))
    if areas:
        extra = [msg.note(CID, "fix_products", mode)] if catalogue_lines else []
        return msg.render(CID, "differ", Status.FAIL, mode, details=[ids] + details,
                          extra_fix=extra, areas=areas)
    return msg.render(CID, "pass", Status.PASS, mode, details=[ids])
