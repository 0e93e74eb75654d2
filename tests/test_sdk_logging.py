"""stripe-python's own debug printing (STRIPE_LOG=debug) must not put Stripe's answers on the
terminal or in the log: they hold customers' e-mails and a new webhook endpoint's signing secret."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CODE = """
import io, json, os, sys, contextlib
from assistant.cli.fix import run_fix
from assistant.cli.main import build_parser, gateway_factory
from assistant.practice import PracticeServer
from assistant.practice.scenarios import load_scenario

with PracticeServer(load_scenario("no_webhooks")) as server:
    args = build_parser().parse_args(["fix", "--apply", "webhooks.events", "--yes", "--format", "json",
        "--webhook-url", "https://app.practice.example/hooks", "--api-base", server.base_url])
    out = io.StringIO()
    code = run_fix(args, stdin=io.StringIO(""), stdout=out,
                   environ={"STRIPE_API_KEY": server.scenario.primary_key},
                   gateway_factory_for=gateway_factory)
    created = [w for w in server.writes if w[0] == "POST" and w[1] == "/v1/webhook_endpoints"]
    print(json.dumps({"code": code, "created": len(created)}))
"""


def test_stripe_log_debug_prints_no_answer_and_no_signing_secret(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "STRIPE_LOG": "debug",
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_STATE_HOME": str(tmp_path / "state"),
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    result = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True,
                            cwd=ROOT, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    summary = result.stdout.strip().splitlines()[-1]
    assert '"created": 1' in summary, summary  # the endpoint (and so its secret) was really made
    assert "whsec_" not in result.stdout + result.stderr
    assert "API response body" not in result.stderr
    logs = "".join(p.read_text(errors="replace") for p in tmp_path.rglob("*.log*") if p.is_file())
    assert "whsec_" not in logs and "API response body" not in logs
