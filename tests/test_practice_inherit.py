"""Practice account files that extend another: the rules a person writing one relies on
(`assistant/practice/inherit.py`), and what they buy: a new kind of object written once in
`healthy` reaches every account built on it."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from assistant.practice.inherit import AccountFileError, resolve
from assistant.practice.scenarios import UnknownScenario, account_file, file_as_written, scenario_names

BASE: dict[str, Any] = {
    "name": "base",
    "title": "Base",
    "expect": {"portal.products": "pass", "customer.found": "pass"},
    "test": {
        "products": [
            {"id": "prod_A", "name": "Basic", "active": True, "metadata": {"tier": "1"}},
            {"id": "prod_B", "name": "Pro", "active": True},
        ],
        "prices": [{"id": "price_A", "product": "prod_A"}, {"id": "price_B", "product": "prod_B"}],
        "webhook_endpoints": [{"id": "we_A", "enabled_events": ["customer.updated", "customer.deleted"]}],
    },
}


def files(**more: dict[str, Any]) -> Any:
    found = {"base": BASE, **more}

    def read(name: str) -> dict[str, Any]:
        if name not in found:
            raise UnknownScenario(name, sorted(found))
        return copy.deepcopy(found[name])

    return read


def child(**fields: Any) -> dict[str, Any]:
    return resolve("child", files(child={"name": "child", "extends": "base", **fields}))


def test_a_file_that_extends_nothing_is_itself() -> None:
    assert resolve("base", files()) == BASE


def test_objects_merge_key_by_key_and_unwritten_keys_are_inherited() -> None:
    got = child(title="Child", expect={"customer.found": "fail"})
    assert got["title"] == "Child" and got["name"] == "child"
    assert got["expect"] == {"portal.products": "pass", "customer.found": "fail"}
    assert got["test"] == BASE["test"]
    assert "extends" not in got


def test_stripe_objects_merge_by_id_in_place_and_new_ids_are_appended() -> None:
    got = child(test={"products": [{"id": "prod_B", "active": False}, {"id": "prod_C", "name": "Team"}]})
    products = got["test"]["products"]
    assert [p["id"] for p in products] == ["prod_A", "prod_B", "prod_C"]
    assert products[1] == {"id": "prod_B", "name": "Pro", "active": False}
    assert products[2] == {"id": "prod_C", "name": "Team"}
    assert got["test"]["prices"] == BASE["test"]["prices"]


def test_delete_removes_an_inherited_object_or_key() -> None:
    got = child(test={"products": [{"id": "prod_A", "metadata": {"$delete": True}}, {"id": "prod_B", "$delete": True}]})
    assert got["test"]["products"] == [{"id": "prod_A", "name": "Basic", "active": True}]
    assert "customer.found" not in child(expect={"customer.found": {"$delete": True}})["expect"]


def test_an_empty_list_means_none_and_other_lists_replace_whole() -> None:
    got = child(test={"webhook_endpoints": [], "products": [{"id": "prod_A", "name": "Basic+"}]})
    assert got["test"]["webhook_endpoints"] == []
    assert len(got["test"]["products"]) == 2
    events = child(test={"webhook_endpoints": [{"id": "we_A", "enabled_events": ["customer.updated"]}]})
    assert events["test"]["webhook_endpoints"][0]["enabled_events"] == ["customer.updated"]


def test_replace_puts_a_value_in_whole_without_merging() -> None:
    got = child(expect={"$replace": {"customer.found": "fail"}}, test={"prices": {"$replace": [{"id": "price_Z"}]}})
    assert got["expect"] == {"customer.found": "fail"}
    assert got["test"]["prices"] == [{"id": "price_Z"}]
    assert child(live={"$replace": {}})["live"] == {}


def test_copy_of_starts_a_new_object_from_another_in_the_same_list() -> None:
    got = child(test={"products": [{"id": "prod_A", "active": False},
                                   {"id": "prod_C", "$copy_of": "prod_A", "name": "Basic 2"}]})
    assert got["test"]["products"][2] == {"id": "prod_C", "name": "Basic 2", "active": False, "metadata": {"tier": "1"}}


def test_own_ids_rename_the_base_s_ids_wherever_they_are_used() -> None:
    got = child(own_ids={"prod_A": "prod_Mine"}, test={"products": [{"id": "prod_Mine", "name": "Mine"}]})
    assert [p["id"] for p in got["test"]["products"]] == ["prod_Mine", "prod_B"]
    assert got["test"]["products"][0]["name"] == "Mine"
    assert got["test"]["prices"][0] == {"id": "price_A", "product": "prod_Mine"}
    assert "own_ids" not in got


def test_chains_apply_every_base_in_order() -> None:
    read = files(middle={"name": "middle", "extends": "base", "title": "Middle", "expect": {"customer.found": "warn"}},
                 leaf={"name": "leaf", "extends": "middle", "test": {"products": [{"id": "prod_A", "active": False}]}})
    got = resolve("leaf", read)
    assert (got["name"], got["title"], got["expect"]["customer.found"]) == ("leaf", "Middle", "warn")
    assert got["test"]["products"][0]["active"] is False


def test_a_cycle_is_an_error_that_shows_it() -> None:
    read = files(a={"name": "a", "extends": "b"}, b={"name": "b", "extends": "a"}, c={"name": "c", "extends": "a"})
    with pytest.raises(AccountFileError, match="in a circle: a → b → a"):
        resolve("c", read)


@pytest.mark.parametrize(("fields", "words"), [
    ({"extends": "nowhere"}, "extends 'nowhere', which is not a practice account"),
    ({"extends": "_templates"}, "must name another practice account"),
    ({"test": {"products": [{"id": "prod_X", "$delete": True}]}}, "nothing to delete"),
    ({"expect": {"key.format": {"$delete": True}}}, "nothing to delete"),
    ({"test": {"products": [{"id": "prod_A", "$delet": True}]}}, "unknown rule '$delet'"),
    ({"test": {"products": [{"id": "prod_C", "$copy_of": "prod_X"}]}}, "names 'prod_X', which is not in this list"),
    ({"own_ids": {"prod_X": "prod_Y"}}, "names 'prod_X', which its base does not have"),
    ({"expect": {"$replace": {}, "key.format": "pass"}}, "stands alone"),
    ({"title": {"$copy_of": "prod_A"}}, "stands next to a new \"id\""),
])
def test_a_mistake_in_a_file_is_named(fields: dict[str, Any], words: str) -> None:
    own = {"name": "child", "extends": "base", **fields}
    with pytest.raises(AccountFileError, match=f"^child.*{words.replace('$', '[$]')}"):
        resolve("child", files(child=own))


def test_own_ids_without_a_base_is_an_error() -> None:
    with pytest.raises(AccountFileError, match="extends none"):
        resolve("solo", files(solo={"name": "solo", "own_ids": {"a": "b"}}))


def test_a_new_collection_in_healthy_reaches_every_account_built_on_it() -> None:
    """"A new object kind means one edit": written once in healthy's test mode, it is in the
    test mode of every account that extends healthy, directly or through another account."""
    coupon = {"id": "co_practice_launch", "object": "coupon", "percent_off": 20}

    def read(name: str) -> dict[str, Any]:
        written = file_as_written(name)
        if name == "healthy":
            written["test"]["coupons"] = [coupon]
        return written

    built_on_healthy = [n for n in scenario_names() if _reaches(n, "healthy")]
    assert len(built_on_healthy) == len(scenario_names())
    for name in built_on_healthy:
        assert resolve(name, read)["test"]["coupons"] == [coupon], name
        assert "coupons" not in account_file(name)["test"]


def _reaches(name: str, base: str) -> bool:
    while name != base:
        name = file_as_written(name).get("extends")
        if name is None:
            return False
    return True
