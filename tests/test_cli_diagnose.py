"""`python main.py diagnose`: the headless contract (formats, exit statuses, key never shown)."""

from __future__ import annotations

import io
import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from support.practice import practice

from assistant.cli.main import build_parser, run_diagnose

ROOT = Path(__file__).resolve().parents[1]


def cli(argv: list[str], env: dict[str, str] | None = None, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    args = build_parser().parse_args(["diagnose", *argv])
    from contextlib import redirect_stderr

    from assistant.cli.main import UsageError

    with redirect_stderr(err):
        try:
            code = run_diagnose(args, stdin=io.StringIO(stdin), stdout=out, environ=env or {})
        except UsageError as usage:
            err.write(str(usage))
            code = 2
    return code, out.getvalue(), err.getvalue()


def test_demo_healthy_passes_with_exit_0() -> None:
    code, out, _ = cli(["--demo", "healthy"])
    assert code == 0
    assert "[PASS ] portal.configuration" in out


def test_demo_list_names_every_practice_account() -> None:
    code, out, _ = cli(["--demo", "list"])
    assert code == 0 and "healthy" in out and "archived_product" in out


def test_a_failing_check_exits_1() -> None:
    code, out, _ = cli(["--demo", "archived_product"])
    assert code == 1 and "[FAIL ] portal.products" in out


def test_unknown_demo_is_a_usage_error_listing_the_names() -> None:
    code, _, err = cli(["--demo", "nope"])
    assert code == 2 and "healthy" in err


def test_no_key_is_a_usage_error() -> None:
    code, _, err = cli([], env={})
    assert code == 2 and "STRIPE_API_KEY" in err


def test_json_follows_the_contract() -> None:
    code, out, _ = cli(["--demo", "inactive_price", "--format", "json"])
    data = json.loads(out)
    assert code == 1
    assert data["schema"] == 1 and data["mode"] == "test"
    assert data["key"].startswith("sk_test_…") and len(data["key"]) == len("sk_test_…") + 4
    assert data["account"]["id"].startswith("acct_")
    assert data["requests"]["count"] > 0
    assert data["generated_at"].endswith("Z")
    for check in data["checks"]:
        assert set(check) >= {"id", "title", "status", "summary", "details", "fix", "glossary"}
        assert check["status"] in {"pass", "warn", "fail", "skip", "error"}


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html"])
def test_every_format_renders_every_check(fmt: str) -> None:
    code, out, _ = cli(["--demo", "archived_product", "--format", fmt])
    assert code == 1
    for check_id in ("key.format", "portal.products", "customer.subscriptions"):
        assert check_id in out or fmt in ("markdown", "html")
    assert "portal" in out.lower()


def test_output_file_is_written(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    code, out, _ = cli(["--demo", "healthy", "--format", "markdown", "--output", str(target)])
    assert code == 0 and out == "" and "Customer portal" in target.read_text()


def test_unwritable_output_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = cli(["--demo", "healthy", "--output", str(tmp_path / "missing" / "x.txt")])
    assert code == 2 and "cannot write" in err


def test_key_from_stdin_and_environment_variable_of_choice() -> None:
    with practice("healthy") as (scenario, server):
        base = ["--api-base", server.base_url]
        code, out, _ = cli([*base, "--key-stdin"], stdin=f"  {scenario.primary_key}  \n")
        assert code == 0 and "sk_test_…" in out
        code, out, _ = cli([*base, "--key-env", "OWNER_KEY"], env={"OWNER_KEY": scenario.primary_key})
        assert code == 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_server_exits_3_with_one_clear_line() -> None:
    url = f"http://127.0.0.1:{_free_port()}"
    env = {"STRIPE_API_KEY": "sk_test_practice_nowhere_1234", "STRIPE_API_BASE": url}
    result = subprocess.run(
        [sys.executable, "main.py", "diagnose"], cwd=ROOT, env={**_base_env(), **env},
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 3
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.strip().count("\n") == 0 and "reach Stripe" in result.stderr


def _base_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k not in ("STRIPE_API_KEY", "STRIPE_API_BASE")}


KEY_PATHS = [
    ("healthy", None),
    ("restricted_key", None),
    ("portal_never_saved", None),
    ("healthy", "sk_test_practice_rolled_0000"),  # an expired key: the 401 error path
    ("healthy", "sk_test_practice_unknown_9876"),  # a key Stripe does not know
    ("healthy", "pk_test_practice_healthy_4242"),  # a publishable key: refused before any call
]


@pytest.mark.parametrize(("name", "key_override"), KEY_PATHS)
@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html"])
def test_the_key_never_appears_in_any_output(name: str, key_override: str | None, fmt: str, tmp_path: Path) -> None:
    with practice(name) as (scenario, server):
        key = key_override or scenario.primary_key
        target = tmp_path / f"out.{fmt}"
        code, out, err = cli(
            ["--api-base", server.base_url, "--format", fmt, "--output", str(target),
             "--customer", scenario.customer or "cus_missing"],
            env={"STRIPE_API_KEY": key},
        )
        written = target.read_text()
    assert code in (0, 1)
    body = key.split("_", 2)[2]
    for text in (out, err, written):
        assert key not in text
        assert body not in text


def test_each_run_is_saved_in_the_history_without_the_key(tmp_path: Path) -> None:
    from assistant.store.history import HistoryStore

    store = HistoryStore(HistoryStore.default_path())
    before = len(store.list_runs())
    code, _, _ = cli(["--demo", "archived_product"])
    runs = store.list_runs()
    assert code == 1 and len(runs) == before + 1
    newest = store.load(runs[0].id)
    assert newest.check("portal.products").status.value == "fail"
    assert b"sk_test_practice_" not in HistoryStore.default_path().read_bytes()


def test_no_history_flag_saves_nothing() -> None:
    from assistant.store.history import HistoryStore

    store = HistoryStore(HistoryStore.default_path())
    before = len(store.list_runs())
    cli(["--demo", "healthy", "--no-history"])
    assert len(store.list_runs()) == before


def test_without_a_display_the_demo_falls_back_to_the_headless_diagnosis() -> None:
    env = {k: v for k, v in _base_env().items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "main.py", "--demo", "healthy"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0
    assert "no display" in result.stderr and "[PASS ] portal.configuration" in result.stdout


def test_without_a_display_and_no_demo_one_clear_line() -> None:
    env = {k: v for k, v in _base_env().items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "main.py"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "no display" in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
