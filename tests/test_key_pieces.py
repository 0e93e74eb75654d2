"""Issue 21, item 4: no piece of the key (12 characters or more) reaches what the app prints or
stores, however a server cuts it up; the account's id, which today's keys carry, is not a piece
of the secret and stays readable; a key typed into an option is refused without being repeated.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr
from pathlib import Path

import pytest

from assistant.account import secret_pieces
from assistant.cli.main import main
from assistant.practice import PracticeServer
from assistant.practice.scenarios import PracticeKey, load_scenario
from assistant.store.history import default_path

ROOT = Path(__file__).resolve().parents[1]
# Shaped like today's keys: "51", the account id's 16 characters, then the secret part.
ACCOUNT_PART = "Pq7RtX2mZ9kLw4Bc"
KEY = f"sk_test_51{ACCOUNT_PART}Hd83kQpz0YwVn5TgR2xLm9AeCj4Ub7Ns1Fv6Ki0Oq3Pw8Za2Xy5Mt9Rb4Lc7Nd1Ge6Hj3Ks0Vq8Wp2"
BODY = KEY[len("sk_test_"):]


@pytest.fixture(autouse=True)
def _no_secret_from_earlier_tests() -> Iterator[None]:
    secret_pieces.forget_all()
    yield
    secret_pieces.forget_all()


@contextmanager
def echoing_server(**echo: str) -> Iterator[PracticeServer]:
    """The healthy practice account, reached with KEY, with pieces of it in its data."""
    base = load_scenario("healthy")
    scenario = dataclasses.replace(base, keys=(PracticeKey(KEY, "test"), *base.keys), primary_key=KEY,
                                   second_key=None)
    with PracticeServer(scenario) as server:
        data = server.store.data["test"]
        if "name" in echo:
            data["products"][0]["name"] = echo["name"]
        if "url" in echo:
            data["webhook_endpoints"][0]["url"] = echo["url"]
        if "business" in echo:
            server.store.account["business_profile"]["name"] = echo["business"]
        if "error" in echo:
            body = json.dumps({"error": {"type": "invalid_request_error", "message": echo["error"],
                                         "param": echo["error"][-40:],
                                         "doc_url": f"https://stripe.com/docs/error-codes/{echo['error']}"}})
            server.inject_fault("/v1/webhook_endpoints", status=400, body=body, times=5)
        yield server


def run(argv: list[str], server: PracticeServer | None = None, **env: str) -> tuple[int, str, str]:
    """`main.py ARGV` in this process, as a terminal runs it."""
    out, err = io.StringIO(), io.StringIO()
    environ = {**os.environ, "STRIPE_API_KEY": KEY, **env}
    if server is not None:
        argv = [*argv, "--api-base", server.base_url]
    old_env, old_out = dict(os.environ), sys.stdout
    os.environ.clear()
    os.environ.update(environ)
    sys.stdout = out
    try:
        with redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exit_:
                code = int(exit_.code or 0)
    finally:
        sys.stdout = old_out
        os.environ.clear()
        os.environ.update(old_env)
    return code, out.getvalue(), err.getvalue()


def pieces_in(text: str) -> list[str]:
    """Every 12-character piece of the secret part found in `text` (none may be there)."""
    secret_start = 2 + len(ACCOUNT_PART)  # the account's id is public; every later piece is secret
    return [BODY[i:i + 12] for i in range(len(BODY) - 11) if i + 12 > secret_start and BODY[i:i + 12] in text]


def stored() -> str:
    with sqlite3.connect(default_path()) as db:
        return repr(db.execute("SELECT * FROM runs").fetchall()) + repr(db.execute("SELECT * FROM results").fetchall())


ECHOES = {
    "all_but_one_character": {"name": f"Plan {BODY[:-1]}"},
    "a_30_character_slice": {"url": f"https://hooks.example/{BODY[25:55]}/in"},
    "inside_a_business_name": {"business": f"Acme{BODY[40:70]}Ltd"},
    "inside_doc_url_and_param": {"error": f"Unknown parameter {BODY[20:60]}"},
}


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html"])
@pytest.mark.parametrize("echo", list(ECHOES))
def test_a_server_echoing_pieces_of_the_key_gets_none_of_them_out(echo: str, fmt: str) -> None:
    with echoing_server(**ECHOES[echo]) as server:
        code, out, err = run(["diagnose", "--format", fmt, "--verbose" if fmt == "text" else "--show-emails"],
                             server)
    assert code in (0, 1), err
    assert pieces_in(out) == [] and pieces_in(err) == []
    assert pieces_in(stored()) == []


def test_the_account_id_inside_the_key_is_not_masked() -> None:
    with echoing_server(business=f"acct_1{ACCOUNT_PART} Holdings") as server:
        code, out, _ = run(["diagnose", "--format", "json"], server)
    assert f"acct_1{ACCOUNT_PART} Holdings" in out


@pytest.mark.parametrize("argv", [
    ["diagnose", "--live-key-env", KEY],
    ["diagnose", "--key-env", KEY],
    ["diagnose", f"--api-base={KEY}"],
    ["diagnose", "--demo", KEY],
    ["--demo", KEY],
    ["history", "--account", KEY],
    ["diagnose", "--customer", "x", "--timeout", KEY],
    ["diagnose", "--format", KEY],
    ["fix", "--undo", KEY, "--yes"],
    ["diagnose", "--output", KEY, "--demo", "healthy"],
])
def test_a_key_typed_into_an_option_is_refused_without_echo(argv: list[str], tmp_path: Path) -> None:
    os.chdir(tmp_path)
    try:
        code, out, err = run(argv)
    finally:
        os.chdir(ROOT)
    assert code == 2
    assert "looks like an API key" in err
    assert BODY[:12] not in out + err and pieces_in(out + err) == []
    assert list(tmp_path.iterdir()) == []  # --output KEY named no file after it


def test_stripe_api_base_holding_a_key_is_refused_without_echo() -> None:
    code, out, err = run(["diagnose"], STRIPE_API_BASE=KEY)
    assert code == 2 and "STRIPE_API_BASE" in err and "looks like an API key" in err
    assert pieces_in(out + err) == [] and "sk_test_51" not in err


def test_argparse_errors_are_scrubbed_too() -> None:
    """argparse quotes the value it refuses: its message goes through the same scrubber."""
    from assistant.cli.main import build_parser

    secret_pieces.remember(KEY)
    err = io.StringIO()
    with redirect_stderr(err), pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(["diagnose", "--timeout", BODY[30:60]])
    assert exit_.value.code == 2 and "--timeout" in err.getvalue()
    assert pieces_in(err.getvalue()) == [] and "sk_test_…" in err.getvalue()


def test_a_piece_of_the_key_in_the_environment_typed_into_an_option_is_refused() -> None:
    code, out, err = run(["diagnose", "--timeout", BODY[30:60]])
    assert code == 2 and "looks like an API key" in err
    assert pieces_in(out + err) == []


def test_a_whole_process_never_prints_a_piece_of_its_key() -> None:
    """In a real process, through main.py (the registry lives for the process)."""
    with echoing_server(**ECHOES["all_but_one_character"]) as server:
        done = subprocess.run([sys.executable, str(ROOT / "main.py"), "diagnose", "--verbose", "--api-base",
                               server.base_url], capture_output=True, text=True, cwd=ROOT,
                              env={**os.environ, "STRIPE_API_KEY": KEY}, timeout=120)
    assert done.returncode in (0, 1), done.stderr
    assert pieces_in(done.stdout + done.stderr) == []
    assert "Plan sk_test_…" in done.stdout
