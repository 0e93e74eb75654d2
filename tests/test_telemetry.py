"""Issue 14, item 9: nothing about the owner's account goes anywhere but to their Stripe
account: no request telemetry, no telemetry id file, and the app names itself as Stripe asks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from support.hostile import HostileServer, json_answer

import assistant
from assistant.account.gateway import StripeGateway

ROOT = Path(__file__).resolve().parents[1]
ACCOUNT = {"id": "acct_1Telemetry", "object": "account", "email": "owner@shop.example"}


async def test_requests_carry_no_telemetry_and_name_the_app() -> None:
    with HostileServer(lambda seen: json_answer(ACCOUNT)) as server:
        gateway = StripeGateway("sk_test_telemetry_0000", api_base=server.base_url, max_retries=0)
        try:
            for _ in range(3):  # the SDK reports on the previous request in the next one
                await gateway.account()
        finally:
            await gateway.aclose()
    assert len(server.seen) == 3
    for seen in server.seen:
        headers = {k.lower(): v for k, v in seen.headers.items()}
        assert "x-stripe-client-telemetry" not in headers
        agent = json.loads(headers["x-stripe-client-user-agent"])
        assert "telemetry_id" not in agent and "platform" not in agent
        assert agent["application"]["name"] == "portal-setup-assistant"
        assert agent["application"]["version"] == assistant.__version__
        assert agent["application"]["url"].startswith("https://")
        assert f"portal-setup-assistant/{assistant.__version__}" in headers["user-agent"]


def test_a_run_creates_no_telemetry_id_file(tmp_path: Path) -> None:
    """In a fresh process, as the agent runs it: stripe-python would write
    ~/.config/stripe/telemetry_id (or $XDG_CONFIG_HOME/stripe/) on its first request."""
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_STATE_HOME": str(tmp_path / "state"),
           "XDG_CACHE_HOME": str(tmp_path / "cache"), "APPDATA": str(tmp_path / "appdata")}
    env.pop("STRIPE_API_KEY", None)
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "diagnose", "--demo", "healthy",
                             "--no-history"], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    made = [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()]
    assert not [p for p in made if "telemetry" in p or "stripe" in p.split("/")], made
