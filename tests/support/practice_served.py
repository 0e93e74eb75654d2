"""Everything a practice account serves, captured so a rewrite of its file can be proved harmless.

Two views of each account: what the loader builds (`load_scenario`: the words, the keys and every
full Stripe object per mode and collection) and what the practice server answers over real HTTP
to the reads the app makes (every list and retrieve endpoint, with the app's filters and
expansions), for every key the account knows, expired and restricted ones included (their
refusals are served too). Ids are asked for in both modes, so "a similar object exists in live
mode" answers are captured as well.

The clock is pinned (`PINNED_NOW`): events say how long ago they happened, and the server dates
them from its start. `tests/data/practice_served_before.json.xz` holds this capture as the
scenario files were before they could extend each other (see `tests/data/README.md`);
`scripts/capture_practice_served.py` writes it.
"""

from __future__ import annotations

import dataclasses
import json
import lzma
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from assistant.practice.scenarios import MODES, Scenario, account_file, load_scenario, scenario_names
from assistant.practice.server import PracticeServer

PINNED_NOW = 1_765_000_000
CAPTURE = Path(__file__).resolve().parents[1] / "data" / "practice_served_before.json.xz"

# The app's reads (assistant/account/gateway/client.py), with its filters and expansions.
_CUSTOMER_EXPAND = (
    "subscriptions", "subscriptions.data.schedule", "subscriptions.data.default_payment_method",
    "invoice_settings.default_payment_method",
)
_LISTS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("/v1/account", {}),
    ("/v1/balance", {}),
    ("/v1/billing_portal/configurations", {"limit": 100}),
    ("/v1/billing_portal/configurations",
     {"active": "true", "expand[]": ["data.features.subscription_update.products"], "limit": 100}),
    ("/v1/billing_portal/configurations",
     {"is_default": "true", "expand[]": ["data.features.subscription_update.products"], "limit": 100}),
    ("/v1/products", {"limit": 100}),
    ("/v1/products", {"active": "true", "limit": 100}),
    ("/v1/prices", {"limit": 100}),
    ("/v1/prices", {"active": "true", "limit": 100}),
    ("/v1/customers", {"limit": 100, "expand[]": [f"data.{p}" for p in _CUSTOMER_EXPAND]}),
    ("/v1/subscriptions",
     {"status": "all", "limit": 100, "expand[]": ["data.schedule", "data.default_payment_method"]}),
    ("/v1/events", {"limit": 100}),
    ("/v1/events", {"type": "billing_portal.session.created", "limit": 100}),
    ("/v1/events", {"delivery_success": "false", "limit": 100}),
    ("/v1/webhook_endpoints", {"limit": 100}),
    ("/v2/core/event_destinations", {"include[0]": "webhook_endpoint.url"}),
)
# Collection -> (retrieve path, expansions the app asks for).
_RETRIEVES: dict[str, tuple[str, tuple[str, ...]]] = {
    "configurations": ("/v1/billing_portal/configurations", ("features.subscription_update.products",)),
    "products": ("/v1/products", ()),
    "prices": ("/v1/prices", ()),
    "customers": ("/v1/customers", _CUSTOMER_EXPAND),
    "subscriptions": ("/v1/subscriptions", ()),
    "webhook_endpoints": ("/v1/webhook_endpoints", ()),
    "accounts": ("/v2/core/accounts", ()),  # customer-configured Accounts; `include` added below
}


def loaded(scenario: Scenario) -> dict[str, Any]:
    """The loader's output: every field of the Scenario but the shared templates."""
    out = {f.name: getattr(scenario, f.name) for f in dataclasses.fields(scenario) if f.name != "templates"}
    out["keys"] = [dataclasses.asdict(k) for k in scenario.keys]
    out["connected"] = {account: dataclasses.asdict(data) for account, data in scenario.connected.items()}
    return json.loads(json.dumps(out))  # tuples as lists, as the stored capture has them


def _requests(scenario: Scenario) -> list[str]:
    """Path and query of every read to replay, in a fixed order."""
    out = [f"{path}?{urlencode(params, doseq=True)}" for path, params in _LISTS]
    for collection, (path, expand) in _RETRIEVES.items():
        ids = sorted({o["id"] for mode in MODES for o in scenario.data[mode][collection]})
        query = urlencode({"expand[]": list(expand)} if collection != "accounts"
                          else {"include[0]": "configuration.customer"}, doseq=True)
        out += [f"{path}/{quote(obj_id, safe='')}?{query}" for obj_id in ids]
    emails = sorted({c["email"] for mode in MODES for c in scenario.data[mode]["customers"] if c.get("email")})
    expand = [f"data.{p}" for p in _CUSTOMER_EXPAND]
    out += [f"/v1/customers?{urlencode({'email': e, 'limit': 100, 'expand[]': expand}, doseq=True)}" for e in emails]
    out += [f"/v1/customers/search?{urlencode({'query': f'email:{e!r}'})}" for e in emails]
    return out


def _get(base_url: str, target: str, key: str) -> list[Any]:
    request = urllib.request.Request(base_url + target, headers={"Authorization": f"Bearer {key}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return [answer.status, json.loads(answer.read())]
    except urllib.error.HTTPError as err:
        return [err.code, json.loads(err.read())]


def served(scenario: Scenario) -> dict[str, list[list[Any]]]:
    """`{key: [[request, status, body], ...]}` from a practice server with its clock pinned."""
    targets = _requests(scenario)
    with PracticeServer(scenario) as server:
        server.store.started = PINNED_NOW
        server.store.reset()
        return {k.key: [[t, *_get(server.base_url, t, k.key)] for t in targets] for k in scenario.keys}


def capture_account(name: str) -> dict[str, Any]:
    scenario = load_scenario(name)
    return {"loaded": loaded(scenario), "served": served(scenario)}


def generated(name: str) -> bool:
    """An account whose objects come from a `generated` rule (thousands of configurations): its
    rule has tests of its own, and replaying every retrieve of it would make the capture slow."""
    data = account_file(name)
    return any((data.get(mode) or {}).get("generated") for mode in MODES)


def capture() -> dict[str, Any]:
    """Every account but the generated ones, captured a few at a time (each has its own server)."""
    names = [n for n in scenario_names() if not generated(n)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip(names, pool.map(capture_account, names), strict=True))


def write(data: dict[str, Any], path: Path = CAPTURE) -> None:
    """Compact JSON with sorted keys, xz-compressed (5 MB of JSON, 30 kB stored): the same
    capture always gives the same bytes."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
    path.write_bytes(lzma.compress(text, preset=9 | lzma.PRESET_EXTREME))


def read(path: Path = CAPTURE) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(lzma.decompress(path.read_bytes()))
    return data
