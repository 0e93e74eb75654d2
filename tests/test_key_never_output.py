"""Issue 14, item 7: the key never appears in any output, even when the agent pastes it into
another field or a server echoes it back without its prefix."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.cli import cli
from support.practice import practice

FORMATS = ["text", "json", "markdown", "html"]


def _secret_part(key: str) -> str:
    return key.split("_", 2)[2]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_key_pasted_as_the_customer_is_never_printed(fmt: str, tmp_path: Path) -> None:
    with practice("healthy") as (scenario, server):
        key = scenario.primary_key
        result = cli(["--api-base", server.base_url, "--format", fmt, "--no-history", "--customer", key],
                     env={"STRIPE_API_KEY": key})
    assert result.code in (0, 1), result.err
    for text in (result.out, result.err):
        assert key not in text and _secret_part(key) not in text
    assert "sk_test_…" in result.out  # the masked form says what was looked up


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_return_url_holding_the_key_is_never_printed(fmt: str) -> None:
    with practice("healthy") as (scenario, server):
        key = scenario.primary_key
        url = f"https://app.practice.example/account?api_key={key}"
        result = cli(["--api-base", server.base_url, "--format", fmt, "--no-history",
                      "--return-url", url], env={"STRIPE_API_KEY": key})
    for text in (result.out, result.err):
        assert key not in text and _secret_part(key) not in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_server_echoing_the_secret_part_without_prefix_is_masked(fmt: str) -> None:
    with practice("healthy") as (scenario, server):
        key = scenario.primary_key
        secret = _secret_part(key)
        data = server.store.data["test"]
        data["products"][0]["name"] = f"Plan {secret}"
        data["webhook_endpoints"][0]["url"] = f"https://hooks.example/{secret}"
        verbose = ["--verbose"] if fmt == "text" else []  # the text's passes show no evidence
        result = cli(["--api-base", server.base_url, "--format", fmt, "--no-history", *verbose,
                      "--customer", scenario.customer], env={"STRIPE_API_KEY": key})
    assert result.code == 0, result.err
    assert "Plan" in result.out
    assert secret not in result.out and secret not in result.err


async def test_the_window_never_shows_an_echoed_key(qapp, tmp_path: Path) -> None:
    """The diagnosis itself (what every front end renders) holds no echo of the key."""
    import json

    from support.practice import diagnoser_for, scenario_request

    with practice("healthy") as (scenario, server):
        secret = _secret_part(scenario.primary_key)
        server.store.data["test"]["products"][0]["name"] = f"Plan {secret}"
        outcome = await diagnoser_for(server).run_full(
            scenario_request(scenario, customer=scenario.primary_key, second_key=None))
    blob = json.dumps(outcome.diagnosis.to_dict()) + repr(outcome.snapshot.products.value)
    assert secret not in blob and scenario.primary_key not in blob
