"""Status counts, Stripe's error, the account's name and the live-mode test each exist once:
every view says them the same way, and no module grows its own copy."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import assistant
from assistant.account.errors import StripeErrorInfo
from assistant.account.keys import classify_key
from assistant.account.snapshot import Fetched, Snapshot
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.checks.registry import run_check
from assistant.diagnosis.model import CheckResult, Status
from assistant.diagnosis.run import account_info
from assistant.diagnosis.status import counts_text, status_counts
from assistant.report.render import render
from assistant.report.sample import sample_diagnosis
from assistant.report.stripe_said import stripe_said_line
from assistant.report.text import render_text
from assistant.report.text_style import TextStyle

PACKAGE = Path(assistant.__file__).resolve().parent
ERROR = StripeErrorInfo("No such price: 'price_x'", code="resource_missing", param="price",
                        request_id="req_once123", http_status=404)


def _sources() -> list[tuple[Path, ast.AST]]:
    return [(p, ast.parse(p.read_text(encoding="utf-8"))) for p in sorted(PACKAGE.rglob("*.py"))]


def test_counts_are_said_worst_first_in_every_report() -> None:
    d = sample_diagnosis(product_name="Pro plan")
    said = counts_text(status_counts(c.status for c in d.checks))
    assert said.startswith("2 FAIL, 1 ERROR")  # worst first, whatever order the checks ran in
    # The terminal says every status, zeros too, so each count always stands in the same place.
    every = counts_text(status_counts(c.status for c in d.checks), " · ", zeros=True)
    assert f"Result: {every}." in render_text(d, style=TextStyle(width=200))
    for fmt in ("markdown", "html"):  # the ticket note says the counts the terminal's way
        assert every in render(d, fmt), fmt
    assert counts_text({"pass": 2, "fail": 1}, " · ") == "1 FAIL · 2 PASS"  # history's str keys
    assert counts_text({"pass": 2, "fail": 1}, " · ", zeros=True) == "1 FAIL · 0 ERROR · 0 WARN · 2 PASS · 0 SKIP"
    assert counts_text({}, zeros=True, none="no checks ran") == "no checks ran"


@pytest.mark.parametrize("fmt", ["markdown", "html", "text"])
def test_stripes_error_shows_every_field_it_gave_in_every_format(fmt: str) -> None:
    d = sample_diagnosis()
    checks = (CheckResult("key.accepted", "Stripe accepts the key", Status.FAIL, "Refused.",
                          stripe_error=ERROR),)
    d = d.__class__(**{**d.__dict__, "checks": checks})
    out = render_text(d) if fmt == "text" else render(d, fmt)
    for value in (ERROR.message.replace("'", "&#39;") if fmt == "html" else ERROR.message,
                  "resource_missing", "price", "req_once123"):
        assert value in out, (fmt, value)
    assert "Stripe said" in out


def test_the_one_line_form_names_code_param_and_request() -> None:
    assert stripe_said_line(ERROR) == (
        "Stripe said: No such price: 'price_x' (code resource_missing, param price, request req_once123)")
    assert stripe_said_line(StripeErrorInfo("Could not connect")) == "Stripe said: Could not connect"


def test_no_other_module_words_stripes_error_itself() -> None:
    writers = [p.name for p, tree in _sources() if any(
        isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value.startswith("Stripe said")
        for n in ast.walk(tree))]
    assert writers == ["stripe_said.py"], writers


def test_the_account_is_called_the_same_in_the_title_and_in_key_accepted() -> None:
    account = {"id": "acct_1", "business_profile": {"name": "Coffee Co."},
               "settings": {"dashboard": {"display_name": "coffee-internal"}}}
    snap = Snapshot(key=classify_key("sk_test_" + "x" * 24), account=Fetched(account),
                    configurations=Fetched([]), webhook_endpoints=Fetched([]),
                    products=Fetched({}), prices=Fetched({}))
    info = account_info(snap)
    assert info is not None and info.name == "Coffee Co."
    accepted = run_check("key.accepted", CheckContext(snapshot=snap))
    identified = accepted.with_code("account.identified")
    assert identified and identified[0].subject is not None
    assert identified[0].subject.name == info.name
    assert any("Coffee Co." in d for d in accepted.details)


def test_live_mode_is_tested_in_one_place() -> None:
    """`mode == "live"` (or != ) is written once, in account/keys.py; all else asks is_live().
    The practice server is left out: it plays Stripe, whose `livemode` it simulates."""
    found = []
    for path, tree in _sources():
        if path.relative_to(PACKAGE).parts[0] == "practice":
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Compare):
                continue
            sides = [node.left, *node.comparators]
            live = any(isinstance(s, ast.Constant) and s.value == "live" for s in sides)
            mode = any((isinstance(s, ast.Name) and s.id == "mode")
                       or (isinstance(s, ast.Attribute) and s.attr == "mode") for s in sides)
            if live and mode:
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert found == [f"account/keys.py:{_keys_line()}"], found


def _keys_line() -> int:
    source = (PACKAGE / "account" / "keys.py").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(source, 1) if 'return mode == "live"' in line)
