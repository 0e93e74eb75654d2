"""Issue 21, item 7: the Low list (the parts outside the window), one test each."""

from __future__ import annotations

import io
import json
import logging
import os
import stat
import subprocess
import sys
from contextlib import redirect_stderr
from pathlib import Path

import pytest
from support.cli import cli
from support.practice import practice

ROOT = Path(__file__).resolve().parents[1]


def main_py(*argv: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *argv], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, **env}, input=stdin, timeout=120)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_no_process_that_holds_the_key_can_dump_core() -> None:
    code = ("import ctypes, resource, sys\n"
            "from assistant.entry import main\n"
            "main(['history'])\n"
            "print(resource.getrlimit(resource.RLIMIT_CORE), ctypes.CDLL(None).prctl(3, 0, 0, 0, 0))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          env=dict(os.environ), timeout=60)
    assert done.stdout.strip().splitlines()[-1] == "(0, 0) 0", done.stderr


def test_a_log_file_on_a_full_disk_costs_one_line_not_a_traceback(tmp_path: Path) -> None:
    from assistant.store.log_file import setup_logging

    root = logging.getLogger("assistant")
    earlier = [h for h in root.handlers if getattr(h, "_assistant_file", False)]  # an in-process main()'s
    for old in earlier:
        root.removeHandler(old)
    before = list(root.handlers)
    path = setup_logging(tmp_path / "log")
    handler = next(h for h in root.handlers if h not in before)
    handler.stream = open("/dev/full", "w")  # noqa: SIM115 (the handler closes it)
    err = io.StringIO()
    try:
        with redirect_stderr(err):
            for i in range(5):
                logging.getLogger("assistant.test").warning("record %d", i)
    finally:
        root.removeHandler(handler)
        handler.close()
        for old in earlier:
            root.addHandler(old)
    lines = err.getvalue().splitlines()
    assert len(lines) == 1 and "cannot be written" in lines[0] and str(path) in lines[0], err.getvalue()
    assert "Traceback" not in err.getvalue()


INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u202e\u2066\u2028\u2029"


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_invisible_characters_and_line_separators_are_handled_in_every_format(fmt: str) -> None:
    name = "Gold" + INVISIBLE + "Plan"
    with practice("archived_product") as (scenario, server):
        for product in server.store.data["test"]["products"]:
            product["name"] = name
        result = cli(["--api-base", server.base_url, "--format", fmt, "--no-history", "--verbose"
                      if fmt == "text" else "--show-emails"], env={"STRIPE_API_KEY": scenario.primary_key})
    assert result.code in (0, 1), result.err
    assert not any(ch in result.out for ch in INVISIBLE)
    if fmt == "json":  # escaped, so the value read back is whole
        assert "\\u200b" in result.out and name in json.dumps(json.loads(result.out), ensure_ascii=False)
    else:
        assert "GoldPlan" in result.out


def test_history_json_escapes_invisible_characters_too() -> None:
    from assistant.store.history import HistoryStore, default_path

    with practice("healthy") as (scenario, server):
        server.store.account["business_profile"]["name"] = "Acme\u2028\u200bLtd"
        cli(["--api-base", server.base_url, "--format", "json"], env={"STRIPE_API_KEY": scenario.primary_key})
    assert HistoryStore(default_path()).list_runs()
    done = main_py("history", "--format", "json")
    assert done.returncode == 0
    assert not any(ch in done.stdout for ch in INVISIBLE)
    assert json.loads(done.stdout)["runs"]


def test_an_empty_api_base_is_a_usage_error() -> None:
    done = main_py("diagnose", "--api-base", "", STRIPE_API_KEY="sk_test_abcdefgh")
    assert done.returncode == 2 and "--api-base" in done.stderr


@pytest.mark.parametrize("argv", [
    ["diagnose", "--demo", "healthy", "--history-url", "postgresql://agent@db.example:port/support"],
    ["diagnose", "--demo", "healthy", "--history-url", "postgresql://agent@[::1/support"],
    ["history", "--history-url", "postgresql://agent@db.example:99x/support"],
    ["diagnose", "--api-base", "http://[::1"],
])
def test_usage_errors_exit_2_not_3(argv: list[str]) -> None:
    done = main_py(*argv, STRIPE_API_KEY="sk_test_abcdefgh")
    assert done.returncode == 2, done.stderr
    assert "unexpected error" not in done.stderr


def test_a_key_on_standard_input_longer_than_any_key_is_refused_and_not_sent() -> None:
    with practice("healthy") as (_, server):
        done = main_py("diagnose", "--key-stdin", "--api-base", server.base_url,
                       stdin="sk_test_" + "a" * 1_000_000 + "\n")
        assert server.request_log == []
    assert done.returncode == 2 and "longer than" in done.stderr
    assert "a" * 100 not in done.stderr


def test_the_apps_state_folder_is_private(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "history"], capture_output=True, text=True,
                          cwd=ROOT, env={**env, "HOME": str(home)}, timeout=60)
    assert done.returncode == 0, done.stderr
    state = home / ".local" / "state" / "portal-setup-assistant"
    assert stat.S_IMODE(state.stat().st_mode) == 0o700
    assert stat.S_IMODE((state / "log").stat().st_mode) == 0o700
