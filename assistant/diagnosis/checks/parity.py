"""parity.test_live: does live mode offer customers what was tried out in test mode?

Test and live portal settings are saved separately, so a portal that works in test mode can
be missing or different in live mode.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.account.snapshot import Snapshot, StripeObject
from assistant.diagnosis.checks import messages as msg
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.checks.facts import counted, object_id, said_price, said_product
from assistant.diagnosis.checks.gates import key_gate, not_read
from assistant.diagnosis.checks.portal import FEATURES, configuration_subject, enabled_features
from assistant.diagnosis.checks.portal_settings import configuration_settings
from assistant.diagnosis.model import CheckResult, Fact, Finding, Status, Subject
from assistant.knowledge.dashboard import dashboard_url

CID = "parity.test_live"

# Finding codes, as declared in resources/checks.json: planners, pages and tests import these.
PARITY_NO_OTHER_KEY = "parity.no_other_key"
PARITY_OTHER_KEY_UNUSABLE = "parity.other_key_unusable"
PARITY_SAME_MODE = "parity.same_mode"
PARITY_OTHER_KEY_REJECTED = "parity.other_key_rejected"
PARITY_BOTH_MISSING = "parity.both_missing"
PARITY_MISSING_IN_MODE = "parity.missing_in_mode"
PARITY_DIFFERS = "parity.differs"
PARITY_MATCHES = "parity.matches"
PARITY_COMPARED = "parity.compared"
PARITY_IN_MODE = "parity.in_mode"
PARITY_FEATURE_DIFFERS = "parity.feature_differs"
PARITY_PRODUCT_ONLY_IN = "parity.product_only_in"
PARITY_PRICE_ONLY_IN = "parity.price_only_in"
PARITY_RETURN_URL_DIFFERS = "parity.return_url_differs"
PARITY_LOGIN_LINK_DIFFERS = "parity.login_link_differs"
PARITY_SAME = "parity.same"
PARITY_SETTING_DIFFERS = "parity.setting_differs"


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
        return msg.one(CID, mode, PARITY_NO_OTHER_KEY, Status.SKIP)
    gate = key_gate(CID, snap)
    if gate is not None:
        return gate
    if not other.key.usable:
        return msg.one(CID, mode, PARITY_OTHER_KEY_UNUSABLE, Status.SKIP, problem=other.key.problem)
    if other.mode == mode:
        return msg.one(CID, mode, PARITY_SAME_MODE, Status.SKIP)
    if other.auth_error is not None:
        return msg.render(CID, mode, [
            Finding(PARITY_OTHER_KEY_REJECTED, Status.ERROR, facts={
                "error_summary": other.auth_error.summary,
                "other_apikeys": dashboard_url(other.mode, "apikeys"),
            }),
        ], stripe_error=other.auth_error.info)
    for s in (snap, other):
        if s.configurations.error is not None:
            return msg.error_result(CID, s.mode, s.configurations.error, "configurations",
                                    [Finding(PARITY_IN_MODE, facts={"which": s.mode})])
        if s.configurations.value is None:
            return not_read(CID, mode, "configurations")

    by_mode: dict[str, Snapshot] = {str(snap.mode): snap, str(other.mode): other}
    test, live = by_mode["test"], by_mode["live"]
    test_conf, live_conf = test.default_configuration, live.default_configuration
    if test_conf is None and live_conf is None:
        return msg.one(CID, mode, PARITY_BOTH_MISSING, Status.SKIP)
    if test_conf is None or live_conf is None:
        missing_mode = "test" if test_conf is None else "live"
        present_mode = "live" if missing_mode == "test" else "test"
        return msg.render(CID, mode, [
            Finding(PARITY_MISSING_IN_MODE, Status.FAIL, facts={
                "missing_mode": missing_mode, "present_mode": present_mode,
                "missing_portal": dashboard_url(missing_mode, "portal"),
            }),
        ])

    compared = Finding(
        PARITY_COMPARED, subject=configuration_subject(live_conf), related=(configuration_subject(test_conf),),
        facts={"test_id": test_conf.get("id"), "live_id": live_conf.get("id"),
               "setting": msg.label("parity_settings", "configuration"),
               "test_value": str(test_conf.get("id") or ""), "live_value": str(live_conf.get("id") or "")},
    )
    rows = compare_configurations(test_conf, live_conf, _Catalogue.of(test, live))
    differences = [r for r in rows if r.is_problem]
    if differences:
        areas = tuple(dict.fromkeys(msg.label("parity_areas", str(d.fact("area"))) for d in differences))
        return msg.render(CID, mode, [
            Finding(PARITY_DIFFERS, Status.FAIL, facts={"areas": areas}), compared, *rows,
        ])
    return msg.render(CID, mode, [Finding(PARITY_MATCHES, Status.PASS), compared, *rows])


def _state(on: bool) -> str:
    return msg.label("states", "on" if on else "off")


@dataclass(frozen=True)
class _Catalogue:
    """Both modes' products and prices by id, to name what only one mode offers: its name
    reads out; an id alone tells the owner nothing."""

    products: dict[str, StripeObject]
    prices: dict[str, StripeObject]

    @classmethod
    def of(cls, *snaps: Snapshot) -> _Catalogue:
        products: dict[str, StripeObject] = {}
        prices: dict[str, StripeObject] = {}
        for snap in snaps:
            products.update(snap.products.value or {})
            prices.update(snap.prices.value or {})
        return cls(products, prices)

    def label(self, kind: str, oid: str) -> str:
        """`The product "Basic" (prod_1)`, `The "Pro Monthly" price (29.00 USD / month) of "Pro"
        (price_1)`; `Product prod_1` when neither mode's catalogue holds it."""
        if kind == "product":
            product = self.products.get(oid)
            if product and product.get("name"):
                return f"The product {said_product(product)} ({oid})"
        elif (price := self.prices.get(oid)) is not None:
            product_id = object_id(price.get("product"))
            said = said_price(price, self.products.get(product_id), product_id)
            return f"{said[:1].upper()}{said[1:]} ({oid})"
        return f"{msg.label('parity_settings', kind)} {oid}"

    def listing(self, product_ids: set[str], price_ids: set[str]) -> str:
        """`"Basic", "Pro": 4 prices` (ids only for what neither catalogue names)."""
        products = sorted(said_product(self.products.get(p), p) for p in product_ids)
        return ", ".join(products) + (f": {counted(len(price_ids), 'price')}" if price_ids else "")


