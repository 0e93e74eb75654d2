"""Command line: no subcommand opens the window; `diagnose` and `history` run headless."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # kept out of start-up: the window only needs argparse from here
    from assistant.diagnosis.model import Diagnosis
    from assistant.diagnosis.run import GatewayFactory
    from assistant.practice.scenarios import Scenario
    from assistant.report.text_style import TextStyle
    from assistant.store.history import HistoryStore
    from assistant.store.team import TeamHistory

log = logging.getLogger(__name__)

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_UNREACHABLE = 0, 1, 2, 3  # 0, 1, 3: Diagnosis.verdict
EXIT_BROKEN_PIPE = 141  # what a shell reports for a writer whose reader left (128 + SIGPIPE)
DEFAULT_RUN_TIMEOUT = 30.0  # = diagnosis.model.DEFAULT_RUN_TIMEOUT, kept out of start-up imports
FORMATS = ("text", "json", "markdown", "html", "pdf")
COLOR_CHOICES = ("auto", "always", "never")


class UsageError(Exception):
    """Bad input from the person at the keyboard: exit 2 with one clear line."""


def version_line() -> str:
    """What `--version` prints on every entry point (main.py, both installed scripts, the
    bundle's executables, `python -m assistant`)."""
    from assistant import __version__

    return f"Portal Setup Assistant {__version__}"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="portal-assistant",
        description="Check a Stripe account's Customer Portal set-up, step by step.",
    )
    parser.add_argument("--version", action="version", version=version_line(),
                        help="print the version and exit")
    parser.add_argument("--demo", metavar="SCENARIO",
                        help="open the window on a practice account ('list' lists them by title)")
    parser.add_argument("--api-base", metavar="URL", help="a Stripe-compatible API server to use")
    parser.add_argument("--history-url", metavar="URL", help=HISTORY_URL_HELP)
    sub = parser.add_subparsers(dest="command", metavar="{diagnose,fix,history,install-desktop}")

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

    hist = sub.add_parser("history", help="list past diagnoses (this computer's, or the team's)")
    hist.add_argument("--account", metavar="ACCT_ID")
    hist.add_argument("--format", choices=("text", "json"), default="text")
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
    cmd.add_argument("--customer", metavar="ID_OR_EMAIL", help="a customer to check (cus_… or e-mail)")
    cmd.add_argument("--api-base", dest="diag_api_base", metavar="URL",
                     help="a Stripe-compatible API server (or STRIPE_API_BASE)")
    cmd.add_argument("--demo", dest="diag_demo", metavar="SCENARIO",
                     help="use a built-in practice account ('list' lists them by title)")
    cmd.add_argument("--timeout", type=_seconds, default=DEFAULT_RUN_TIMEOUT, metavar="SECONDS",
                     help="stop waiting for Stripe after this long for the whole run (default 30)")


def _history_url_option(sub: argparse.ArgumentParser) -> None:
    # SUPPRESS: a subcommand without the flag keeps the one given before the subcommand.
    sub.add_argument("--history-url", metavar="URL", default=argparse.SUPPRESS, help=HISTORY_URL_HELP)


