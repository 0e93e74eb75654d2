"""One declaration of the Dashboard's names for the fields a fix changes
(`resources/stripe/dashboard_fields.json`): the fix preview, the ticket note and History name a
field alike, and every field a planned fix can change has a name there.

An owner told "features.subscription_update.products changed" cannot find the setting; one told
"Switch plan: products and prices" in the preview and "Products customers can switch to" in the
ticket note wonders whether two things changed.
"""

from __future__ import annotations

import asyncio

import pytest
from support.practice import diagnoser_for, practice, scenario_request

from assistant.account.gateway import StripeGateway
from assistant.diagnosis.fix_runner import FixRunner
from assistant.diagnosis.fixes import parity
from assistant.diagnosis.fixes.display import change_line, preview
from assistant.diagnosis.fixes.fields import CONFIGURATION, PRICE, PRODUCTS_FIELD, WEBHOOK_ENDPOINT
from assistant.diagnosis.fixes.model import FieldChange, FixInputs
from assistant.knowledge.dashboard_fields import declared
from assistant.practice.scenarios import list_scenarios
from assistant.report.call_changes import MadeChange
from assistant.report.call_changes import change_line as note_line
from assistant.store.records import AccountChange
from assistant.store.summaries import change_detail

SCENARIOS = [info.name for info in list_scenarios()]
INPUTS = FixInputs(return_url="https://app.practice.example/billing",
                   webhook_url="https://app.practice.example/stripe/hooks",
                   privacy_url="https://www.northwindyoga.studio/privacy",
                   terms_url="https://www.northwindyoga.studio/terms")


async def _planned_changes(name: str) -> list[FieldChange]:
    """Every change of every fix the planner makes for this practice account, with every input
    a fix can ask for typed."""
    with practice(name) as (scenario, server):
        def gateway(key: str, *, connected_account: str | None = None) -> StripeGateway:
            return StripeGateway(key, api_base=server.base_url, connected_account=connected_account)

        planned = await FixRunner(diagnoser_for(server), gateway).plan(scenario_request(scenario), INPUTS)
    return [change for fix in planned.plan.fixes for change in fix.changes]


def test_the_practice_accounts_plan_fixes_of_every_kind() -> None:
    """The walk below means something only if the accounts reach the planners that write."""
    kinds = {(c.object_kind, c.field) for name in ("inactive_price", "no_return_url", "no_webhooks")
             for c in asyncio.run(_planned_changes(name))}
    assert (PRICE, "active") in kinds and (CONFIGURATION, "default_return_url") in kinds
    assert any(kind == WEBHOOK_ENDPOINT for kind, _ in kinds)


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_field_a_planned_fix_changes_has_a_dashboard_name(name: str) -> None:
    unnamed = {(c.object_kind, c.field) for c in asyncio.run(_planned_changes(name))
               if declared(c.field, c.object_kind) is None}
    assert unnamed == set()


def test_every_setting_the_test_to_live_copy_can_change_has_a_dashboard_name() -> None:
    """The copy writes whichever of these differ, so no practice account shows them all."""
    fields = [field for _, field in parity.FIELDS] + [PRODUCTS_FIELD]
    assert [f for f in fields if declared(f, CONFIGURATION) is None] == []


@pytest.mark.parametrize(("field", "kind", "object_id", "name"), [
    (PRODUCTS_FIELD, CONFIGURATION, "bpc_1Conf", "Switch plan: products and prices"),
    ("features.payment_method_update.enabled", CONFIGURATION, "bpc_1Conf",
     "Allow customers to update their payment methods"),
    ("status", WEBHOOK_ENDPOINT, "we_1Hook", "Endpoint status"),
    ("active", PRICE, "price_1Pro", "Price price_1Pro"),
])
def test_the_preview_the_ticket_note_and_history_name_a_field_alike(field: str, kind: str, object_id: str,
                                                                      name: str) -> None:
    before, after = (False, True) if field != "status" else ("disabled", "enabled")
    if field == PRODUCTS_FIELD:
        before, after = [{"product": "prod_1", "prices": ["price_1"]}], []
    shown = preview(FieldChange(object_id, field, before, after, kind))
    assert shown.label == name
    assert change_line(FieldChange(object_id, field, before, after, kind)).startswith(f"{name}: ")
    made = MadeChange(field=field, before=before, after=after, applied_at="2026-12-06T10:16:00+00:00",
                      object_id=object_id, mode="test")
    line = note_line(made, day="2026-12-06T10:20:00+00:00")
    assert line.startswith(f"10:16 UTC: {name}: ") and f"({field} of " in line
    recorded = AccountChange(id=1, change_uid="c1", account_id="acct_1", field=field, before=before,
                             after=after, applied_at="2026-12-06T10:16:00Z", agent="Sam", object_id=object_id)
    assert change_detail(recorded).startswith(f"{name} ({field}): ")


def test_history_says_a_field_without_a_name_as_stripe_spells_it() -> None:
    recorded = AccountChange(id=1, change_uid="c1", account_id="acct_1", field="metadata.note", before=None,
                             after="x", applied_at="2026-12-06T10:16:00Z", agent="Sam", object_id="bpc_1")
    assert change_detail(recorded) == "metadata.note: (empty) → x"