def compare_configurations(
    test_conf: StripeObject, live_conf: StripeObject, catalogue: _Catalogue | None = None
) -> list[Finding]:
    """One finding per compared setting, in the order the configuration page lists them: the
    differences (FAIL) and the settings that are the same (`parity.same`, PASS).

    A difference is about the live configuration (`subject`), with the live value as `seen` and
    the test value as `expected`: live should offer what was tried out in test. Every finding
    carries `setting`, `test_value` and `live_value` for a side-by-side table."""
    live, test = configuration_subject(live_conf), configuration_subject(test_conf)
    found: list[Finding] = []

    def same(area: str, setting: str, test_value: str, live_value: str) -> Finding:
        return Finding(PARITY_SAME, subject=live, related=(test,), facts={
            "area": area, "setting": setting, "test_value": test_value, "live_value": live_value})

    test_on, live_on = set(enabled_features(test_conf)), set(enabled_features(live_conf))
    for feature in FEATURES:
        in_test, in_live = feature in test_on, feature in live_on
        setting = msg.label("features", feature)
        if in_test == in_live:
            found.append(same("features", setting, _state(in_test), _state(in_live)))
            continue
        found.append(Finding(
            PARITY_FEATURE_DIFFERS, Status.FAIL, subject=live, related=(test,),
            field=f"features.{feature}.enabled", seen=in_live, expected=in_test,
            facts={"area": "features", "key": feature, "feature": setting, "setting": setting,
                   "test_state": _state(in_test), "live_state": _state(in_live),
                   "test_value": _state(in_test), "live_value": _state(in_live)},
        ))
    (test_products, test_prices), (live_products, live_prices) = (
        _catalogue(test_conf), _catalogue(live_conf)
    )
    offered, not_offered = msg.label("states", "offered"), msg.label("states", "not_offered")
    names = catalogue or _Catalogue({}, {})
    only_in: list[Finding] = []
    for kind, code, t_ids, l_ids in (("product", PARITY_PRODUCT_ONLY_IN, test_products, live_products),
                                     ("price", PARITY_PRICE_ONLY_IN, test_prices, live_prices)):
        for only_mode, ids in (("test", t_ids - l_ids), ("live", l_ids - t_ids)):
            for oid in sorted(ids):
                label = names.label(kind, oid)
                only_in.append(Finding(
                    code, Status.FAIL, subject=live, related=(test, Subject(kind, oid)),
                    field="features.subscription_update.products",
                    facts={"area": "products", "kind": kind, "object_id": oid, "only_mode": only_mode,
                           "object_label": label, "setting": label,
                           "test_value": offered if only_mode == "test" else not_offered,
                           "live_value": offered if only_mode == "live" else not_offered},
                ))
    if only_in:
        found += only_in
    else:
        listed = names.listing(test_products, test_prices) or msg.label("states", "none")
        found.append(same("products", msg.label("parity_settings", "products"), listed, listed))
    test_url = test_conf.get("default_return_url") or ""
    live_url = live_conf.get("default_return_url") or ""
    url_setting = msg.label("parity_settings", "return_url")
    if test_url != live_url:
        found.append(Finding(
            PARITY_RETURN_URL_DIFFERS, Status.FAIL, subject=live, related=(test,),
            field="default_return_url", seen=live_url or None, expected=test_url or None,
            facts={"area": "return_url", "test_url": test_url or "—", "live_url": live_url or "—",
                   "setting": url_setting, "test_value": test_url or "—", "live_value": live_url or "—"},
        ))
    else:
        found.append(same("return_url", url_setting, test_url or "—", live_url or "—"))
    test_login = bool((test_conf.get("login_page") or {}).get("enabled"))
    live_login = bool((live_conf.get("login_page") or {}).get("enabled"))
    login_setting = msg.label("parity_settings", "login_link")
    if test_login != live_login:
        found.append(Finding(
            PARITY_LOGIN_LINK_DIFFERS, Status.FAIL, subject=live, related=(test,),
            field="login_page.enabled", seen=live_login, expected=test_login,
            facts={"area": "login_link", "setting": login_setting,
                   "test_state": _state(test_login), "live_state": _state(live_login),
                   "test_value": _state(test_login), "live_value": _state(live_login)},
        ))
    else:
        found.append(same("login_link", login_setting, _state(test_login), _state(live_login)))
    return [*found, *_compare_settings(test_conf, live_conf, names)]


