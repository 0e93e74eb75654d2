"""Practice account files that extend another one: `"extends": "healthy"` plus only what differs.

Most practice accounts are a healthy account with one thing wrong. Written out in full, a new
kind of Stripe object meant editing every file; written as a base and a difference, it means one
edit to the base, and each file says only what makes its account different.

A file names its base with a top-level `"extends"`. The base is resolved first (so a base may
itself extend another; a cycle is an error naming it), then the file is laid over it:

- A JSON object merges key by key, recursively; a key the file does not write keeps the base's
  value. `{"$delete": true}` as a value removes the key (the Stripe template's value then
  applies, as if the base had never written it).
- A list of Stripe objects (every item an object with an `"id"`, on both sides) merges by id:
  an item with an id the base has updates that object by these same rules, in its place; an
  item with a new id is appended, in the file's order; `{"id": "…", "$delete": true}` removes
  the base's object. A new item may start as a copy of another in the same list:
  `{"id": "bpc_new", "$copy_of": "bpc_old", "is_default": false}` is that configuration under
  a new id with one field changed.
- An empty list `[]` means none (an account without webhooks writes `"webhook_endpoints": []`).
- Any other list (words, keys, the products of a portal configuration) and any other value
  replaces the base's.
- `{"$replace": value}` puts `value` in place of the base's whole, unmerged: to reorder a list of
  objects, or for an object that must not inherit keys (the file's `expect`, say).

The base itself may be written with other ids: `"own_ids": {"<base's id>": "<this account's
id>"}` replaces each such id wherever the base uses it as a value (objects, references, lists of
ids) before the file is laid over it, so an account keeps its own product, price and customer
ids and still inherits everything else about them.

Any other key starting with `$` is an error, so a misspelt rule never passes as data.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

DELETE, REPLACE, COPY_OF, EXTENDS, OWN_IDS = "$delete", "$replace", "$copy_of", "extends", "own_ids"


class _Missing:
    """The base of a key that the base does not have."""


_MISSING: Any = _Missing()


class AccountFileError(ValueError):
    """A practice account file that cannot be resolved; the message names the file and the spot."""


def resolve(name: str, read: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
    """The account file `name` with its chain of bases applied; `read(name)` gives a file's
    JSON as written (and raises for a name with no file)."""
    return _resolve(name, read, ())


def _resolve(name: str, read: Callable[[str], dict[str, Any]], chain: tuple[str, ...]) -> dict[str, Any]:
    if name in chain:
        cycle = " → ".join((*chain[chain.index(name):], name))
        raise AccountFileError(f"Practice accounts extend each other in a circle: {cycle}.")
    try:
        own = read(name)
    except LookupError as err:
        if not chain:
            raise
        raise AccountFileError(f"{chain[-1]}: extends {name!r}, which is not a practice account.") from err
    base_name = own.get(EXTENDS)
    if base_name is None and OWN_IDS in own:
        raise AccountFileError(f"{name}: \"{OWN_IDS}\" renames the ids of a base, and this file extends none.")
    if base_name is None:
        resolved: dict[str, Any] = merge(_MISSING, own, name)
        return resolved
    if not isinstance(base_name, str) or not base_name or base_name.startswith("_"):
        raise AccountFileError(f"{name}: \"extends\" must name another practice account, not {base_name!r}.")
    base = _renamed(_resolve(base_name, read, (*chain, name)), own.get(OWN_IDS, {}), name)
    merged: dict[str, Any] = merge(base, {k: v for k, v in own.items() if k not in (EXTENDS, OWN_IDS)}, name)
    return merged


def _renamed(base: dict[str, Any], own_ids: Any, name: str) -> dict[str, Any]:
    """The base with each id of `own_ids` replaced by the account's own, wherever it is a value."""
    if not isinstance(own_ids, dict) or not all(isinstance(v, str) for v in own_ids.values()):
        raise AccountFileError(f"{name}: \"{OWN_IDS}\" maps the base's ids to this account's, as strings.")
    seen: set[str] = set()

    def rename(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: rename(v) for k, v in value.items()}
        if isinstance(value, list):
            return [rename(v) for v in value]
        if isinstance(value, str) and value in own_ids:
            seen.add(value)
            return own_ids[value]
        return value

    renamed: dict[str, Any] = rename(base)
    unused = sorted(set(own_ids) - seen)
    if unused:
        raise AccountFileError(f"{name}: \"{OWN_IDS}\" names {unused[0]!r}, which its base does not have.")
    return renamed


