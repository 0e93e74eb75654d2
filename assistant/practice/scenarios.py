"""Practice accounts kept as data in `resources/scenarios/`, loaded with Stripe's full object shapes.

Two layers of "only what differs". An account file extends another account (`"extends":
"healthy"`) and writes only what makes its account different; `inherit` lays it over its base
(objects merge key by key, lists of Stripe objects by id, `$delete` and `$replace` for the rest).
Each object the resolved file describes then writes only what differs from Stripe's example
object of its type, in `resources/scenarios/_templates.json` (copied from Stripe's
fixtures3.json), so that every object the practice server returns has every field real Stripe
would send.
"""

from __future__ import annotations

import copy
import difflib
import json
import pickle
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from assistant.account.api_version import STRIPE_API_VERSION
from assistant.practice.inherit import resolve
from assistant.resources import resource_path

MODES = ("test", "live")
COLLECTIONS: dict[str, str] = {
    "configurations": "billing_portal.configuration",
    "products": "product",
    "prices": "price",
    "customers": "customer",
    "subscriptions": "subscription",
    "webhook_endpoints": "webhook_endpoint",
    "payment_methods": "payment_method",
    "subscription_schedules": "subscription_schedule",
    "events": "event",
}
# Accounts v2 objects (JSON, RFC 3339 times), from `_templates_v2.json` (Stripe's fixtures have
# none): customer-configured Accounts and event destinations.
V2_COLLECTIONS: dict[str, str] = {
    "accounts": "v2.core.account",
    "event_destinations": "v2.core.event_destination",
}
# Events whose `data.object` takes the full shape of another template (the rest keep the
# scenario's object as written: an event carries a snapshot, not a merge of two objects).
EVENT_OBJECT_TEMPLATES: dict[str, str] = {"billing_portal.session.": "billing_portal.session"}
_BASE_CREATED = 1_714_000_000


class UnknownScenario(LookupError):
    """Raised for a practice account name that has no file; the message suggests the closest
    name (a typo such as `helthy` or `cancel_only`) and lists the valid ones."""

    def __init__(self, name: str, valid: list[str]) -> None:
        close = difflib.get_close_matches(name, valid, n=1, cutoff=0.6)
        close = close or [v for v in valid if name and v.startswith(name)][:1]  # a name cut short
        guess = f" Did you mean {close[0]!r}?" if close else ""
        super().__init__(f"No practice account named {name!r}.{guess} Valid names: {', '.join(valid)}.")
        self.name = name
        self.valid = valid
        self.suggestion = close[0] if close else None


@dataclass(frozen=True)
class PracticeKey:
    """An API key the practice account knows, with what it may do."""

    key: str
    mode: str
    kind: str = "secret"
    missing_permissions: tuple[str, ...] = ()
    expired: bool = False

    def __repr__(self) -> str:
        return f"PracticeKey(mode={self.mode!r}, kind={self.kind!r}, expired={self.expired})"


@dataclass(frozen=True)
class ScenarioInfo:
    """What the picker shows: the title, the owner's complaint as heard on the call, and the
    answer (which check finds it and why), kept apart so the answer can stay hidden."""

    name: str
    title: str
    complaint: str
    answer: str


@dataclass(frozen=True)
class ConnectedData:
    """A connected account of the practice platform (Stripe Connect): what a request carrying
    `Stripe-Account: <its id>` reads and changes, in the same shape as the platform's own."""

    account: Mapping[str, Any]
    data: Mapping[str, Mapping[str, list[dict[str, Any]]]]


@dataclass(frozen=True)
class Scenario:
    """One practice account. `data[mode][collection]` holds full Stripe-shaped dicts;
    `connected[acct_id]` the data of each connected account the platform has."""

    name: str
    title: str
    complaint: str
    answer: str
    keys: tuple[PracticeKey, ...]
    primary_key: str
    second_key: str | None
    customer: str | None
    return_url: str | None
    expect: Mapping[str, str]
    data: Mapping[str, Mapping[str, list[dict[str, Any]]]]
    account: Mapping[str, Any]
    # The connected account a practice run acts as (like `customer`, the agent may change it).
    connected_account: str | None = None
    connected: Mapping[str, ConnectedData] = field(default_factory=dict)
    templates: Mapping[str, Any] = field(repr=False, default_factory=dict)

    @property
    def info(self) -> ScenarioInfo:
        return ScenarioInfo(self.name, self.title, self.complaint, self.answer)

    def key_info(self, key: str) -> PracticeKey | None:
        return next((k for k in self.keys if k.key == key), None)


