"""Every practice account serves exactly what it served before the scenario files could extend
each other: the loader's objects and the practice server's answers over HTTP, key by key
(`tests/data/practice_served_before.json.xz`, made by `scripts/capture_practice_served.py`).

A trainer who opens an account after a rewrite of its file must find the same business, the
same problem and the same verdicts; this is what makes moving shared data into a base safe.
"""

from __future__ import annotations

from typing import Any

import pytest
from support.practice_served import capture_account, read

from assistant.practice.scenarios import scenario_names

BEFORE = read()


def differences(before: Any, now: Any, path: str = "") -> list[str]:
    """Where two JSON values differ, as readable paths (a list compared item by item)."""
    if isinstance(before, dict) and isinstance(now, dict):
        out = [f"{path}.{k}: only before" for k in before.keys() - now.keys()]
        out += [f"{path}.{k}: only now" for k in now.keys() - before.keys()]
        for key in sorted(before.keys() & now.keys()):
            out += differences(before[key], now[key], f"{path}.{key}")
        return out
    if isinstance(before, list) and isinstance(now, list) and len(before) == len(now):
        return [d for i, (b, n) in enumerate(zip(before, now, strict=True)) for d in differences(b, n, f"{path}[{i}]")]
    return [] if before == now else [f"{path}: {str(before)[:80]!r} -> {str(now)[:80]!r}"]


def test_every_captured_account_still_exists() -> None:
    assert sorted(set(BEFORE) - set(scenario_names())) == []


@pytest.mark.parametrize("name", sorted(BEFORE))
def test_account_serves_what_it_served_before(name: str) -> None:
    found = differences(BEFORE[name], capture_account(name))
    assert found == [], f"{name} now serves something else ({len(found)} places):\n" + "\n".join(found[:20])


def test_the_comparison_sees_a_changed_field() -> None:
    """The comparison itself: one changed price amount deep in an answer is reported."""
    before = BEFORE["healthy"]
    now = capture_account("healthy")
    answers = now["served"]["sk_test_practice_healthy_4242"]
    body = next(a[2] for a in answers if a[0].startswith("/v1/prices/"))
    body["unit_amount"] += 1
    found = differences(before, now)
    assert len(found) == 1 and ".unit_amount: " in found[0], found
