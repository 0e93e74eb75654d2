"""Practice accounts as a trainer uses them: each one a different business (so the case history
never compares two of them), and words that let a trainee find the problem, not read it.

The picker shows a title and the owner's complaint; the answer waits behind "Show the answer".
The rule for "does not give it away": each account lists the key words of its answer
(`spoilers`, matched case-insensitively at the start of a word, so "archiv" covers archived and
archiving); every one must be in the answer and none in the complaint, nor any check id, Stripe
id or the word "trainee".
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from support.cli import cli

from assistant.knowledge.checklist import check_ids, checks, steps
from assistant.practice.scenarios import account_file, list_scenarios, load_scenario, scenario_names

NAMES = scenario_names()
ROOT = Path(__file__).resolve().parents[1]
STRIPE_ID = re.compile(r"\b(acct|bpc|cus|price|prod|sub|si|we|pm|evt|sk|rk|pk)_[A-Za-z0-9]")
FIRST_PERSON = re.compile(r"\b(I|I'd|I've|my|we|we're|our|us)\b", re.IGNORECASE)
PROBLEMS = {"fail", "warn", "error"}


def raw(name: str) -> dict[str, Any]:
    return account_file(name)


def business_name(account: dict[str, Any]) -> str | None:
    """The name the app reads out (facts.display_name's order: public name, then Dashboard's)."""
    return (account.get("business_profile") or {}).get("name") or \
        ((account.get("settings") or {}).get("dashboard") or {}).get("display_name")


def said(word: str, text: str) -> bool:
    return re.search(r"\b" + re.escape(word), text, re.IGNORECASE) is not None


def test_every_practice_account_is_its_own_business() -> None:
    accounts = {name: load_scenario(name).account for name in NAMES}
    ids = Counter(a["id"] for a in accounts.values())
    names = Counter(business_name(a) for a in accounts.values())
    titles = Counter(info.title for info in list_scenarios())
    assert [i for i, n in ids.items() if n > 1] == []
    assert [b for b, n in names.items() if n > 1] == []
    assert [t for t, n in titles.items() if n > 1] == []
    for name, account in accounts.items():
        assert re.fullmatch(r"acct_[A-Za-z0-9]{16}", account["id"]), name
        assert business_name(account) and "Practice Co" not in str(business_name(account)), name


@pytest.mark.parametrize("name", NAMES)
def test_the_complaint_is_the_owners_and_gives_nothing_away(name: str) -> None:
    data = raw(name)
    complaint, answer, spoilers = data["complaint"], data["answer"], data["spoilers"]
    assert complaint.strip() and answer.strip() and spoilers, name
    assert FIRST_PERSON.search(complaint), f"{name}: not in the owner's voice: {complaint}"
    assert [w for w in spoilers if not said(w, answer)] == [], f"{name}: a key word not in its answer"
    assert [w for w in spoilers if said(w, complaint)] == [], f"{name}: the complaint gives it away"
    assert not STRIPE_ID.search(complaint) and "trainee" not in complaint.lower()
    assert [c for c in check_ids() if c in complaint] == []


@pytest.mark.parametrize("name", NAMES)
def test_the_title_is_the_business_and_its_symptom_not_the_answer(name: str) -> None:
    """The title is what the picker lists first, so it spoils the exercise just as a complaint
    would ("Archived price in the portal" gave the answer before a single check ran)."""
    data = raw(name)
    title, spoilers = data["title"], data["spoilers"]
    owner = business_name(load_scenario(name).account) or ""
    business, _, symptom = title.partition(": ")
    assert symptom, f"{name}: not 'Business: symptom': {title}"
    assert owner.lower().replace("-", " ").startswith(business.lower()), f"{name}: {business} vs {owner}"
    assert [w for w in spoilers if said(w, symptom)] == [], f"{name}: the title gives it away"
    assert not STRIPE_ID.search(title) and [c for c in check_ids() if c in title] == []


@pytest.mark.parametrize("name", NAMES)
def test_the_answer_names_the_step_and_the_check_that_finds_it(name: str) -> None:
    scenario = load_scenario(name)
    mode = scenario.key_info(scenario.primary_key).mode  # type: ignore[union-attr]
    found = [c for c in checks() if scenario.expect.get(c.id) in PROBLEMS]
    if not found:
        assert "every check passes" in scenario.answer.lower(), name
        return
    named = [c for c in found if c.display_title(mode) in scenario.answer]
    assert named, f"{name}: the answer names none of {[c.id for c in found]}"
    numbers = {s.id: (i, s.title) for i, s in enumerate(steps(), start=1)}
    assert any(scenario.answer.startswith("Step {}, {}:".format(*numbers[c.step])) for c in named), name
    assert "trainee" not in scenario.answer.lower()


def test_the_list_is_in_title_order_and_carries_both_texts() -> None:
    infos = list_scenarios()
    assert [i.title.casefold() for i in infos] == sorted(i.title.casefold() for i in infos)
    assert [i.name for i in infos] != NAMES  # the internal names order something else
    assert {i.name for i in infos} == set(NAMES)
    for info in infos:
        assert (info.complaint, info.answer) == (raw(info.name)["complaint"], raw(info.name)["answer"])


def test_demo_list_goes_by_title_with_the_complaint_and_never_the_answer() -> None:
    code, out, _ = cli(["--demo", "list"])
    assert code == 0
    infos = list_scenarios()
    flat = " ".join(out.split())
    positions = [out.index(f"\n{info.title}\n  --demo {info.name}\n") for info in infos]
    assert positions == sorted(positions)
    for info in infos:
        assert f"“{info.complaint}”" in flat
        assert info.answer not in flat


def test_the_window_command_lists_too_instead_of_opening_an_account_called_list() -> None:
    env = {**os.environ, "DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "--demo", "list"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "--demo healthy" in done.stdout, done.stderr