def deep_merge(base: Any, override: Any) -> Any:
    """Dicts merge key by key; anything else in `override` replaces `base` (lists included)."""
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = deep_merge(base[key], value) if key in base else copy.deepcopy(value)
        return merged
    return copy.deepcopy(override)


def _scenario_dir() -> Path:
    return resource_path("scenarios")


@lru_cache(maxsize=1)
def load_templates() -> dict[str, Any]:
    """`{type: full object}`: Stripe's fixture with the practice defaults applied."""
    raw = json.loads((_scenario_dir() / "_templates.json").read_text(encoding="utf-8"))
    defaults = raw.get("defaults", {})
    # Events carry the API version they were rendered with: the one every request is pinned to.
    defaults = deep_merge(defaults, {"event": {"api_version": STRIPE_API_VERSION}})
    templates = {t: deep_merge(obj, defaults.get(t, {})) for t, obj in raw["objects"].items()}
    v2 = json.loads((_scenario_dir() / "_templates_v2.json").read_text(encoding="utf-8"))
    return {**templates, **v2["objects"]}


def scenario_names() -> list[str]:
    return sorted(p.stem for p in _scenario_dir().glob("*.json") if not p.stem.startswith("_"))


def file_as_written(name: str) -> dict[str, Any]:
    """The account's file as it is on disk: only what differs from the account it extends."""
    path = _scenario_dir() / f"{name}.json"
    if name.startswith("_") or not path.is_file():
        raise UnknownScenario(name, scenario_names())
    written: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return written


@cache
def _account_file(name: str) -> dict[str, Any]:
    return resolve(name, file_as_written)


def account_file(name: str) -> dict[str, Any]:
    """The account's file with its `extends` chain applied (see `inherit`): what the account is,
    before the Stripe templates fill in every object's full shape."""
    return copy.deepcopy(_account_file(name))


def list_scenarios() -> list[ScenarioInfo]:
    """Sorted by title, as a trainer looks for them (the internal names order nothing a person
    reads). Names and words only, from each file as written (they are the account's own, never
    inherited): building every account's full data costs ~0.2 s at start, resolving every
    file's bases ~0.08 s."""
    infos = []
    for name in scenario_names():
        raw = file_as_written(name)
        infos.append(ScenarioInfo(raw["name"], raw["title"], raw["complaint"], raw["answer"]))
    return sorted(infos, key=lambda info: (info.title.casefold(), info.name))


def _expand_subscription(sub: dict[str, Any], prices: dict[str, dict[str, Any]], item_template: dict[str, Any]) -> None:
    """Give each item the full subscription_item shape with its price embedded, like Stripe does."""
    items = []
    for i, item in enumerate(sub["items"]["data"]):
        full = deep_merge(item_template, {k: v for k, v in item.items() if k != "price"})
        price = item.get("price")
        price = prices[price] if isinstance(price, str) else deep_merge(item_template["price"], price or {})
        full["price"] = copy.deepcopy(price)
        full["subscription"] = sub["id"]
        full["id"] = item.get("id") or f"si_{sub['id'][4:18]}{i}"
        full["created"] = item.get("created", sub["created"])
        full["current_period_start"] = item.get("current_period_start", sub["created"])
        full["current_period_end"] = item.get("current_period_end", sub["created"] + 30 * 86400)
        recurring = price.get("recurring") or {}
        full["plan"] = deep_merge(full["plan"], {
            "id": price["id"], "active": price["active"], "amount": price.get("unit_amount"),
            "amount_decimal": price.get("unit_amount_decimal"), "billing_scheme": price["billing_scheme"],
            "created": price["created"], "currency": price["currency"], "livemode": price["livemode"],
            "interval": recurring.get("interval", "month"), "interval_count": recurring.get("interval_count", 1),
            "usage_type": recurring.get("usage_type", "licensed"), "product": price["product"],
            "nickname": price.get("nickname"), "metadata": {},
        })
        items.append(full)
    sub["items"]["data"] = items
    sub["items"]["url"] = f"/v1/subscription_items?subscription={sub['id']}"