def merge(base: Any, override: Any, where: str = "") -> Any:
    """`override` laid over `base` by the rules above, as a new value (neither is changed)."""
    if isinstance(override, dict) and any(str(k).startswith("$") for k in override):
        return _rule(override, where)
    if isinstance(override, dict):
        return _merge_object(base if isinstance(base, dict) else {}, override, where)
    if isinstance(override, list) and override and _objects(base) and _objects(override):
        return _merge_by_id(base, override, where)
    if isinstance(override, list):
        return [merge(_MISSING, item, f"{where}[{i}]") for i, item in enumerate(override)]
    return copy.deepcopy(override)


def _merge_object(base: dict[str, Any], override: dict[str, Any], where: str) -> dict[str, Any]:
    """The base's keys in the base's order, then the new ones in the file's."""
    merged: dict[str, Any] = {}
    for key, value in base.items():
        if key not in override:
            merged[key] = copy.deepcopy(value)
        elif override[key] != {DELETE: True}:
            merged[key] = merge(value, override[key], f"{where}.{key}")
    for key, value in override.items():
        if key in base:
            continue
        if value == {DELETE: True}:
            raise AccountFileError(f"{where}.{key}: nothing to delete, the base has no such key.")
        merged[key] = merge(_MISSING, value, f"{where}.{key}")
    return merged


def _rule(override: dict[str, Any], where: str) -> Any:
    """`{"$replace": value}`, or the sentence that says how a rule is written."""
    if set(override) == {REPLACE}:
        return merge(_MISSING, override[REPLACE], where)
    unknown = sorted(str(k) for k in override if str(k).startswith("$") and k not in (DELETE, REPLACE, COPY_OF))
    if unknown:
        raise AccountFileError(f"{where}: unknown rule {unknown[0]!r} (the rules are "
                               f"{DELETE!r}, {REPLACE!r} and {COPY_OF!r}).")
    if REPLACE in override:
        raise AccountFileError(f"{where}: {REPLACE!r} stands alone in its object.")
    if DELETE in override:
        raise AccountFileError(f"{where}: {DELETE!r} is a key's whole value, or stands next to an \"id\" alone "
                               "in a list of objects the base has.")
    raise AccountFileError(f"{where}: {COPY_OF!r} stands next to a new \"id\" in a list of objects the base has.")


def _objects(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, dict) and "id" in item for item in value)


def _merge_by_id(base: list[dict[str, Any]], override: list[dict[str, Any]], where: str) -> list[dict[str, Any]]:
    merged = [copy.deepcopy(item) for item in base]
    for entry in override:
        at = f"{where}[{entry['id']}]"
        index = next((i for i, item in enumerate(merged) if item["id"] == entry["id"]), None)
        if entry.get(DELETE) is True and set(entry) == {"id", DELETE}:
            if index is None:
                raise AccountFileError(f"{at}: nothing to delete, the base has no object with this id.")
            del merged[index]
        elif COPY_OF in entry:
            if index is not None:
                raise AccountFileError(f"{at}: {COPY_OF!r} starts a new object, and this id is the base's.")
            merged.append(merge(_copied(merged, entry[COPY_OF], at), _without(entry, COPY_OF), at))
        elif index is None:
            merged.append(merge(_MISSING, entry, at))
        else:
            merged[index] = merge(merged[index], entry, at)
    return merged


def _copied(objects: list[dict[str, Any]], source: Any, where: str) -> dict[str, Any]:
    """The object `source` names, as the list holds it so far, without its id."""
    found = next((item for item in objects if item["id"] == source), None)
    if found is None:
        raise AccountFileError(f"{where}: {COPY_OF!r} names {source!r}, which is not in this list (yet).")
    return _without(found, "id")


def _without(obj: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if k != key}
