"""Issue 14, item 14: the smaller ones, each through the command an agent types."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.cli import cli

ROOT = Path(__file__).resolve().parents[1]


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("STRIPE_API_KEY", "STRIPE_API_BASE")}
    env.update(XDG_DATA_HOME=str(tmp_path / "data"), XDG_STATE_HOME=str(tmp_path / "state"),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_CACHE_HOME=str(tmp_path / "cache"),
               HOME=str(tmp_path))
    return env


def _main(*argv: str, env: dict[str, str], stdout: object = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *argv], stdout=stdout,
                          stderr=subprocess.PIPE, text=True, env=env, timeout=120)


def test_history_into_head_ends_quietly(tmp_path: Path) -> None:
    from assistant.report.sample import sample_diagnosis
    from assistant.store.history import HistoryStore

    env = _env(tmp_path)
    assert _main("diagnose", "--demo", "healthy", "--format", "json", env=env).returncode == 0
    store = HistoryStore(tmp_path / "data" / "portal-setup-assistant" / "history.sqlite3")
    for _ in range(250):  # a listing longer than a pipe buffer: the write hits the closed pipe
        store.save(sample_diagnosis())
    for fmt in ("text", "json"):
        shell = subprocess.run(f'"{sys.executable}" "{ROOT / "main.py"}" history --format {fmt} | head -1',
                               shell=True, capture_output=True, text=True, env=env, timeout=120)
        assert shell.stdout.strip(), fmt
        assert shell.stderr == "", shell.stderr  # no "Broken pipe", no traceback, no "unexpected error"


def test_a_corrupt_history_file_is_named_and_the_run_says_it_was_not_saved(tmp_path: Path) -> None:
    env = _env(tmp_path)
    history = tmp_path / "data" / "portal-setup-assistant" / "history.sqlite3"
    history.parent.mkdir(parents=True)
    history.write_bytes(b"this is not a history database\n" * 200)
    result = _main("diagnose", "--demo", "healthy", "--format", "json", env=env)
    assert result.returncode == 0  # the diagnosis itself is unaffected
    assert json.loads(result.stdout)["checks"]
    assert str(history) in result.stderr and "not saved" in result.stderr
    assert history.read_bytes().startswith(b"this is not")  # nothing of the agent's is lost
    listing = _main("history", env=env)
    assert str(history) in listing.stderr and "Traceback" not in listing.stderr
    assert "unexpected error" not in listing.stderr


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html", "pdf"])
def test_output_into_a_missing_folder_fails_clearly_for_every_format(fmt: str, tmp_path: Path, qapp) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "no-such-folder" / f"report.{fmt}"
    result = cli(["--demo", "healthy", "--format", fmt, "--output", str(target), "--no-history"])
    assert result.code == 2
    assert "no-such-folder" in result.err and "does not exist" in result.err
    assert not (tmp_path / "no-such-folder").exists()  # no folder made behind the agent's back


@pytest.mark.parametrize(("second", "words"), [
    ("pk_live_practice_healthy_4242", "publishable key"),
    ("not a key at all", "not a Stripe API key"),
    ("sk_live_ab", "cut short"),
])
def test_a_bad_second_key_says_what_is_wrong_with_it(second: str, words: str) -> None:
    from support.practice import practice

    with practice("healthy") as (scenario, server):
        result = cli(["--api-base", server.base_url, "--format", "json", "--no-history",
                      "--live-key-env", "LIVE"], env={"STRIPE_API_KEY": scenario.primary_key, "LIVE": second})
    parity = next(c for c in json.loads(result.out)["checks"] if c["id"] == "parity.test_live")
    assert words in parity["summary"], parity["summary"]
    assert "add a key of live mode" not in parity["summary"]


def test_history_listing_never_prints_control_or_bidi_characters_from_old_rows(tmp_path: Path) -> None:
    """Item 12 for the listing: runs saved by older versions kept account names unstripped."""
    import sqlite3

    from assistant.report.sample import sample_diagnosis
    from assistant.store.history import HistoryStore

    env = _env(tmp_path)
    path = tmp_path / "data" / "portal-setup-assistant" / "history.sqlite3"
    HistoryStore(path).save(sample_diagnosis())
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE runs SET account_name = ?", ("Shop\u202egnp.exe\x1b[2J\x9b",))
    listing = _main("history", env=env)
    assert listing.returncode == 0, listing.stderr
    assert "Shop" in listing.stdout
    for ch in ("\u202e", "\x1b", "\x9b"):
        assert ch not in listing.stdout


@pytest.mark.parametrize(("typed", "meant"), [("helthy", "healthy"), ("cancel_only", "cancel_only_subscription"),
                                              ("portal_never_save", "portal_never_saved")])
def test_a_mistyped_practice_account_gets_the_closest_name_and_the_list(tmp_path: Path, typed: str,
                                                                        meant: str) -> None:
    """Issue 22, item 12: `--demo helthy` listed 33 names and left the agent to find the one
    meant; the answer now names it first. Both the command and the window's entry say so,
    before anything runs (no "headless diagnosis of 'helthy'" line first)."""
    env = {k: v for k, v in _env(tmp_path).items() if k != "DISPLAY"}
    for argv in (["diagnose", "--demo", typed], ["--demo", typed]):
        result = _main(*argv, env=env)
        assert result.returncode == 2, argv
        assert result.stdout == ""
        error = result.stderr.strip()
        assert error.startswith(f"portal-assistant: No practice account named '{typed}'. Did you mean '{meant}'?")
        valid = error.split("Valid names: ", 1)[1]
        assert "archived_product, " in valid and valid.endswith("webhook_events_missing.")


def test_a_name_like_no_practice_account_only_lists_them() -> None:
    result = cli(["--demo", "zzz"])
    assert result.code == 2
    assert "No practice account named 'zzz'. Valid names: " in result.err and "Did you mean" not in result.err