# Collections whose objects may name dates relative to when the account is served.
DATED_FROM_NOW = ("subscriptions", "subscription_schedules")
_FROM_NOW = "_from_now"


def date_from_now(node: Any, now: int | None) -> None:
    """Subscriptions and schedules say when things happen relative to now (`cancel_at_from_now`,
    `resumes_at_from_now`, a phase's `start_date_from_now`: seconds, negative for the past), so
    a cancellation or a scheduled change stays ahead whenever the practice account is served.
    The server dates them from its start (`now`): each such key becomes the field it names, at
    any depth. The loader (`now` None) only makes sure that field exists, so the object keeps
    Stripe's full shape until then."""
    if isinstance(node, list):
        for item in node:
            date_from_now(item, now)
        return
    if not isinstance(node, dict):
        return
    for key in [k for k in node if isinstance(k, str) and k.endswith(_FROM_NOW)]:
        field = key[: -len(_FROM_NOW)]
        if now is None:
            node.setdefault(field, None)
        else:
            node[field] = now + int(node.pop(key))
    for value in list(node.values()):
        date_from_now(value, now)


def _event_object(override: Mapping[str, Any], templates: dict[str, Any]) -> dict[str, Any]:
    """The event's object in Stripe's full shape: the template its `object` names (or its type
    implies), with what the scenario wrote on top."""
    written = dict((override.get("data") or {}).get("object") or {})
    kind = written.get("object") or next((t for prefix, t in EVENT_OBJECT_TEMPLATES.items()
                                          if str(override.get("type", "")).startswith(prefix)), None)
    return deep_merge(templates[kind], written) if kind in templates else written


class GeneratedError(ValueError):
    """A `generated` rule that names something its account does not hold."""


def _generated(name: str, mode: str, raw: Mapping[str, Any],
               built: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """The mode's objects with its `generated` rule applied (see `generate_configurations`)."""
    rule = raw.get("generated")
    if not rule:
        return built
    unknown = set(rule) - {"configurations"}
    if unknown:
        raise GeneratedError(f"{name}.json: {mode}.generated: only `configurations` can be generated, "
                             f"not {', '.join(sorted(unknown))}")
    built["configurations"], built["events"] = generate_configurations(
        f"{name}.json: {mode}.generated.configurations", rule["configurations"],
        built["configurations"], built["events"])
    return built


def copied(value: Any) -> Any:
    """A deep copy of Stripe-shaped data (or a Scenario), four times faster than copy.deepcopy:
    an account generated with thousands of configurations is copied on every load."""
    return pickle.loads(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))


