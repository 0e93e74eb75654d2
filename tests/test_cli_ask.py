"""`python main.py ask`: Stripe itself says, flow by flow, what a customer can do in the portal.

Over real HTTP to practice accounts: a healthy customer gets every flow accepted; each refusal
comes back with Stripe's own words and the finding that explains it; a rule the checks do not
know shows as "the checks expected this to work; Stripe refused it"; the only write is one
`POST /v1/billing_portal/sessions` per flow, each with an idempotency key; live mode sends
nothing without the account typed; a key that may not create sessions errors every ask, naming
the permission, and retries none.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest
from support.ask_cli import SESSIONS, ask_cli, by_flow
from support.practice import practice

from assistant.cli import main as cli_main
from assistant.diagnosis.checks.ask_codes import (
    ASK_CANCEL_ONLY,
    ASK_FEATURE_OFF,
    ASK_NO_CHANGE,
    ASK_NO_CONFIGURATION,
    ASK_NOT_ANSWERED,
    ASK_ON_SCHEDULE,
    ASK_PERMISSION_MISSING,
    ASK_PRICE_NOT_OFFERED,
    ASK_REFUSED_UNRECOGNISED,
)
from assistant.report.schema import ask_schema

PRO_MONTHLY = "price_1PrcOLydQ8MlbwO8zsUu9Vwq"  # the practice customer's current price
PRO_YEARLY = "price_1PrcvYfY0crZLwnMFlYzO7Xl"
QUARTERLY = "price_1PrcQuarterlyProAbCdEfGh"  # deep_link_price_not_offered: not on the plan list
UPDATE_OFF = ("This subscription cannot be updated because the subscription update feature in the portal "
              "configuration is disabled.")
NO_CHANGES = "Cannot update the subscription because there are no changes to confirm."
RETURN_URL = "https://app.practice.example/account"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = ask_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_a_healthy_customer_gets_every_flow_accepted_one_session_each(validator) -> None:
    with practice("healthy") as (_scenario, server):
        result = ask_cli(["--format", "json", "--price", PRO_YEARLY], server)
        writes = list(server.write_attempts)
        sessions = server.sessions
    data = result.json()
    validator.validate(data)
    assert result.code == 0, result.err
    flows = [a["flow"] for a in data["asks"]]
    assert flows == ["payment_method_update", "subscription_cancel", "subscription_update",
                     "subscription_update_confirm"]
    assert all(a["outcome"] == "accepted" and a["predicted"] == "accepted" and a["finding"] is None
               and a["stripe_error"] is None and not a["stripe_disagrees"] for a in data["asks"])
    assert data["customer"] == {"id": "cus_6xSYYFpYc5wPHe", "kind": "customer"}
    assert data["configuration"] == "bpc_1PrciAyhkEWTCMZmNetCQeyE" and data["sessions_created"] == 4
    # The only write: one session per flow, each with an idempotency key of its own.
    assert [(m, p) for m, p, _k in writes] == [("POST", SESSIONS)] * 4
    keys = [k for _m, _p, k in writes]
    assert all(keys) and len(set(keys)) == 4
    assert len(sessions) == 4
    assert sorted(s["flow"]["type"] for s in sessions.values()) == sorted(flows)


REFUSALS = [
    # (account, extra options, flow, price, finding, Stripe's message or a piece of it, predicted)
    ("deep_link_plan_switching_off", [], "subscription_update", None, ASK_FEATURE_OFF, UPDATE_OFF, "refused"),
    ("deep_link_price_not_offered", ["--price", QUARTERLY], "subscription_update_confirm", QUARTERLY,
     ASK_PRICE_NOT_OFFERED, "is not one of the prices", "refused"),
    ("healthy", ["--price", PRO_MONTHLY], "subscription_update_confirm", PRO_MONTHLY, ASK_NO_CHANGE, NO_CHANGES,
     "refused"),
    ("portal_downgrade", [], "subscription_cancel", None, ASK_ON_SCHEDULE, "subscription schedule", "refused"),
    ("two_item_subscription", [], "subscription_update", None, ASK_CANCEL_ONLY, "multiple items", "refused"),
    ("cancel_only_subscription", [], "subscription_update", None, ASK_CANCEL_ONLY, "multiple items", "refused"),
    ("features_off", [], "payment_method_update", None, ASK_FEATURE_OFF, "payment method update feature",
     "refused"),
    ("ask_already_cancelling", [], "subscription_cancel", None, ASK_REFUSED_UNRECOGNISED,
     "already set to be canceled at period end", "accepted"),
]


@pytest.mark.parametrize(("account", "extra", "flow", "price", "code", "said", "predicted"), REFUSALS,
                         ids=[f"{r[0]}-{r[2]}" for r in REFUSALS])
def test_each_refusal_is_stripes_words_and_the_finding_that_explains_it(
        account: str, extra: list[str], flow: str, price: str | None, code: str, said: str, predicted: str,
        validator) -> None:
    with practice(account) as (_scenario, server):
        result = ask_cli(["--format", "json", *extra], server)
        refused_at_stripe = [e for e in server.request_log if e[0] == "POST"]
    data = result.json()
    validator.validate(data)
    assert result.code == 1, result.err
    ask = by_flow(data["asks"], flow, price)
    assert ask["outcome"] == "refused"
    assert said in ask["stripe_error"]["message"]
    assert ask["stripe_error"]["type"] == "invalid_request_error"
    assert ask["finding"]["code"] == code and ask["finding"]["summary"]
    assert ask["predicted"] == predicted
    assert ask["stripe_disagrees"] is (predicted == "accepted")
    assert len(refused_at_stripe) == len(data["asks"])  # one request per flow, refused or not


def test_the_text_says_stripes_words_the_disagreement_and_the_sessions_sent() -> None:
    with practice("ask_already_cancelling") as (_scenario, server):
        result = ask_cli([], server)
    assert result.code == 1
    out = " ".join(result.out.split())
    assert "[REFUSED ] Cancel the subscription to \"Pro\"" in out
    assert "Stripe said: This subscription is already set to be canceled at period end." in out
    assert "The checks expected this to work; Stripe refused it." in out
    assert ("2 portal sessions were created to ask (none was opened, and no link was kept); each sent "
            "billing_portal.session.created to the owner's webhook endpoints.") in out
    assert "What the customer sees in the portal:" in out and "Cancel — set to end on" in out


def test_the_feature_refusal_points_at_the_feature_to_switch_on() -> None:
    with practice("deep_link_plan_switching_off") as (_scenario, server):
        result = ask_cli([], server)
    out = " ".join(result.out.split())
    assert f"Stripe said: {UPDATE_OFF}" in out
    assert "Turn on plan switching in the default configuration (bpc_1PrciAyhkEWTCMZmNetCQeyE)" in out
    assert "Change plan: not offered — plan switching is off in this configuration" in out


def test_live_mode_without_the_account_typed_sends_nothing_but_reads() -> None:
    with practice("live_key") as (scenario, server):
        refused = ask_cli(["--return-url", RETURN_URL], server)
        log = list(server.request_log)
        writes = list(server.write_attempts)
        confirmed = ask_cli(["--return-url", RETURN_URL, "--live-confirm", scenario.account["id"]], server)
        after = list(server.write_attempts)
    assert refused.code == 2 and refused.out == ""
    assert f"--live-confirm {scenario.account['id']}" in refused.err and "nothing was sent" in refused.err
    assert writes == [] and log and all(method == "GET" for method, *_ in log)
    assert confirmed.code in (0, 1), confirmed.err
    assert after and all((m, p) == ("POST", SESSIONS) and k for m, p, k in after)


def test_a_key_without_portal_write_errors_every_ask_naming_the_permission_and_retries_none(validator) -> None:
    with practice("read_only_key") as (_scenario, server):
        result = ask_cli(["--format", "json", "--return-url", RETURN_URL], server)
        writes = list(server.write_attempts)
        sessions = server.sessions
    data = result.json()
    validator.validate(data)
    assert result.code == 1
    assert data["asks"] and all(a["outcome"] == "error" for a in data["asks"])
    for ask in data["asks"]:
        assert ask["finding"]["code"] == ASK_PERMISSION_MISSING
        assert "Customer portal: Write" in ask["finding"]["summary"]
    assert len(writes) == len(data["asks"]) and not sessions  # each sent once: none retried, none made


def test_what_cannot_be_asked_as_given_is_a_usage_error_and_sends_nothing() -> None:
    with practice("ask_three_subscriptions") as (_scenario, server):
        several = ask_cli(["--price", PRO_YEARLY], server)
        unknown = ask_cli(["--subscription", "sub_1NotTheirsAtAll"], server)
        nobody = ask_cli([], server, customer=False)
        writes = list(server.write_attempts)
    assert several.code == 2 and "3 subscriptions" in several.err and "--subscription" in several.err
    for sub in ("sub_1PrcHzlPn2ndChildAbCdEf", "sub_1PrcHzlPn3rdChildAbCdEf", "sub_1Prcj5Ad0gKHaMyQU7OdrZIP"):
        assert sub in several.err and sub in unknown.err
    assert unknown.code == 2 and "is not one of this customer's subscriptions" in unknown.err
    assert nobody.code == 2 and "--customer" in nobody.err
    assert writes == []
    with practice("read_only_key") as (_scenario, server):
        no_url = ask_cli([], server)
        assert list(server.write_attempts) == []
    assert no_url.code == 2 and "--return-url" in no_url.err and "no return URL" in no_url.err


def test_one_named_subscription_is_asked_about_alone_with_its_prices() -> None:
    with practice("ask_three_subscriptions") as (_scenario, server):
        result = ask_cli(["--format", "json", "--subscription", "sub_1PrcHzlPn2ndChildAbCdEf", "--price",
                          PRO_YEARLY], server)
    asks = result.asks()
    assert result.code == 0, result.err
    assert {a["subscription"] for a in asks} == {None, "sub_1PrcHzlPn2ndChildAbCdEf"}
    assert by_flow(asks, "subscription_update_confirm")["price"] == PRO_YEARLY


def test_a_connected_account_is_asked_with_stripe_account_and_its_own_settings() -> None:
    with practice("connected_account") as (scenario, server):
        result = ask_cli(["--format", "json", "--return-url", RETURN_URL], server)
        posts = [account for (method, *_rest), account in zip(server.request_log, server.request_accounts,
                                                               strict=True) if method == "POST"]
    data = result.json()
    assert data["connected_account"] == scenario.connected_account
    assert posts and set(posts) == {scenario.connected_account}
    # The connected account never saved its portal settings: Stripe refuses every session, and says why.
    assert all(a["outcome"] == "refused" and a["finding"]["code"] == ASK_NO_CONFIGURATION for a in data["asks"])


def test_a_customer_configured_account_is_asked_about_as_an_account() -> None:
    with practice("account_customer") as (_scenario, server):
        result = ask_cli(["--format", "json"], server)
        posted = [params for method, _path, params, _key in server.request_log if method == "POST"]
    data = result.json()
    assert data["customer"] == {"id": "acct_1Qy7MiraK4fRzPa2", "kind": "account"}
    assert posted and all(p.get("customer_account") == "acct_1Qy7MiraK4fRzPa2" and "customer" not in p
                          for p in posted)


def _everything_written(root: Path) -> str:
    return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in sorted(root.rglob("*")) if p.is_file())


def test_no_session_url_reaches_any_output_file_log_or_history(tmp_path: Path, capsys, monkeypatch) -> None:
    """The whole command as a terminal runs it (main(), the log file, the history file), then
    every byte it left anywhere is searched for the links Stripe created."""
    for var in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    outputs = []
    with practice("healthy") as (scenario, server):
        monkeypatch.setenv("STRIPE_API_KEY", scenario.primary_key)
        for fmt in ("text", "json"):
            code = cli_main.main(["ask", "--api-base", server.base_url, "--customer", str(scenario.customer),
                                  "--price", PRO_YEARLY, PRO_MONTHLY, "--format", fmt])
            captured = capsys.readouterr()
            outputs += [captured.out, captured.err]
            assert code == 1
        urls = [s["url"] for s in server.sessions.values()]
    assert len(urls) == 8 and all("/portal/session/" in u for u in urls)
    written = _everything_written(tmp_path)
    assert "history.sqlite3" in " ".join(os.listdir(tmp_path / "xdg_data_home" / "portal-setup-assistant"))
    assert "billing_portal" in written  # the history and the log were written at all
    for place in (*outputs, written):
        assert "/portal/session/" not in place
        assert not any(url in place for url in urls)
    assert json.loads(outputs[2])["sessions_created"] == 4


def test_stripe_unreachable_is_exit_3_and_nothing_is_sent() -> None:
    with practice("healthy") as (scenario, server):
        base = server.base_url
    result = ask_cli(["--api-base", base, "--customer", str(scenario.customer), "--timeout", "5"],
                     env={"STRIPE_API_KEY": scenario.primary_key})
    assert result.code == 3 and "reach Stripe" in result.err and result.out == ""


def test_asks_whose_answers_never_come_are_errors_and_exit_3(validator) -> None:
    with practice("healthy") as (_scenario, server):
        server.inject_fault(SESSIONS, kind="reset", times=100, method="POST")
        result = ask_cli(["--format", "json"], server)
    data = result.json()
    validator.validate(data)
    assert result.code == 3
    assert all(a["outcome"] == "error" and a["finding"]["code"] == ASK_NOT_ANSWERED for a in data["asks"])
