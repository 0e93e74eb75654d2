"""Command line: the parser and the dispatch. No subcommand opens the window; `diagnose`, `fix`,
`ask` and `history` run headless, each in its own module (`assistant.cli.diagnose`, `.fix`,
`.ask`, `.history`), on what they share (`assistant.cli.shared`).

This is the composition root of the commands: the one module of `assistant.cli` that makes
gateways to Stripe, passed to the commands that read an account. It is loaded when the window
starts, so each command's module is imported only when that command runs.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, NoReturn, TextIO

from assistant.cli.shared import (
    EXIT_BROKEN_PIPE,
    EXIT_UNREACHABLE,
    EXIT_USAGE,
    UsageError,
    api_base_from,
    check_practice_name,
    list_practice_accounts,
    refuse_keys_in,
)

if TYPE_CHECKING:  # kept out of start-up: the window only needs argparse from here
    from assistant.diagnosis.run import GatewayFactory

log = logging.getLogger(__name__)

DEFAULT_RUN_TIMEOUT = 30.0  # = diagnosis.model.DEFAULT_RUN_TIMEOUT, kept out of start-up imports
HISTORY_TIMEOUT = 10.0  # = store.case_history.TEAM_WAIT_S: `history` waits no longer for the team
FORMATS = ("text", "json", "markdown", "html", "pdf")
COLOR_CHOICES = ("auto", "always", "never")


def version_line() -> str:
    """What `--version` prints on every entry point (main.py, both installed scripts, the
    bundle's executables, `python -m assistant`)."""
    from assistant import __version__

    return f"Portal Setup Assistant {__version__}"


class _Parser(argparse.ArgumentParser):
    """argparse, with its error messages through the key scrubber (they quote the values given)
    and the usage status 2 for every refusal; subcommands' parsers are of this class too."""

    def error(self, message: str) -> NoReturn:
        from assistant.account.errors import scrub

        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {scrub(message)}\n")


def build_parser() -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = _Parser(
        prog="portal-assistant",
        description="Check a Stripe account's Customer Portal set-up, step by step.",
    )
    parser.add_argument("--version", action="version", version=version_line(),
                        help="print the version and exit")
    parser.add_argument("--demo", metavar="SCENARIO",
                        help="open the window on a practice account ('list' lists them by title)")
    parser.add_argument("--api-base", metavar="URL", help="a Stripe-compatible API server to use")
    parser.add_argument("--history-url", metavar="URL", help=HISTORY_URL_HELP)
    sub = parser.add_subparsers(dest="command", metavar="{diagnose,fix,ask,history,install-desktop}")

    diag = sub.add_parser("diagnose", help="run the diagnosis without a window")
    _account_options(diag)
    diag.add_argument("--return-url", metavar="URL",
                      help="the return URL the integration passes when it creates portal sessions")
    diag.add_argument("--format", choices=FORMATS, default="text")
    diag.add_argument("--output", metavar="FILE", help="write there instead of standard output")
    diag.add_argument("--show-emails", action="store_true",
                      help="do not mask customer e-mails (masked the same way in every format)")
    diag.add_argument("--verbose", action="store_true",
                      help="text: every check in full with its evidence, not one line per pass")
    diag.add_argument("--color", choices=COLOR_CHOICES, default="auto",
                      help="text: colour the status words (auto: on a terminal, unless NO_COLOR is set)")
    diag.add_argument("--no-history", action="store_true",
                      help="do not save this run in the case history")
    _history_url_option(diag)

    from assistant.cli.fix_args import add_parser as add_fix_parser

    add_fix_parser(sub, _account_options, _history_url_option)

    from assistant.cli.ask_args import add_parser as add_ask_parser

    add_ask_parser(sub, _account_options, _history_url_option)

    hist = sub.add_parser("history", help="list past diagnoses (this computer's, or the team's)")
    hist.add_argument("--account", metavar="ACCT_ID")
    hist.add_argument("--format", choices=("text", "json"), default="text")
    hist.add_argument("--timeout", type=_seconds, default=HISTORY_TIMEOUT, metavar="SECONDS",
                      help="stop waiting for the team database after this long (default 10): "
                           "this computer's runs are listed instead")
    _history_url_option(hist)

    from assistant.cli.desktop import add_parser as add_desktop_parser

    add_desktop_parser(sub)
    return parser


HISTORY_URL_HELP = ("the team's case history, postgresql://user@host:5432/db "
                    "(or PORTAL_ASSISTANT_HISTORY_URL); default: this computer only")


def _account_options(cmd: argparse.ArgumentParser) -> None:
    """Which account a command reads: the key (and the other mode's), a customer, the server."""
    src = cmd.add_mutually_exclusive_group()
    src.add_argument("--key-env", metavar="NAME", default="STRIPE_API_KEY",
                     help="environment variable holding the key (default STRIPE_API_KEY)")
    src.add_argument("--key-stdin", action="store_true", help="read the key from standard input")
    cmd.add_argument("--live-key-env", metavar="NAME",
                     help="variable holding a second key of the other mode, for the parity check")
    cmd.add_argument("--customer", metavar="ID_OR_EMAIL",
                     help="a customer to check (cus_…, a customer-configured account acct_…, or e-mail)")
    cmd.add_argument("--connected-account", type=_connected_account, metavar="ACCT_ID",
                     help="act as this connected account (Stripe Connect): every request carries "
                          "Stripe-Account, so its own settings are checked and fixed")
    cmd.add_argument("--api-base", dest="diag_api_base", metavar="URL",
                     help="a Stripe-compatible API server (or STRIPE_API_BASE)")
    cmd.add_argument("--demo", dest="diag_demo", metavar="SCENARIO",
                     help="use a built-in practice account ('list' lists them by title)")
    cmd.add_argument("--timeout", type=_seconds, default=DEFAULT_RUN_TIMEOUT, metavar="SECONDS",
                     help="stop waiting for Stripe after this long for the whole run (default 30)")


def _history_url_option(sub: argparse.ArgumentParser) -> None:
    # SUPPRESS: a subcommand without the flag keeps the one given before the subcommand.
    sub.add_argument("--history-url", metavar="URL", default=argparse.SUPPRESS, help=HISTORY_URL_HELP)


def _connected_account(text: str) -> str:
    """argparse type for --connected-account: an acct_… id, said clearly when it is not one."""
    from assistant.account.connected import connected_account_or_none, connected_account_problem

    problem = connected_account_problem(text)
    value = connected_account_or_none(text)
    if problem or value is None:
        raise argparse.ArgumentTypeError(problem or "give the connected account's id (acct_…)")
    return value


def _seconds(text: str) -> float:
    """argparse type for --timeout: a positive number of seconds."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"'{text}' is not a positive number of seconds")
    return value


WindowOpener = Callable[[argparse.Namespace, "os._Environ[str] | dict[str, str]"], int]


def main(argv: Sequence[str] | None = None, *, open_window: WindowOpener | None = None) -> int:
    """Every command. The window is opened by `open_window`, which the entry point
    (`assistant.entry`) supplies: the CLI itself never imports the window."""
    from assistant.account.core_dumps import forbid_core_dumps
    from assistant.store.log_file import setup_logging

    forbid_core_dumps()  # the key will be in this process's memory
    setup_logging()
    given = list(sys.argv[1:] if argv is None else argv)
    _remember_keys(argparse.Namespace(), os.environ)
    try:
        refuse_keys_in(given)
    except UsageError as err:
        print(f"portal-assistant: {err}", file=sys.stderr)
        return EXIT_USAGE
    args = build_parser().parse_args(given)
    _remember_keys(args, os.environ)
    try:
        if args.command == "diagnose":
            return run_diagnose(args, stdin=sys.stdin, stdout=sys.stdout, environ=os.environ)
        if args.command == "fix":
            return run_fix_command(args, os.environ)
        if args.command == "ask":
            return run_ask_command(args, os.environ)
        if args.command == "history":
            from assistant.cli.history import run_history_command

            return run_history_command(args, os.environ)
        if args.command == "install-desktop":
            from assistant.cli.desktop import run_install_desktop

            return run_install_desktop(args, os.environ, sys.stdout)
        return run_window(args, open_window=open_window)
    except UsageError as err:
        from assistant.account.errors import scrub

        print(f"portal-assistant: {scrub(str(err))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `history | head`: the reader has gone; say nothing, write no more
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except Exception as err:  # the last line of defence: never a traceback to the user
        log.exception("unexpected failure")
        from assistant.account.errors import scrub

        print(f"portal-assistant: unexpected error: {scrub(str(err))} (details in the log)",
              file=sys.stderr)
        return EXIT_UNREACHABLE


def _remember_keys(args: argparse.Namespace, environ: Mapping[str, str]) -> None:
    """The keys in the environment this command may read, registered with the scrubber before
    anything is printed (a usage error about another option may quote a piece of one)."""
    from assistant.account.secret_pieces import remember_all

    names = {"STRIPE_API_KEY", getattr(args, "key_env", None), getattr(args, "live_key_env", None)}
    remember_all(environ.get(name) for name in names if name)


def has_display(environ: os._Environ[str] | dict[str, str], platform: str = sys.platform) -> bool:
    """On Linux a window needs X11 or Wayland (or a Qt platform chosen by hand, e.g. offscreen);
    without one Qt aborts with a message about plugins that helps nobody."""
    if not platform.startswith("linux"):
        return True
    return any(environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def run_window(
    args: argparse.Namespace,
    environ: os._Environ[str] | dict[str, str] = os.environ,
    *,
    open_window: WindowOpener | None = None,
) -> int:
    if args.demo == "list":
        return list_practice_accounts(sys.stdout)
    if args.demo:
        check_practice_name(args.demo)  # a typo is said before anything else happens
    if not has_display(environ):
        if args.demo:
            print(
                f"portal-assistant: no display here, so instead of the window this is the "
                f"headless diagnosis of the practice account '{args.demo}'.",
                file=sys.stderr,
            )
            argv = ["diagnose", "--demo", args.demo]
            return run_diagnose(build_parser().parse_args(argv), stdin=sys.stdin,
                                stdout=sys.stdout, environ=environ)
        raise UsageError(
            "no display to open the window on (DISPLAY is not set). Run it in a desktop session "
            "or under xvfb-run, or use the headless diagnosis: main.py diagnose --help"
        )
    if open_window is None:
        raise UsageError("this entry point has no window; use: main.py diagnose --help")
    args.api_base = api_base_from(args.api_base, environ, sys.stderr)
    return open_window(args, environ)


def gateway_factory(api_base: str | None) -> GatewayFactory:
    """Gateways to Stripe (or to `api_base`): the composition root is the one place that makes them."""
    from assistant.account.gateway import StripeGateway

    def make(key: str, *, connected_account: str | None = None) -> StripeGateway:
        return StripeGateway(key, api_base=api_base, connected_account=connected_account)

    return make


def run_diagnose(args: argparse.Namespace, *, stdin: TextIO, stdout: TextIO, environ: Mapping[str, str]) -> int:
    """`diagnose` (assistant.cli.diagnose) with gateways to Stripe."""
    from assistant.cli.diagnose import run_diagnose as diagnose

    return diagnose(args, stdin=stdin, stdout=stdout, environ=environ, gateway_factory_for=gateway_factory)


def run_fix_command(args: argparse.Namespace, environ: Mapping[str, str] = os.environ) -> int:
    """`fix` (assistant.cli.fix) with gateways to Stripe."""
    from assistant.cli.fix import run_fix

    return run_fix(args, stdin=sys.stdin, stdout=sys.stdout, environ=environ, gateway_factory_for=gateway_factory)


def run_ask_command(args: argparse.Namespace, environ: Mapping[str, str] = os.environ) -> int:
    """`ask` (assistant.cli.ask) with gateways to Stripe."""
    from assistant.cli.ask import run_ask

    return run_ask(args, stdin=sys.stdin, stdout=sys.stdout, environ=environ, gateway_factory_for=gateway_factory)