def generate_configurations(
    where: str, rule: Mapping[str, Any], configurations: list[dict[str, Any]], events: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """An integration that makes a portal configuration for every visit, as a rule, not thousands
    of objects in the file:

        "generated": {"configurations": {"count": 3000, "like": "bpc_…",
                                         "sessions": 40, "session_like": "evt_…"}}

    adds `count` copies of the configuration `like` (ids `<like>G00001`…, each an hour newer
    than the one before, none the default, named `<like's name> #n`) and, when `sessions` is
    given, that many copies of the session event `session_like`, the newest naming the newest
    configuration (each session ten minutes older than the one after it): code that makes one
    configuration per visit opens each session with the one it just made."""
    by_id = {str(c.get("id")): c for c in configurations}
    like = by_id.get(str(rule.get("like")))
    count = rule.get("count")
    if like is None or not isinstance(count, int) or count < 1:
        raise GeneratedError(f"{where}: needs `count` (a positive number) and `like` (a configuration "
                             f"of this mode), got count={count!r}, like={rule.get('like')!r}")
    start = int(like.get("created", _BASE_CREATED))
    blob = pickle.dumps(like, pickle.HIGHEST_PROTOCOL)
    made = [{**pickle.loads(blob), "id": f"{like['id']}G{n:05d}", "created": start + n * 3600,
             "updated": start + n * 3600, "is_default": False, "name": f"{like.get('name') or 'Visit'} #{n}"}
            for n in range(1, count + 1)]
    sessions = int(rule.get("sessions") or 0)
    if not sessions:
        return [*configurations, *made], events
    event = next((e for e in events if e.get("id") == rule.get("session_like")), None)
    if event is None or sessions > count:
        raise GeneratedError(f"{where}: `sessions` needs `session_like` (a session event of this mode) and "
                             f"at most `count` sessions, got {rule.get('session_like')!r}, {sessions}")
    ago = int(event.get("created_ago", 0))
    newest_first = made[::-1][:sessions]
    opened = []
    for k, conf in enumerate(newest_first):
        copy_ = copied(event)
        session = copy_.setdefault("data", {}).setdefault("object", {})
        copy_.update(id=f"{event['id']}G{k:05d}", created_ago=ago + k * 600)
        session.update(id=f"{session.get('id', 'bps_1Prc')}G{k:05d}", configuration=conf["id"])
        opened.append(copy_)
    return [*configurations, *made], [*events, *opened]


def _build_mode(mode: str, raw: Mapping[str, Any], templates: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for collection, type_name in COLLECTIONS.items():
        objects = []
        for i, override in enumerate(raw.get(collection, [])):
            obj = deep_merge(templates[type_name], override)
            if collection == "events":
                obj["data"] = {"object": _event_object(override, templates)}
            obj["livemode"] = mode == "live"
            if "created" not in override:
                obj["created"] = _BASE_CREATED + i * 3600
            objects.append(obj)
        out[collection] = objects
    for collection, type_name in V2_COLLECTIONS.items():
        out[collection] = [_v2_object(templates[type_name], override, mode, i)
                           for i, override in enumerate(raw.get(collection, []))]
    prices = {p["id"]: p for p in out["prices"]}
    item_template = templates["subscription"]["items"]["data"][0]
    for sub in out["subscriptions"]:
        _expand_subscription(sub, prices, item_template)
    for collection in DATED_FROM_NOW:
        date_from_now(out[collection], None)
    return out


def _v2_object(template: Mapping[str, Any], override: Mapping[str, Any], mode: str, i: int) -> dict[str, Any]:
    """A v2 object: times as RFC 3339 text (v2's form), one hour apart like v1 objects."""
    obj: dict[str, Any] = deep_merge(template, override)
    obj["livemode"] = mode == "live"
    when = datetime.fromtimestamp(_BASE_CREATED + i * 3600, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    for name in ("created", "updated"):
        if name in template and name not in override:
            obj[name] = when
    return obj


def _connected(raw: Mapping[str, Any], templates: dict[str, Any]) -> dict[str, ConnectedData]:
    """`"connected_accounts": {"acct_…": {"account": {…}, "test": {…}, "live": {…}}}`: each
    connected account written in full (it is an account of its own, not a copy of the platform)."""
    out: dict[str, ConnectedData] = {}
    for account_id, written in (raw.get("connected_accounts") or {}).items():
        account = deep_merge(templates["account"], {**written.get("account", {}), "id": account_id})
        data = {mode: _build_mode(mode, written.get(mode, {}), templates) for mode in MODES}
        out[account_id] = ConnectedData(account=account, data=data)
    return out


@cache
def _load_cached(name: str) -> Scenario:
    raw = _account_file(name)
    templates = load_templates()
    keys = tuple(
        PracticeKey(
            key=k["key"], mode=k["mode"], kind=k.get("kind", "secret"),
            missing_permissions=tuple(k.get("missing_permissions", ())), expired=bool(k.get("expired", False)),
        )
        for k in raw["keys"]
    )
    return Scenario(
        name=raw["name"],
        title=raw["title"],
        complaint=raw["complaint"],
        answer=raw["answer"],
        keys=keys,
        primary_key=raw["primary_key"],
        second_key=raw.get("second_key"),
        customer=raw.get("customer"),
        return_url=raw.get("return_url"),
        expect=dict(raw.get("expect", {})),
        data={mode: _generated(name, mode, raw.get(mode, {}), _build_mode(mode, raw.get(mode, {}), templates))
              for mode in MODES},
        account=deep_merge(templates["account"], raw.get("account", {})),
        connected_account=raw.get("connected_account"),
        connected=_connected(raw, templates),
        templates=templates,
    )


def load_scenario(name: str) -> Scenario:
    """A fresh deep copy each time, so a server may change its data without touching others."""
    scenario: Scenario = copied(_load_cached(name))
    return scenario
