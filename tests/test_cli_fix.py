"""`python main.py fix`: the plan, `--apply SEL --yes` and `--undo CHANGE_ID --yes`, over real HTTP
to practice accounts: exactly the planned writes, the check passes after, undo restores the
objects field for field, and every refusal writes nothing and says why."""

from __future__ import annotations

import copy
import io
import json
from typing import Any

import pytest
from support.fix_cli import fix_cli
from support.practice import practice

from assistant.cli.main import build_parser, run_diagnose
from assistant.practice import PracticeServer
from assistant.store.history import HistoryStore

RETURN_URL = "https://app.practice.example/billing"
HOOK_URL = "https://app.practice.example/stripe/portal-hooks"


@pytest.fixture(autouse=True)
def _own_history(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test records its changes in a history of its own (other tests read the shared one)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def diagnose_json(server: PracticeServer, key: str | None = None) -> dict[str, Any]:
    out = io.StringIO()
    args = build_parser().parse_args(["diagnose", "--format", "json", "--no-history", "--api-base", server.base_url])
    environ = {"STRIPE_API_KEY": key or server.scenario.primary_key}
    run_diagnose(args, stdin=io.StringIO(""), stdout=out, environ=environ)
    return json.loads(out.getvalue())


def status_of(data: dict[str, Any], check_id: str) -> str:
    return next(c["status"] for c in data["checks"] if c["id"] == check_id)


def without_updated(objs: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Stripe sets `updated` itself on every write; everything else must be as planned."""
    return {k: {f: v for f, v in o.items() if f != "updated"} for k, o in objs.items()}


def get_path(obj: dict[str, Any], dotted: str) -> Any:
    for part in dotted.split("."):
        obj = obj[part]
    return obj


def drop_path(obj: dict[str, Any], dotted: str) -> None:
    *parents, leaf = dotted.split(".")
    for part in parents:
        obj = obj[part]
    obj.pop(leaf, None)


CASES = [
    ("archived_product", "portal.products", [], None),  # the first choice: restore the product
    ("archived_product", "portal.products", [], "portal.products.remove_product"),
    ("inactive_price", "portal.products", [], None),  # the first choice: restore the price
    ("inactive_price", "portal.products", [], "portal.products.remove_price"),
    ("no_return_url", "portal.return_url", ["--return-url", RETURN_URL], None),
    ("webhook_events_missing", "webhooks.events", [], None),
    ("features_off", "portal.features", [], None),
    ("no_webhooks", "webhooks.events", ["--webhook-url", HOOK_URL], None),
]


def objects(server: PracticeServer, mode: str = "test") -> dict[str, dict[str, Any]]:
    """Every configuration, webhook endpoint, product and price of the mode, by id, as the server holds them."""
    return {o["id"]: o for c in ("configurations", "webhook_endpoints", "products", "prices")
            for o in server.store.objects(mode, c)}


@pytest.mark.parametrize("name,check_id,inputs,selection", CASES)
def test_apply_makes_the_check_pass_with_only_the_planned_writes_and_undo_restores(
        name: str, check_id: str, inputs: list[str], selection: str | None) -> None:
    with practice(name) as (_, server):
        assert status_of(diagnose_json(server), check_id) in ("fail", "warn")
        code, out, _ = fix_cli(["--format", "json", *inputs], server)
        plan = json.loads(out)
        fixes = [f for f in plan["fixes"] if f["check"] == check_id
                 and (f["id"] == selection if selection else f["preferred"])]
        assert code == 0 and len(fixes) == 1 and fixes[0]["kind"] == "api" and fixes[0]["needs"] == []
        assert server.writes == []  # planning writes nothing
        original = objects(server)

        code, out, err = fix_cli(["--apply", selection or check_id, "--yes", "--format", "json", *inputs],
                                 server)
        result = json.loads(out)
        assert code == 0, err
        [applied] = result["applied"]
        assert applied["status"] == "applied" and applied["error"] is None and applied["request_ids"]
        assert status_of(result, check_id) == "pass"
        planned = [(r["method"], r["path"]) for r in fixes[0]["requests"]]
        assert [w[:2] for w in server.writes] == planned  # exactly the planned POSTs, no other write
        assert status_of(diagnose_json(server), check_id) == "pass"  # the next diagnose agrees

        after = objects(server)
        changed = {c["object"] for c in fixes[0]["changes"] if c["object"]}
        for object_id, before in original.items():  # nothing outside the plan moved
            now, expect = copy.deepcopy(after[object_id]), copy.deepcopy(before)
            if object_id in changed:
                now.pop("updated", None)
                expect.pop("updated", None)
                for c in fixes[0]["changes"]:
                    if get_path(after[object_id], c["field"]) is not None:
                        drop_path(now, c["field"])
                        drop_path(expect, c["field"])
            assert now == expect, object_id
        created = [after[i] for i in set(after) - set(original)]
        assert len(created) == len({c["object"] for c in fixes[0]["changes"] if c["object"] is None})
        for obj in created:
            assert all(obj[c["field"]] == c["after"] for c in fixes[0]["changes"]) and "secret" not in obj

        code, out, err = fix_cli(["--undo", applied["change_id"], "--yes", "--format", "json"], server)
        assert code == 0, err
        undone = json.loads(out)["applied"][0]
        assert undone["status"] == "applied" and undone["change_id"] != applied["change_id"]
        assert without_updated(objects(server)) == without_updated(original)  # field for field
        assert status_of(diagnose_json(server), check_id) in ("fail", "warn")


def test_the_history_keeps_each_change_and_its_undo() -> None:
    with practice("no_return_url") as (_, server):
        code, out, _ = fix_cli(["--apply", "portal.return_url", "--return-url", RETURN_URL, "--yes",
                                "--format", "json"], server)
        change_id = json.loads(out)["applied"][0]["change_id"]
        store = HistoryStore(HistoryStore.default_path())
        change = store.change(change_id)
        assert (change.field, change.before, change.after) == ("default_return_url", None, RETURN_URL)
        assert change.summary == "return URL set" and change.request_ids and change.run_uid
        assert "sk_test" not in json.dumps(change.to_dict())
        fix_cli(["--undo", change_id, "--yes"], server)
        undo = store.change(store.change(change_id).undone_by or "")
        assert (undo.before, undo.after, undo.undo_of) == (RETURN_URL, None, change_id)
        code, _, err = fix_cli(["--undo", change_id, "--yes"], server)
        assert code == 2 and "already undone" in err


def test_without_yes_nothing_is_sent_at_all() -> None:
    with practice("no_return_url") as (_, server):
        code, _, err = fix_cli(["--apply", "all", "--return-url", RETURN_URL], server)
        assert code == 2 and "--yes" in err and "nothing was written" in err
        assert server.request_log == []


def test_a_fix_needing_an_input_not_given_writes_nothing_and_names_the_flag() -> None:
    with practice("no_return_url") as (_, server):
        code, _, err = fix_cli(["--apply", "portal.return_url", "--yes"], server)
        assert code == 2 and "--return-url URL" in err and "nothing was written" in err
        code, _, err = fix_cli(["--apply", "portal.return_url", "--return-url", "app.example/billing", "--yes"],
                               server)
        assert code == 2 and "would not pass the check" in err
        assert server.writes == [] and server.write_attempts == []


def test_a_guided_fix_says_what_the_owner_must_do() -> None:
    with practice("portal_never_saved") as (_, server):
        code, out, _ = fix_cli(["--format", "json"], server)
        [fix] = json.loads(out)["fixes"]
        assert fix["kind"] == "guided" and fix["requests"] == []
        assert fix["dashboard_url"] == "https://dashboard.stripe.com/test/settings/billing/portal" and fix["steps"]
        code, _, err = fix_cli(["--apply", "portal.configuration", "--yes"], server)
        assert code == 2 and "done by the owner" in err and "settings/billing/portal" in err
        assert server.write_attempts == []


def test_unknown_selections_list_the_fixes_of_the_plan() -> None:
    with practice("archived_product") as (_, server):
        code, _, err = fix_cli(["--apply", "portal.nope", "--yes"], server)
        assert code == 2 and "portal.products.restore_product, portal.products.remove_product" in err
        code, _, err = fix_cli(["--apply", "portal.return_url", "--yes"], server)
        assert code == 2 and "has no fix to apply" in err
        assert server.write_attempts == []


def test_live_mode_needs_the_account_id_to_confirm() -> None:
    with practice("live_http_return_url") as (scenario, server):
        account = scenario.account["id"]
        base = ["--apply", "portal.return_url", "--return-url", "https://app.practice.example/account", "--yes"]
        code, _, err = fix_cli(base, server)
        assert code == 2 and f"--live-confirm {account}" in err and "live mode" in err
        code, _, err = fix_cli([*base, "--live-confirm", "acct_someone_else"], server)
        assert code == 2 and server.write_attempts == []
        code, out, err = fix_cli([*base, "--live-confirm", account, "--format", "json"], server)
        assert code == 0, err
        change_id = json.loads(out)["applied"][0]["change_id"]
        code, _, err = fix_cli(["--undo", change_id, "--yes"], server)
        assert code == 2 and "--live-confirm" in err
        assert fix_cli(["--undo", change_id, "--yes", "--live-confirm", account], server)[0] == 0


def test_a_read_only_key_gets_stripes_refusal_with_the_permission_and_nothing_half_done() -> None:
    with practice("read_only_key") as (_, server):
        original = objects(server)
        code, out, _ = fix_cli(["--apply", "all", "--return-url", RETURN_URL, "--yes", "--format", "json"], server)
        [failed] = json.loads(out)["applied"]
        assert code == 1 and failed["status"] == "failed" and failed["change_id"] is None
        assert "Customer portal: Write" in failed["error"]["message"]
        assert failed["error"]["permission"] == "rak_billing_portal_write" and failed["error"]["request_id"]
        code, out, _ = fix_cli(["--apply", "all", "--return-url", RETURN_URL, "--yes"], server)
        assert code == 1 and "Nothing was changed" in out and "Customer portal: Write" in out
        assert server.writes == [] and objects(server) == original


def test_a_500_on_the_first_post_is_retried_with_the_same_key_and_applied_once() -> None:
    with practice("no_return_url") as (_, server):
        server.inject_fault("/v1/billing_portal/configurations/", kind="status", status=500, method="POST")
        code, out, err = fix_cli(["--apply", "portal.return_url", "--return-url", RETURN_URL, "--yes",
                                  "--format", "json"], server)
        assert code == 0, err
        attempts = server.write_attempts
        assert len(attempts) == 2 and attempts[0] == attempts[1] and attempts[0][2]
        assert len(server.writes) == 1
        change_id = json.loads(out)["applied"][0]["change_id"]
        store = HistoryStore(HistoryStore.default_path())
        assert len(store.change_batch(change_id)) == 1


def test_an_undo_over_a_later_change_is_refused() -> None:
    with practice("no_return_url") as (_, server):
        code, out, _ = fix_cli(["--apply", "portal.return_url", "--return-url", RETURN_URL, "--yes",
                                "--format", "json"], server)
        change_id = json.loads(out)["applied"][0]["change_id"]
        fix_cli(["--apply", "portal.return_url", "--return-url", RETURN_URL, "--yes"], server)  # passes now: no fix
        conf = server.store.objects("test", "configurations")[0]
        conf["default_return_url"] = "https://owner-changed-it.example/"
        server.store.put("test", "configurations", conf)
        writes = len(server.writes)
        code, _, err = fix_cli(["--undo", change_id, "--yes"], server)
        assert code == 2 and "has changed since" in err and len(server.writes) == writes


def test_copying_test_settings_to_live_matches_products_and_needs_confirmation() -> None:
    with practice("parity_mismatch") as (scenario, server):
        env = {"LIVE_KEY": scenario.second_key or ""}
        code, out, _ = fix_cli(["--live-key-env", "LIVE_KEY", "--format", "json"], server, env=env)
        [fix] = [f for f in json.loads(out)["fixes"] if f["check"] == "parity.test_live"]
        assert fix["mode"] == "live" and fix["kind"] == "api"
        fields = {c["field"] for c in fix["changes"]}
        assert "features.subscription_update.products" in fields
        products = next(c for c in fix["changes"] if c["field"] == "features.subscription_update.products")
        assert [e["product"] for e in products["after"]] == [e["product"] for e in server.store.objects(
            "test", "configurations")[0]["features"]["subscription_update"]["products"]]
        code, _, err = fix_cli(["--live-key-env", "LIVE_KEY", "--apply", "parity.test_live", "--yes"], server, env=env)
        assert code == 2 and "--live-confirm" in err
        code, out, err = fix_cli(["--live-key-env", "LIVE_KEY", "--apply", "parity.test_live", "--yes",
                                  "--live-confirm", scenario.account["id"], "--format", "json"], server, env=env)
        assert code == 0, err
        assert status_of(json.loads(out), "parity.test_live") == "pass"
        assert [w[1] for w in server.writes] == [fix["requests"][0]["path"]]


def test_the_plan_and_apply_json_follow_the_contract() -> None:
    with practice("archived_product") as (_, server):
        _, out, _ = fix_cli(["--format", "json"], server)
        plan = json.loads(out)
        assert set(plan) >= {"schema", "mode", "account", "key", "fixes"} and plan["schema"] == 1
        assert plan["key"].startswith("sk_test_…") and plan["account"]["id"].startswith("acct_")
        fix = plan["fixes"][0]
        assert set(fix) >= {"id", "check", "title", "kind", "requests", "changes", "needs"}
        assert set(fix["requests"][0]) == {"method", "path", "params"}
        assert set(fix["changes"][0]) >= {"object", "field", "before", "after"}
        _, out, _ = fix_cli(["--apply", fix["id"], "--yes", "--format", "json"], server)
        result = json.loads(out)
        assert set(result) >= {"schema", "mode", "applied", "checks"}
        assert set(result["applied"][0]) >= {"fix", "check", "change_id", "status", "request_ids", "error"}
        assert [c["id"] for c in result["checks"]] == [c["id"] for c in diagnose_json(server)["checks"]]


@pytest.mark.parametrize("name", ["archived_product", "no_return_url", "features_off", "no_webhooks",
                                  "parity_mismatch", "portal_never_saved", "read_only_key"])
def test_diagnose_stays_read_only(name: str) -> None:
    with practice(name) as (_, server):
        diagnose_json(server)
        assert server.write_attempts == [] and {m for m, *_ in server.request_log} == {"GET"}


def test_hostile_account_data_cannot_reach_the_terminal_raw() -> None:
    with practice("archived_product") as (_, server):
        products = server.store.data["test"]["products"]
        for p in products:
            p["name"] = "Basic\x1b]8;;https://evil.example\x07\x1b[31mFREE\u202e"
        code, out, _ = fix_cli([], server)
        assert code == 0 and "FREE" in out
        assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
        _, out, _ = fix_cli(["--format", "json"], server)
        assert "\u202e" not in out and "\\u202e" in out and json.loads(out)["fixes"]


def test_a_disabled_endpoint_is_switched_back_on_and_off_again_by_undo() -> None:
    with practice("undelivered_webhooks") as (_, server):
        disabled = [e["id"] for e in server.store.objects("test", "webhook_endpoints") if e["status"] == "disabled"]
        code, out, err = fix_cli(["--apply", "webhooks.delivery", "--yes", "--format", "json"], server)
        result = json.loads(out)
        assert code == 0, err
        [applied] = result["applied"]
        endpoint = server.store.find("test", "webhook_endpoints", disabled[0])
        assert endpoint is not None and endpoint["status"] == "enabled"
        assert server.writes == [("POST", f"/v1/webhook_endpoints/{disabled[0]}", server.writes[0][2])]
        code, _, err = fix_cli(["--undo", applied["change_id"], "--yes"], server)
        assert code == 0, err
        assert (server.store.find("test", "webhook_endpoints", disabled[0]) or {})["status"] == "disabled"


def test_configurations_without_a_default_get_the_guided_save() -> None:
    with practice("only_non_default_configurations") as (_, server):
        code, out, _ = fix_cli(["--format", "json"], server)
        [fix] = [f for f in json.loads(out)["fixes"] if f["check"] == "portal.configuration"]
        assert fix["kind"] == "guided" and "none is the default" in fix["summary"]


def test_stripe_unreachable_while_applying_exits_3_and_records_nothing() -> None:
    with practice("no_return_url") as (_, server):
        server.inject_fault("/v1/billing_portal/configurations/", kind="reset", times=10, method="POST")
        code, out, _ = fix_cli(["--apply", "portal.return_url", "--return-url", RETURN_URL, "--yes",
                                "--format", "json"], server)
        [failed] = json.loads(out)["applied"]
        assert code == 3 and failed["status"] == "failed" and failed["change_id"] is None
        assert server.writes == [] and HistoryStore(HistoryStore.default_path()).changes() == []


def test_the_business_profile_links_need_both_addresses_then_are_set_and_undone() -> None:
    with practice("missing_business_information") as (_, server):
        code, _, err = fix_cli(["--apply", "portal.business_profile", "--yes",
                                "--privacy-url", "https://www.northwindyoga.studio/privacy"], server)
        assert code == 2 and "--terms-url URL" in err and server.writes == []
        code, _, err = fix_cli(["--apply", "portal.business_profile", "--yes", "--privacy-url",
                                "https://www.northwindyoga.studio/privacy", "--terms-url", "http://practice.example/t"],
                               server)
        assert code == 2 and "https://" in err and server.writes == []
        code, _, err = fix_cli(["--apply", "portal.business_profile", "--yes", "--privacy-url",
                                "https://example.com/privacy", "--terms-url", "https://www.northwindyoga.studio/t"],
                               server)
        assert code == 2 and "placeholder" in err and server.writes == []
        original = objects(server)
        code, out, err = fix_cli(["--apply", "portal.business_profile", "--yes", "--format", "json",
                                  "--privacy-url", "https://www.northwindyoga.studio/privacy",
                                  "--terms-url", "https://www.northwindyoga.studio/terms"], server)
        # The links are set; the public business name is the owner's to fill in, so the check still warns.
        assert code == 0, err
        conf = server.store.objects("test", "configurations")[0]
        assert conf["business_profile"]["privacy_policy_url"] == "https://www.northwindyoga.studio/privacy"
        assert conf["business_profile"]["terms_of_service_url"] == "https://www.northwindyoga.studio/terms"
        change_id = json.loads(out)["applied"][0]["change_id"]
        assert fix_cli(["--undo", change_id, "--yes"], server)[0] == 0
        assert without_updated(objects(server)) == without_updated(original)


def _offered_again(server: PracticeServer, object_id: str) -> bool:
    """The archived price (or product) is active and still on the plan list: customers can pick it."""
    conf = next(c for c in server.store.objects("test", "configurations") if c["is_default"])
    entries = conf["features"]["subscription_update"]["products"]
    listed = {e["product"] for e in entries} | {p for e in entries for p in e["prices"]}
    kind = "prices" if object_id.startswith("price_") else "products"
    return object_id in listed and (server.store.find("test", kind, object_id) or {}).get("active") is True


@pytest.mark.parametrize("name,kind,index,restore", [
    ("inactive_price", "prices", 3, "portal.products.restore_price"),  # Pro Yearly
    ("archived_product", "products", 0, "portal.products.restore_product"),  # Basic
])
def test_restoring_answers_the_complaint_and_undo_archives_it_again(name: str, kind: str, index: int,
                                                                    restore: str) -> None:
    with practice(name) as (scenario, server):
        archived = scenario.data["test"][kind][index]["id"]
        assert not _offered_again(server, archived)
        code, out, err = fix_cli(["--apply", "all", "--yes", "--format", "json"], server)
        assert code == 0, err
        [applied] = json.loads(out)["applied"]
        assert applied["fix"] == restore and status_of(json.loads(out), "portal.products") == "pass"
        assert _offered_again(server, archived), "the check passes but customers still cannot pick the plan"
        assert [w[:2] for w in server.writes] == [("POST", f"/v1/{kind}/{archived}")]
        code, _, err = fix_cli(["--undo", applied["change_id"], "--yes"], server)
        assert code == 0, err
        assert (server.store.find("test", kind, archived) or {}).get("active") is False
        assert status_of(diagnose_json(server), "portal.products") == "fail"


def test_the_plan_lists_each_choice_with_what_it_means_for_customers_in_the_owners_words() -> None:
    with practice("inactive_price") as (_, server):
        code, out, _ = fix_cli([], server)
        assert code == 0
        assert "Choice 1 of 2 for the same problem" in out and "Choice 2 of 2" in out
        assert "For customers: Customers can move to Pro Yearly (290.00 USD / year) again" in out
        assert "Switch plan: products and prices" in out
        assert "− Pro: Pro Yearly — 290.00 USD / year (removed)" in out
        assert "Ids: portal configuration bpc_" in out  # ids kept, in their own line
        code, out, _ = fix_cli(["--format", "json"], server)
        fixes = json.loads(out)["fixes"]
        assert [(f["id"], f["preferred"], f["alternatives"]) for f in fixes] == [
            ("portal.products.restore_price", True, ["portal.products.remove_price"]),
            ("portal.products.remove_price", False, ["portal.products.restore_price"])]
        assert fixes[0]["for_customer"] and fixes[0]["group"] == fixes[1]["group"]
        assert fixes[1]["changes"][0]["label"] == "Switch plan: products and prices"
        assert fixes[1]["changes"][0]["after"][1]["prices"] == [
            p for p in fixes[1]["changes"][0]["before"][1]["prices"] if p != fixes[0]["changes"][0]["object"]]


def test_two_choices_for_one_problem_are_refused_and_nothing_is_written() -> None:
    with practice("inactive_price") as (_, server):
        code, _, err = fix_cli(["--apply", "portal.products.restore_price", "--apply", "portal.products.remove_price",
                                "--yes"], server)
        assert code == 2 and "two ways to repair the same thing" in err and "nothing was written" in err
        assert server.write_attempts == []


def test_an_active_price_of_the_same_period_can_take_the_archived_ones_place() -> None:
    with practice("inactive_price") as (scenario, server):
        archived = scenario.data["test"]["prices"][3]
        newer = {**copy.deepcopy(archived), "id": "price_1PrcProYearly2026Abcdef", "active": True,
                 "nickname": "Pro Yearly 2026", "unit_amount": 30000, "unit_amount_decimal": "30000",
                 "created": archived["created"] + 1000}
        server.store.put("test", "prices", newer)  # the owner made a new yearly price and archived the old one
        code, out, _ = fix_cli([], server)
        assert "Offer Pro Yearly 2026 (300.00 USD / year) instead of the archived Pro Yearly" in out
        assert "+ Pro: Pro Yearly 2026 — 300.00 USD / year (added)" in out
        code, out, err = fix_cli(["--apply", "portal.products.replace_price", "--yes", "--format", "json"], server)
        assert code == 0, err
        assert _offered_again(server, newer["id"]) and not _offered_again(server, archived["id"])
        conf = next(c for c in server.store.objects("test", "configurations") if c["is_default"])
        entries = conf["features"]["subscription_update"]["products"]
        pro = next(e for e in entries if e["product"] == archived["product"])
        assert pro["prices"][-1] == newer["id"]  # in the archived one's place
        change_id = json.loads(out)["applied"][0]["change_id"]
        assert fix_cli(["--undo", change_id, "--yes"], server)[0] == 0
        assert not _offered_again(server, newer["id"])
