"""The findings model: every check says what it found as data, declared once, valid JSON."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from support.practice import run_scenario
from support.scenarios import all_scenarios
from support.stripe_objects import configuration, context, healthy_snapshot, ok

import assistant
from assistant.diagnosis.checks.registry import run_check, run_checks
from assistant.diagnosis.model import Finding, Status, Subject
from assistant.knowledge import checklist
from assistant.practice.scenarios import list_scenarios
from assistant.report.redaction import RedactionOptions, redact_check
from assistant.report.schema import diagnose_schema

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path(assistant.__file__).resolve().parent


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = diagnose_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


# --------------------------------------------------------------------------- the JSON contract


@pytest.mark.parametrize("name", [info.name for info in list_scenarios()])
async def test_every_practice_account_prints_schema_valid_findings(name: str, validator) -> None:
    outcome = await run_scenario(name)
    data = json.loads(json.dumps(outcome.diagnosis.to_dict()))
    validator.validate(data)
    for check in data["checks"]:
        assert check["findings"], check["id"]
        assert check["findings"][0]["status"] == check["status"], check["id"]


def test_every_unit_scenario_gives_schema_valid_checks(validator) -> None:
    check_schema = {"$defs": validator.schema["$defs"], "$ref": "#/$defs/check"}
    checks = jsonschema.Draft202012Validator(check_schema)
    for _mode, _name, ctx in all_scenarios():
        for result in run_checks(ctx):
            checks.validate(json.loads(json.dumps(result.to_dict())))


def test_the_schema_refuses_an_undeclared_finding_code_and_a_check_without_findings(validator) -> None:
    result = run_check("portal.return_url", context(healthy_snapshot("test")))
    data = result.to_dict()
    check_schema = {"$defs": validator.schema["$defs"], "$ref": "#/$defs/check"}
    jsonschema.Draft202012Validator(check_schema).validate(data)
    bad_code = {**data, "findings": [{**data["findings"][0], "code": "return_url.made_up"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(check_schema).validate(bad_code)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(check_schema).validate({**data, "findings": []})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(check_schema).validate({**data, "id": "portal.made_up"})


def test_findings_md_lists_every_code_and_is_up_to_date() -> None:
    generated = subprocess.run(
        [sys.executable, "-m", "assistant.report.findings_doc"], capture_output=True, text=True,
        cwd=ROOT, check=True,
    ).stdout
    on_disk = (ROOT / "docs" / "findings.md").read_text(encoding="utf-8")
    assert on_disk == generated, "run: python -m assistant.report.findings_doc > docs/findings.md"
    for code in checklist.finding_codes():
        assert f"| `{code}` |" in on_disk, code


# --------------------------------------------------------------------------- what consumers read


def test_an_archived_price_is_named_as_data_not_only_in_a_sentence() -> None:
    from support.scenarios import scenarios

    ctx = dict(scenarios("test"))["archived"]
    result = run_check("portal.products", ctx)
    archived = result.with_code("price.archived")
    assert archived and result.status is Status.FAIL
    price = archived[0]
    assert price.subject is not None and price.subject.kind == "price"
    assert (price.field, price.seen, price.expected) == ("active", False, True)
    product = next(r for r in price.related if r.kind == "product")
    offered = [f for f in result.with_code("catalogue.price_offered") if f.concerns(price.subject.id)]
    assert offered and offered[0].fact("amount") and offered[0].fact("interval")
    assert result.about(product.id)


def test_webhook_events_missing_are_one_finding_each() -> None:
    from support.scenarios import scenarios

    ctx = dict(scenarios("test"))["webhooks_partial"]
    result = run_check("webhooks.events", ctx)
    missing = [f.expected for f in result.with_code("webhook.event_missing")]
    assert missing and result.status is Status.WARN
    assert all(str(event) in result.summary for event in missing)


def test_return_url_missing_points_at_the_configuration_field() -> None:
    snap = healthy_snapshot("test", configurations=ok([configuration(default_return_url=None)]))
    result = run_check("portal.return_url", context(snap))
    assert result.headline is not None and result.headline.code == "return_url.missing"
    assert result.headline.subject is not None
    assert result.headline.subject.kind == "billing_portal.configuration"
    assert result.headline.field == "default_return_url"


def test_a_finding_is_an_immutable_value() -> None:
    facts = {"ids": ["a", "b"]}
    finding = Finding("price.archived", Status.FAIL, Subject("price", "price_1", "Monthly"), facts=facts)
    facts["ids"].append("c")
    assert finding.fact("ids") == ("a", "b")
    with pytest.raises(TypeError):
        finding.facts["x"] = 1
    assert finding.to_dict()["facts"] == {"ids": ["a", "b"]}
    assert finding.is_problem and finding.concerns("price_1") and not finding.concerns("price_2")


def test_redaction_reaches_the_findings() -> None:
    from support.scenarios import scenarios

    result = run_check("customer.email", dict(scenarios("test"))["customer_found"])
    assert "@" in json.dumps(result.to_dict()["findings"])
    masked = redact_check(result, RedactionOptions(mask_emails=True))
    text = json.dumps(masked.to_dict()["findings"])
    email = str(result.headline.fact("email")) if result.headline else ""
    assert email and email not in text and "***@" in text


# --------------------------------------------------------------------------- declared once


def check_id_literals(source: str, ids: set[str]) -> set[str]:
    """The declared check ids written as a whole string literal in one module's source."""
    return {
        node.value for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in ids
    }


def test_the_literal_finder_sees_a_planted_id() -> None:
    ids = set(checklist.check_ids())
    assert check_id_literals('X = "portal.products"\nY = f"{X}"\n', ids) == {"portal.products"}
    assert check_id_literals('"""portal.products: docs may name it."""\n', ids) == set()


def test_no_check_id_is_written_in_more_than_one_python_module() -> None:
    ids = set(checklist.check_ids())
    where: dict[str, list[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for cid in check_id_literals(path.read_text(encoding="utf-8"), ids):
            where.setdefault(cid, []).append(str(path.relative_to(PACKAGE)))
    repeated = {cid: mods for cid, mods in where.items() if len(mods) > 1}
    assert not repeated, repeated


def test_every_declared_check_runs_its_declared_function_under_its_id() -> None:
    ctx = context(healthy_snapshot("test"))
    for declared in checklist.checks():
        assert run_check(declared.id, ctx).id == declared.id
        assert declared.step in checklist.step_ids()


def test_finding_codes_are_unique_and_never_a_check_id() -> None:
    codes = checklist.finding_codes()
    assert len(codes) == len(set(codes))
    assert not set(codes) & set(checklist.check_ids())


def test_a_step_title_is_spelled_once() -> None:
    titles = [s.title for s in checklist.steps()]
    assert len(titles) == len(set(titles)) and all(t.strip() for t in titles)
    assert "report" in checklist.step_ids() and checklist.checks_for_step("report") == ()