def _seconds(text: str) -> float:
    """argparse type for --timeout: a positive number of seconds."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"'{text}' is not a positive number of seconds")
    return value


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


WindowOpener = Callable[[argparse.Namespace, "os._Environ[str] | dict[str, str]"], int]


def main(argv: Sequence[str] | None = None, *, open_window: WindowOpener | None = None) -> int:
    """Every command. The window is opened by `open_window`, which the entry point
    (`assistant.entry`) supplies: the CLI itself never imports the window."""
    from assistant.store.log_file import setup_logging

    setup_logging()
    args = build_parser().parse_args(argv)
    try:
        if args.command == "diagnose":
            return run_diagnose(args, stdin=sys.stdin, stdout=sys.stdout, environ=os.environ)
        if args.command == "fix":
            return run_fix_command(args, os.environ)
        if args.command == "history":
            return run_history_command(args, os.environ)
        if args.command == "install-desktop":
            from assistant.cli.desktop import run_install_desktop

            return run_install_desktop(args, os.environ, sys.stdout)
        return run_window(args, open_window=open_window)
    except UsageError as err:
        print(f"portal-assistant: {err}", file=sys.stderr)
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
        return _list_scenarios(sys.stdout)
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
    source = "--api-base" if args.api_base else "STRIPE_API_BASE"
    args.api_base = resolve_api_base(args.api_base or environ.get("STRIPE_API_BASE"), source, sys.stderr)
    return open_window(args, environ)


def open_history_for(
    args: argparse.Namespace, environ: os._Environ[str] | dict[str, str]
) -> HistoryStore | TeamHistory:
    """The case history this command uses (local file, or the team database behind it)."""
    from assistant.account.keychain import Keychain
    from assistant.store.opening import agent_name, history_url, open_history
    from assistant.store.team_url import TeamUrlError

    url = history_url(getattr(args, "history_url", None), environ)
    try:
        return open_history(url, agent=agent_name(environ), keychain=Keychain() if url else None)
    except TeamUrlError as err:
        raise UsageError(str(err)) from None


def run_fix_command(args: argparse.Namespace, environ: os._Environ[str] | dict[str, str] = os.environ) -> int:
    from assistant.cli.fix import run_fix

    if args.diag_demo == "list":
        return _list_scenarios(sys.stdout)
    return run_fix(args, stdin=sys.stdin, stdout=sys.stdout, environ=environ, gateway_factory_for=gateway_factory)


def gateway_factory(api_base: str | None) -> GatewayFactory:
    """Gateways to Stripe (or to `api_base`): the composition root is the one place that makes them."""
    from assistant.account.gateway import StripeGateway

    return lambda key: StripeGateway(key, api_base=api_base)


def run_history_command(
    args: argparse.Namespace, environ: os._Environ[str] | dict[str, str] = os.environ
) -> int:
    from assistant.cli.history import run_history
    from assistant.store.history import default_path
    from assistant.store.unreadable import history_problem

    try:
        return run_history(args.account, args.format, open_history_for(args, environ), sys.stdout,
                           err=sys.stderr)
    except (UsageError, BrokenPipeError):
        raise
    except Exception as err:  # a damaged or unreadable file: name it, never a traceback
        log.warning("could not read the history: %s", type(err).__name__)
        print(f"portal-assistant: the case history cannot be read: "
              f"{history_problem(err, default_path())}", file=sys.stderr)
        return EXIT_FAILED


def _read_key(args: argparse.Namespace, stdin: TextIO, environ: os._Environ[str] | dict[str, str]) -> str:
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


def run_diagnose(
    args: argparse.Namespace,
    *,
    stdin: TextIO,
    stdout: TextIO,
    environ: os._Environ[str] | dict[str, str],
) -> int:
    import asyncio

    from assistant.diagnosis.run import Diagnoser, DiagnosisRequest
    from assistant.account.gateway import StripeGateway

    demo = args.diag_demo
    if demo == "list":
        return _list_scenarios(stdout)
    if args.format == "pdf" and not args.output:
        raise UsageError("--format pdf needs --output FILE")
    _check_output(args.output)
    _check_history_url(args, environ)
    source = "--api-base" if args.diag_api_base else "STRIPE_API_BASE"
    api_base = resolve_api_base(args.diag_api_base or environ.get("STRIPE_API_BASE"), source, sys.stderr)
    with _practice(demo) as practice:
        if practice is not None:
            scenario, api_base = practice
            key, second = scenario.primary_key, scenario.second_key
            customer = args.customer or scenario.customer
            return_url = args.return_url or scenario.return_url
        else:
            key = _read_key(args, stdin, environ)
            second = (environ.get(args.live_key_env) or "").strip() if args.live_key_env else None
            if args.live_key_env and not second:
                raise UsageError(f"--live-key-env {args.live_key_env}: that variable is empty")
            customer, return_url = args.customer, args.return_url
        diagnoser = Diagnoser(lambda k: StripeGateway(k, api_base=api_base))
        request = DiagnosisRequest(key=key, second_key=second or None, return_url=return_url,
                                   customer=customer, timeout=args.timeout)
        diagnosis = asyncio.run(diagnoser.run(request))
    _emit(diagnosis, args, stdout, environ)
    if not args.no_history:
        save_to_history(diagnosis, args, environ)
    if diagnosis.fatal:
        print(f"portal-assistant: {diagnosis.fatal}", file=sys.stderr)
    return diagnosis.verdict.exit_status


def _check_history_url(args: argparse.Namespace, environ: os._Environ[str] | dict[str, str]) -> None:
    """A URL that can never work is a usage error before Stripe is read, not after."""
    if args.no_history:
        return
    from assistant.store.opening import history_url
    from assistant.store.team_url import TeamUrlError, parse_team_url

    url = history_url(getattr(args, "history_url", None), environ)
    if url:
        try:
            parse_team_url(url)
        except TeamUrlError as err:
            raise UsageError(str(err)) from None


def save_to_history(
    diagnosis: Diagnosis,
    args: argparse.Namespace | None = None,
    environ: os._Environ[str] | dict[str, str] | None = None,
) -> int | None:
    """Keep the run for before/after comparisons (and for the team, when one is set). A
    history that cannot be written must not cost the agent the diagnosis, so failure is
    logged and the run goes on; a team database that is away is said in one line."""
    from assistant.store.team import TeamHistory

    try:
        store = open_history_for(args or argparse.Namespace(), os.environ if environ is None else environ)
        run_id = store.save(diagnosis)
    except UsageError:
        raise
    except Exception as err:  # disk full, read-only profile, locked or damaged database...
        from assistant.store.history import default_path
        from assistant.store.unreadable import history_problem

        log.warning("could not save the run in the history: %s", type(err).__name__)
        print(f"portal-assistant: this run was not saved in the case history: "
              f"{history_problem(err, default_path())}", file=sys.stderr)
        return None
    if isinstance(store, TeamHistory):
        sharing = store.sharing()
        if sharing.pending:
            reason = f" ({sharing.problem})" if sharing.problem else ""
            print(f"portal-assistant: this run was saved on this computer, will be shared when "
                  f"the team database is reachable{reason}", file=sys.stderr)
        store.close()
    return run_id


@contextlib.contextmanager
def _practice(name: str | None) -> Iterator[tuple[Scenario, str] | None]:
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


def _list_scenarios(stdout: TextIO) -> int:
    from assistant.cli.practice_list import write_practice_list

    write_practice_list(stdout)
    return EXIT_OK


def _emit(
    diagnosis: Diagnosis,
    args: argparse.Namespace,
    stdout: TextIO,
    environ: os._Environ[str] | dict[str, str],
) -> None:
    fmt = args.format
    if fmt == "pdf":
        from assistant.report.render import render
        from assistant.report.redaction import RedactionOptions
        from assistant.report.pdf import write_pdf

        html = render(diagnosis, "html", options=RedactionOptions(mask_emails=not args.show_emails))
        _write_output(args.output, lambda target: write_pdf(html, target))
        return
    text = render_diagnosis(diagnosis, fmt, mask_emails=not args.show_emails,
                            style=_text_style(args, environ, None if args.output else stdout))
    if args.output:
        from assistant.store.private_files import write_private

        _write_output(args.output, lambda target: write_private(target, text))
    else:
        stdout.write(text)


def _check_output(output: str | None) -> None:
    """Before any request: an --output whose folder does not exist is said at once (and the
    folder is not made: a typo would leave customer data somewhere unexpected)."""
    if output and not Path(output).parent.is_dir():
        raise UsageError(f"cannot write {output}: the folder {Path(output).parent} does not exist")


def _write_output(output: str, write: Callable[[Path], None]) -> None:
    """Every format's file goes through here: created 0600, one sentence if it cannot be."""
    _check_output(output)
    try:
        write(Path(output))
    except OSError as err:
        raise UsageError(f"cannot write {output}: {err.strerror or err}") from None