def _compare_settings(test_conf: StripeObject, live_conf: StripeObject, names: _Catalogue) -> list[Finding]:
    """The 2024-2026 settings, compared on what they do: a payment method configuration only as
    set or not (its id belongs to one mode), quantity changes per product by the product's name
    (a product offered in one mode only is already a difference of the plan list)."""
    live, test = configuration_subject(live_conf), configuration_subject(test_conf)

    def name(product_id: str) -> str:
        return said_product(names.products.get(product_id), product_id)

    in_test = {s.setting: s for s in configuration_settings(test_conf, name)}
    in_live = {s.setting: s for s in configuration_settings(live_conf, name)}
    found = []
    for setting, t in in_test.items():
        lv = in_live.get(setting)
        if lv is None:
            continue
        facts: dict[str, Fact] = {"area": "settings", "setting": setting, "key": t.key,
                                  "test_value": t.compared, "live_value": lv.compared}
        if t.compared == lv.compared:
            found.append(Finding(PARITY_SAME, subject=live, related=(test,), facts=facts))
        else:
            found.append(Finding(PARITY_SETTING_DIFFERS, Status.FAIL, subject=live, related=(test,),
                                 field=f"features.{t.key}", seen=lv.compared, expected=t.compared, facts=facts))
    return found


# -- what the configuration page shows: every compared setting side by side ---------------------


@dataclass(frozen=True)
class ParityRow:
    status: Status  # PASS when both modes agree, FAIL when they differ
    setting: str
    test_value: str
    live_value: str


def parity_rows(result: CheckResult) -> list[ParityRow]:
    """The settings the check compared (none when it did not compare: a skip, an error)."""
    return [
        ParityRow(f.status, f.text("setting"), f.text("test_value"), f.text("live_value"))
        for f in result.findings if "setting" in f.facts
    ]
