"""The practice accounts are data: check each one is complete, self-consistent and Stripe-shaped."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from assistant.knowledge.checklist import check_ids
from assistant.practice.scenarios import (
    COLLECTIONS,
    MODES,
    UnknownScenario,
    account_file,
    file_as_written,
    list_scenarios,
    load_scenario,
    scenario_names,
)
from assistant.resources import resource_path

CHECK_IDS = set(check_ids())
STATUSES = {"pass", "warn", "fail", "skip", "error"}
REQUIRED = {
    "healthy", "portal_never_saved", "archived_product", "inactive_price", "no_return_url", "live_key",
    "restricted_key", "cancel_only_subscription", "duplicate_emails", "customer_other_mode", "big_catalogue",
    "parity_mismatch", "no_webhooks",
}
ID_PREFIX = {
    "configurations": "bpc_", "products": "prod_", "prices": "price_", "customers": "cus_",
    "subscriptions": "sub_", "webhook_endpoints": "we_",
}
FIXTURES = Path(__file__).resolve().parent / "data" / "fixtures3.json"
NAMES = scenario_names()


@pytest.fixture(scope="module")
def fixtures() -> dict:
    if not FIXTURES.is_file():
        pytest.fail(f"Stripe's fixtures3.json is needed for this test and was not found at {FIXTURES}")
    return json.loads(FIXTURES.read_text())["resources"]


def test_required_scenarios_exist() -> None:
    assert set(NAMES) >= REQUIRED
    assert {info.name for info in list_scenarios()} == set(NAMES)


def test_unknown_scenario_lists_valid_names() -> None:
    with pytest.raises(UnknownScenario) as err:
        load_scenario("no_such_account")
    assert "healthy" in str(err.value) and "no_such_account" in str(err.value)


def test_templates_file_is_not_a_scenario() -> None:
    with pytest.raises(UnknownScenario):
        load_scenario("_templates")


# What makes an account itself: written in its own file, never inherited from the one it extends.
OWN_FIELDS = ("name", "title", "complaint", "answer", "spoilers", "keys", "primary_key", "account")


def _rule_keys(value: object) -> list[str]:
    if isinstance(value, dict):
        return [k for k in value if str(k).startswith("$")] + [r for v in value.values() for r in _rule_keys(v)]
    if isinstance(value, list):
        return [r for v in value for r in _rule_keys(v)]
    return []


@pytest.mark.parametrize("name", NAMES)
def test_scenario_file_writes_its_identity_and_extends_only_an_account(name: str) -> None:
    written = file_as_written(name)
    assert [f for f in OWN_FIELDS if f not in written] == [], f"{name}: identity inherited"
    assert "id" in written["account"], name
    if "extends" in written:
        assert written["extends"] in NAMES and written["extends"] != name
    resolved = account_file(name)
    assert _rule_keys(resolved) == [] and not {"extends", "own_ids"} & set(resolved), name


@pytest.mark.parametrize("name", NAMES)
def test_scenario_fields(name: str) -> None:
    raw = account_file(name)
    for field in ("name", "title", "complaint", "answer", "spoilers", "keys", "primary_key", "expect", "test", "live"):
        assert field in raw, f"{name}: missing {field}"
    s = load_scenario(name)
    assert s.name == name
    assert s.title and 1 <= s.complaint.count(". ") + 1 <= 3 and 2 <= s.answer.count(". ") + 1 <= 4
    key_names = {k.key for k in s.keys}
    assert s.primary_key in key_names
    if s.second_key:
        assert s.second_key in key_names
        assert s.key_info(s.second_key).mode != s.key_info(s.primary_key).mode
    for k in s.keys:
        assert k.mode in MODES and k.kind in ("secret", "restricted")
        assert k.key.startswith(("sk_", "rk_")) and f"_{k.mode}_" in k.key[:8]
        # a practice key must never look like a real key: the body after the prefix contains underscores
        assert "_" in k.key[8:], k.key
        assert all(p.startswith("rak_") for p in k.missing_permissions)
    assert set(s.expect) <= CHECK_IDS, set(s.expect) - CHECK_IDS
    assert set(s.expect.values()) <= STATUSES
    assert s.account["id"].startswith("acct_")


@pytest.mark.parametrize("name", NAMES)
def test_ids_are_consistent(name: str) -> None:
    s = load_scenario(name)
    for data in (s.data, *(c.data for c in s.connected.values())):
        _ids_are_consistent(data)
    # The customer lives where the practice run acts (a connected account's own, with one).
    acting = s.connected[s.connected_account].data if s.connected_account else s.data
    if s.customer and s.customer.startswith("cus_"):
        assert any(s.customer in {c["id"] for c in acting[m]["customers"]} for m in MODES)
    if s.customer and s.customer.startswith("acct_"):
        assert any(s.customer in {a["id"] for a in acting[m]["accounts"]} for m in MODES)


def _ids_are_consistent(data: Any) -> None:
    for mode in MODES:
        d = data[mode]
        for collection, prefix in ID_PREFIX.items():
            ids = [o["id"] for o in d[collection]]
            assert len(ids) == len(set(ids)), f"{mode}/{collection}: duplicate ids"
            for obj in d[collection]:
                assert obj["id"].startswith(prefix)
                assert obj["livemode"] is (mode == "live")
                assert isinstance(obj["created"], int) and obj["created"] > 1_500_000_000
        products = {p["id"]: p for p in d["products"]}
        prices = {p["id"]: p for p in d["prices"]}
        customers = {c["id"] for c in d["customers"]}
        for price in d["prices"]:
            assert price["product"] in products
        for config in d["configurations"]:
            for entry in config["features"]["subscription_update"].get("products") or []:
                assert entry["product"] in products, entry
                assert set(entry) == {"product", "prices", "adjustable_quantity"}
                for price_id in entry["prices"]:
                    assert prices[price_id]["product"] == entry["product"]
        for sub in d["subscriptions"]:
            assert sub["customer"] in customers
            for item in sub["items"]["data"]:
                assert item["price"]["id"] in prices
                assert item["price"] == prices[item["price"]["id"]]
                assert item["subscription"] == sub["id"]


def _missing_keys(fixture: object, obj: object, path: str = "") -> list[str]:
    """Keys of the fixture absent from obj, recursing into dicts present on both sides."""
    if not isinstance(fixture, dict) or not isinstance(obj, dict):
        return []
    missing = []
    for key, value in fixture.items():
        if key not in obj:
            if path + key == "features.subscription_update.products":
                continue
            missing.append(path + key)
        else:
            missing += _missing_keys(value, obj[key], f"{path}{key}.")
    return missing


@pytest.mark.parametrize("name", NAMES)
def test_objects_have_stripes_full_shape(name: str, fixtures: dict) -> None:
    s = load_scenario(name)
    assert _missing_keys(fixtures["account"], s.account) == []
    for mode in MODES:
        for collection, type_name in COLLECTIONS.items():
            for obj in s.data[mode][collection]:
                assert obj["object"] == type_name
                if collection == "events":  # an event carries a whole object of its own type
                    inner = obj["data"]["object"]
                    template = {**fixtures["event"], "data": {}}
                    assert _missing_keys(template, {**obj, "data": {}}) == [], (name, mode, obj["id"])
                    assert _missing_keys(fixtures[inner["object"]], inner) == [], (name, mode, obj["id"])
                    continue
                assert _missing_keys(fixtures[type_name], obj) == [], (name, mode, obj["id"])
        for sub in s.data[mode]["subscriptions"]:
            for item in sub["items"]["data"]:
                template = fixtures["subscription"]["items"]["data"][0]
                assert _missing_keys(template, item) == []


def test_templates_are_stripes_fixtures_unchanged(fixtures: dict) -> None:
    raw = json.loads(resource_path("scenarios", "_templates.json").read_text())
    for type_name, obj in raw["objects"].items():
        assert obj == fixtures[type_name]


def test_scenario_details_match_their_story() -> None:
    cfg = lambda s, mode="test": s.data[mode]["configurations"]  # noqa: E731
    assert cfg(load_scenario("portal_never_saved")) == []
    assert load_scenario("no_webhooks").data["test"]["webhook_endpoints"] == []
    archived = load_scenario("archived_product").data["test"]
    assert any(not p["active"] for p in archived["products"])
    assert all(p["active"] for p in archived["prices"])
    assert any(not p["active"] for p in load_scenario("inactive_price").data["test"]["prices"])
    assert cfg(load_scenario("no_return_url"))[0]["default_return_url"] is None
    assert load_scenario("live_key").primary_key.startswith("sk_live_")
    rk = load_scenario("restricted_key")
    assert rk.key_info(rk.primary_key).missing_permissions == ("rak_webhook_read", "rak_event_read")
    dup = load_scenario("duplicate_emails")
    assert sum(c["email"] == dup.customer for c in dup.data["test"]["customers"]) == 2
    other = load_scenario("customer_other_mode")
    assert other.customer in {c["id"] for c in other.data["live"]["customers"]}
    assert other.customer not in {c["id"] for c in other.data["test"]["customers"]}
    big = cfg(load_scenario("big_catalogue"))[0]["features"]["subscription_update"]["products"]
    assert len(big) == 10 and all(len(e["prices"]) == 5 for e in big)
    healthy = load_scenario("healthy")
    assert set(healthy.expect.values()) == {"pass"}
    assert cfg(healthy)[0]["features"] == cfg(healthy, "live")[0]["features"]
    assert cfg(load_scenario("parity_mismatch"), "live")[0]["features"]["subscription_update"]["products"] == []
    cancel = load_scenario("cancel_only_subscription").data["test"]["subscriptions"][0]
    assert len({i["price"]["product"] for i in cancel["items"]["data"]}) == 2


def test_load_returns_independent_copies() -> None:
    a = load_scenario("healthy")
    a.data["test"]["customers"].clear()
    assert load_scenario("healthy").data["test"]["customers"]


def test_practice_keys_never_look_live_real() -> None:
    for name in NAMES:
        for k in load_scenario(name).keys:
            assert re.fullmatch(r"(sk|rk)_(test|live)_practice_[A-Za-z0-9_]+", k.key), k.key


def test_no_practice_key_shares_a_piece_with_its_account() -> None:
    """Any 12 characters of a key are masked wherever they appear (issue 21): a practice key
    written in words ("…_pause_request_…") would mask "pause_requested" in the account's own
    answers and change its verdict. Real keys are random past their prefix."""
    from assistant.account.secret_pieces import MIN_PIECE

    for info in list_scenarios():
        scenario = load_scenario(info.name)
        served = json.dumps(scenario.data) + json.dumps(scenario.account)
        for key in scenario.keys:
            shared = {key.key[i:i + MIN_PIECE] for i in range(len(key.key) - MIN_PIECE + 1)
                      if key.key[i:i + MIN_PIECE] in served}
            assert not shared, (info.name, sorted(shared))