def _text_style(
    args: argparse.Namespace, environ: os._Environ[str] | dict[str, str], stream: TextIO | None
) -> TextStyle:
    """Width and colour of the terminal the text goes to (`stream` None: a file)."""
    from assistant.cli.terminal import terminal_width, wants_color
    from assistant.report.text_style import TextStyle

    return TextStyle(width=terminal_width(environ, stream), color=wants_color(args.color, environ, stream),
                     verbose=args.verbose)


def render_diagnosis(
    diagnosis: Diagnosis, fmt: str, *, mask_emails: bool = True, style: TextStyle | None = None
) -> str:
    """Every format redacted (keys, session links; e-mails masked alike in all unless
    `mask_emails` is False) and safe to print; only the JSON keeps whole values, with control
    characters escaped rather than removed. `style` lays out the text format."""
    from assistant.report.redaction import RedactionOptions, escape_controls, redact_diagnosis

    if fmt == "json":
        import json

        whole = redact_diagnosis(diagnosis, RedactionOptions(mask_emails=mask_emails, display=False))
        return escape_controls(json.dumps(whole.to_dict(), indent=2, ensure_ascii=False)) + "\n"
    if fmt == "text":
        from assistant.report.text import render_text

        return render_text(diagnosis, RedactionOptions(mask_emails=mask_emails), style=style)
    from assistant.report.render import render

    return render(diagnosis, fmt, options=RedactionOptions(mask_emails=mask_emails))
