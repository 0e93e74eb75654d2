"""What every command shares: exit statuses, the usage error, the key, the practice server, the
API base and the case history.

The commands (`diagnose`, `fix`, `history`) and the parser that dispatches to them
(`assistant.cli.main`) all import this module and nothing here imports them back. It is loaded
when the window starts too, so everything beyond argparse is imported where it is used.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from assistant.practice.scenarios import Scenario
    from assistant.store.case_history import CaseHistory

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_UNREACHABLE = 0, 1, 2, 3  # 0, 1, 3: Diagnosis.verdict
EXIT_BROKEN_PIPE = 141  # what a shell reports for a writer whose reader left (128 + SIGPIPE)


class UsageError(Exception):
    """Bad input from the person at the keyboard: exit 2 with one clear line."""


def resolve_api_base(value: str | None, source: str, stderr: TextIO) -> str | None:
    """The API base to use (None: Stripe's own), or UsageError naming a bad one; says once when
    a trailing /v1 was dropped."""
    if not value:
        return None
    from assistant.account.api_base import BadApiBase, normalize_api_base

    try:
        base, note = normalize_api_base(value, source)
    except BadApiBase as err:
        raise UsageError(str(err)) from None
    if note:
        print(f"portal-assistant: {note}", file=stderr)
    return base


def api_base_from(flag: str | None, environ: Mapping[str, str], stderr: TextIO) -> str | None:
    """`--api-base`, else STRIPE_API_BASE, named as the one it came from when it is bad."""
    source = "--api-base" if flag else "STRIPE_API_BASE"
    return resolve_api_base(flag or environ.get("STRIPE_API_BASE"), source, stderr)


def read_key(args: argparse.Namespace, stdin: TextIO, environ: Mapping[str, str]) -> str:
    """The key from `--key-stdin` or the variable `--key-env` names; never from the command line."""
    if args.key_stdin:
        key = stdin.readline().strip()
        if not key:
            raise UsageError("--key-stdin was given but standard input had no key on its first line")
        return key
    key = (environ.get(args.key_env) or "").strip()
    if not key:
        raise UsageError(
            f"no key: set {args.key_env} in the environment, use --key-stdin, "
            "or try a practice account with --demo NAME (--demo list)"
        )
    return key


def other_mode_key(args: argparse.Namespace, environ: Mapping[str, str]) -> str | None:
    """The second key (`--live-key-env`) for the test/live comparison; None when not asked for."""
    if not args.live_key_env:
        return None
    second = (environ.get(args.live_key_env) or "").strip()
    if not second:
        raise UsageError(f"--live-key-env {args.live_key_env}: that variable is empty")
    return second


@contextlib.contextmanager
def practice(name: str | None) -> Iterator[tuple[Scenario, str] | None]:
    """The practice account `--demo NAME` and the address of its server, running until the
    block ends; None without `--demo`."""
    if not name:
        yield None
        return
    from assistant.practice.scenarios import UnknownScenario, load_scenario
    from assistant.practice.server import PracticeServer

    try:
        scenario = load_scenario(name)
    except UnknownScenario as err:
        raise UsageError(str(err)) from None
    with PracticeServer(scenario) as server:
        yield scenario, server.base_url


def check_practice_name(name: str) -> None:
    """A usage error naming the closest practice account when `name` is none of them."""
    from assistant.practice.scenarios import UnknownScenario, scenario_names

    valid = scenario_names()
    if name not in valid:
        raise UsageError(str(UnknownScenario(name, valid)))


def list_practice_accounts(stdout: TextIO) -> int:
    """`--demo list` on any command."""
    from assistant.cli.practice_list import write_practice_list

    write_practice_list(stdout)
    return EXIT_OK


def open_history_for(args: argparse.Namespace, environ: Mapping[str, str]) -> CaseHistory:
    """The case history this command uses (local file, or the team database behind it)."""
    from assistant.account.keychain import Keychain
    from assistant.store.opening import agent_name, history_url, open_history
    from assistant.store.team_url import TeamUrlError

    url = history_url(getattr(args, "history_url", None), environ)
    try:
        return open_history(url, agent=agent_name(environ), keychain=Keychain() if url else None)
    except TeamUrlError as err:
        raise UsageError(str(err)) from None
