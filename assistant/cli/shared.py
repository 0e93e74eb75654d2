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
    from assistant.diagnosis.run import DiagnosisRequest
    from assistant.practice.scenarios import Scenario
    from assistant.store.case_history import CaseHistory

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_UNREACHABLE = 0, 1, 2, 3  # 0, 1, 3: Diagnosis.verdict
EXIT_BROKEN_PIPE = 141  # what a shell reports for a writer whose reader left (128 + SIGPIPE)


class UsageError(Exception):
    """Bad input from the person at the keyboard: exit 2 with one clear line."""


# Said instead of echoing a key typed into an option (or STRIPE_API_BASE): the value is never repeated.
KEY_IN_OPTION = ("That looks like an API key; keys are read from the environment or standard input, "
                 "never from options, so nothing was read or sent.")


def looks_like_key(value: str | None) -> bool:
    """A Stripe key (or a piece of one this process has read) inside an option's value."""
    from assistant.account.keys import KEY_LIKE
    from assistant.account.secret_pieces import mask_pieces

    return bool(value) and (KEY_LIKE.search(value or "") is not None or mask_pieces(value or "") != value)


def refuse_keys_in(argv: list[str]) -> None:
    """Before parsing: an argument holding a key is refused without echo (argparse, the usage
    errors and --output would otherwise repeat it or name a file after it)."""
    for arg in argv:
        if looks_like_key(arg):
            name = arg.split("=", 1)[0] if arg.startswith("--") and "=" in arg else None
            where = f" (the value of {name})" if name else ""
            raise UsageError(KEY_IN_OPTION.replace("; keys", f"{where}; keys", 1))


def resolve_api_base(value: str | None, source: str, stderr: TextIO) -> str | None:
    """The API base to use (None: Stripe's own), or UsageError naming a bad one; says once when
    a trailing /v1 was dropped."""
    if value is None:
        return None
    if looks_like_key(value):
        raise UsageError(f"{source}: {KEY_IN_OPTION}")
    from assistant.account.api_base import BadApiBase, normalize_api_base

    try:
        base, note = normalize_api_base(value, source)
    except BadApiBase as err:
        raise UsageError(str(err)) from None
    if note:
        print(f"portal-assistant: {note}", file=stderr)
    return base


def api_base_from(flag: str | None, environ: Mapping[str, str], stderr: TextIO) -> str | None:
    """`--api-base`, else STRIPE_API_BASE, named as the one it came from when it is bad. An empty
    `--api-base ""` is refused (it used to mean Stripe's own API, the opposite of a stand-in); an
    empty STRIPE_API_BASE is an unset variable."""
    if flag is not None:
        return resolve_api_base(flag, "--api-base", stderr)
    return resolve_api_base(environ.get("STRIPE_API_BASE") or None, "STRIPE_API_BASE", stderr)


def read_key(args: argparse.Namespace, stdin: TextIO, environ: Mapping[str, str]) -> str:
    """The key from `--key-stdin` or the variable `--key-env` names; never from the command line."""
    from assistant.account.keys import MAX_KEY_LENGTH

    if args.key_stdin:
        line = stdin.readline(MAX_KEY_LENGTH + 2)  # never a megabyte into memory, or to a server
        key = line.strip()
        if not key:
            raise UsageError("--key-stdin was given but standard input had no key on its first line")
        if len(key) > MAX_KEY_LENGTH:
            raise UsageError(f"the first line of standard input is longer than {MAX_KEY_LENGTH} characters, "
                             "far longer than any Stripe key, so it was not sent; give the key alone")
        return remembered(key)
    key = (environ.get(args.key_env) or "").strip()
    if not key:
        raise UsageError(
            f"no key: set {args.key_env} in the environment, use --key-stdin, "
            "or try a practice account with --demo NAME (--demo list)"
        )
    if len(key) > MAX_KEY_LENGTH:
        raise UsageError(f"{args.key_env} holds {len(key):,} characters, far longer than any Stripe key, so "
                         "it was not sent; set it to the key alone")
    return remembered(key)


def remembered(key: str) -> str:
    """A key as read, registered so no piece of it is ever printed or stored (for this process)."""
    from assistant.account.secret_pieces import remember

    remember(key)
    return key


def other_mode_key(args: argparse.Namespace, environ: Mapping[str, str]) -> str | None:
    """The second key (`--live-key-env`) for the test/live comparison; None when not asked for."""
    if not args.live_key_env:
        return None
    second = (environ.get(args.live_key_env) or "").strip()
    if not second:
        raise UsageError(f"--live-key-env {args.live_key_env}: that variable is empty")
    return remembered(second)


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


def open_history_for(args: argparse.Namespace, environ: Mapping[str, str], *,
                     deadline: float | None = None) -> CaseHistory:
    """The case history this command uses (local file, or the team database behind it, every
    exchange with which ends by `deadline`, a time.monotonic() value)."""
    import sys

    from assistant.account.keychain import Keychain
    from assistant.store.opening import agent_name, history_url, open_history
    from assistant.store.team_url import TeamUrlError

    url = history_url(getattr(args, "history_url", None), environ)
    try:
        return open_history(url, agent=agent_name(environ), keychain=(lambda: Keychain()) if url else None,
                            deadline=deadline, said=lambda line: print(f"portal-assistant: {line}", file=sys.stderr))
    except TeamUrlError as err:
        raise UsageError(str(err)) from None


def deadline_after(seconds: float | None) -> float:
    """The time.monotonic() at which a command that started now must be done."""
    import time

    return time.monotonic() + (seconds or 30.0)


def writing_request(args: argparse.Namespace, stdin: TextIO, environ: Mapping[str, str],
                    scenario: Scenario | None, *, second_key: bool = True) -> DiagnosisRequest:
    """What a command that writes (`fix`, `ask`) reads first: the practice account's keys,
    customer and connected account (each unless given), or the agent's key (and, with
    `second_key`, the other mode's) with the options given."""
    from assistant.diagnosis.run import DiagnosisRequest

    if scenario is not None:
        return DiagnosisRequest(key=scenario.primary_key, second_key=scenario.second_key if second_key else None,
                                return_url=scenario.return_url, customer=args.customer or scenario.customer,
                                timeout=args.timeout,
                                connected_account=args.connected_account or scenario.connected_account)
    second = other_mode_key(args, environ) if second_key else None
    return DiagnosisRequest(key=read_key(args, stdin, environ), second_key=second, customer=args.customer,
                            timeout=args.timeout, connected_account=args.connected_account)


def deliver_recorded(store: CaseHistory | None) -> None:
    """After a command's result is printed: send what it recorded to the team database (nothing
    without one), close the history, and say in one line if it has to wait."""
    import logging
    import sys

    if store is None:
        return
    try:
        note = store.deliver().saved_run_note
    except Exception as err:  # never a traceback after the result
        logging.getLogger(__name__).warning("team delivery failed: %s", type(err).__name__)
        return
    finally:
        store.close()
    if note:
        print(f"portal-assistant: {note.replace('this run was', 'what this command recorded was')}", file=sys.stderr)
