"""Practice subscriptions and schedules date what lies ahead from when the account is served
(`<field>_from_now`), so a pending cancellation or a scheduled downgrade is still ahead on any
day the tests or a trainee run it."""

from __future__ import annotations

import json
import urllib.request

from assistant.practice.scenarios import date_from_now, load_scenario
from assistant.practice.server import PracticeServer

DAY = 86400
START = 1_765_000_000


def _get(server: PracticeServer, path: str, key: str) -> dict:
    request = urllib.request.Request(server.base_url + path, headers={"Authorization": f"Bearer {key}"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read())


def test_the_loader_keeps_stripes_fields_until_the_server_dates_them() -> None:
    sub = load_scenario("flexible_cancellation").data["test"]["subscriptions"][0]
    assert sub["cancel_at"] is None and sub["cancel_at_from_now"] == 19 * DAY
    assert sub["items"]["data"][0]["current_period_end_from_now"] == 19 * DAY


def test_the_server_dates_them_from_its_start_at_any_depth() -> None:
    scenario = load_scenario("portal_downgrade")
    with PracticeServer(scenario) as server:
        server.store.started = START
        server.store.reset()
        customer = _get(server, "/v1/customers/cus_6xSYYFpYc5wPHe?expand[]=subscriptions&"
                                "expand[]=subscriptions.data.schedule", scenario.primary_key)
    sub = customer["subscriptions"]["data"][0]
    phases = sub["schedule"]["phases"]
    assert [(p["start_date"], p["end_date"]) for p in phases] == [
        (START - 18 * DAY, START + 12 * DAY), (START + 12 * DAY, START + 42 * DAY)]
    assert sub["items"]["data"][0]["current_period_end"] == START + 12 * DAY
    assert "_from_now" not in json.dumps(customer)


def test_a_negative_offset_is_in_the_past() -> None:
    node = {"a": [{"transitioned_at_from_now": -5}], "b": {"resumes_at": None, "resumes_at_from_now": 7}}
    date_from_now(node, 100)
    assert node == {"a": [{"transitioned_at": 95}], "b": {"resumes_at": 107}}
