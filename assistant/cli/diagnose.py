"""`main.py diagnose`: run every check on one account and print the result in the format asked.

The gateways to Stripe are made by the composition root (`assistant.cli.main`) and passed in, so
this command never imports the gateway itself. Every finished run is kept in the case history
unless `--no-history`; a history that cannot be written costs the agent one line, never the
diagnosis.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from assistant.cli.open_writes import settle_and_say
from assistant.cli.shared import (
    UsageError,
    api_base_from,
    deadline_after,
    list_practice_accounts,
    open_history_for,
    other_mode_key,
    practice,
    read_key,
)
from assistant.store.private_files import not_a_file

if TYPE_CHECKING:
    from assistant.diagnosis.model import Diagnosis
    from assistant.diagnosis.run import DiagnosisRequest, GatewayFactory
    from assistant.practice.scenarios import Scenario
    from assistant.report.text_style import TextStyle
    from assistant.store.case_history import CaseHistory

log = logging.getLogger(__name__)


def run_diagnose(
    args: argparse.Namespace,
    *,
    stdin: TextIO,
    stdout: TextIO,
    environ: Mapping[str, str],
    gateway_factory_for: Callable[[str | None], GatewayFactory],
) -> int:
    import asyncio

    from assistant.diagnosis.run import Diagnoser

    if args.diag_demo == "list":
        return list_practice_accounts(stdout)
    deadline = deadline_after(args.timeout)  # the team database gets what Stripe left of it
    if args.format == "pdf" and not args.output:
        raise UsageError("--format pdf needs --output FILE")
    _check_output(args.output)
    _check_history_url(args, environ)
    api_base = api_base_from(args.diag_api_base, environ, sys.stderr)
    with practice(args.diag_demo) as practising:
        scenario = None
        if practising is not None:
            scenario, api_base = practising
        request = _request(args, stdin, environ, scenario)
        diagnoser = Diagnoser(gateway_factory_for(api_base))
        outcome = asyncio.run(diagnoser.run_full(request))
    diagnosis = outcome.diagnosis
    _emit(diagnosis, args, stdout, environ)
    stdout.flush()  # the report is out before anything waits on the team database
    store = _history_or_none(args, environ, deadline)
    if store is not None and not diagnosis.fatal:
        settle_and_say(store, (outcome.snapshot, outcome.other), sys.stderr)
    if not args.no_history:
        save_to_history(diagnosis, args, environ, store=store)
    elif store is not None:
        store.close()
    if diagnosis.fatal:
        print(f"portal-assistant: {diagnosis.fatal}", file=sys.stderr)
    return diagnosis.verdict.exit_status


def _request(
    args: argparse.Namespace, stdin: TextIO, environ: Mapping[str, str], scenario: Scenario | None
) -> DiagnosisRequest:
    """What to read: the practice account's keys, customer and return URL (each unless given),
    or the agent's key (then the other mode's) with the options given."""
    from assistant.diagnosis.run import DiagnosisRequest

    connected = args.connected_account
    if scenario is not None:
        key, second = scenario.primary_key, scenario.second_key
        customer = args.customer or scenario.customer
        return_url = args.return_url or scenario.return_url
        connected = connected or scenario.connected_account
    else:
        key = read_key(args, stdin, environ)
        second = other_mode_key(args, environ)
        customer, return_url = args.customer, args.return_url
    return DiagnosisRequest(key=key, second_key=second or None, return_url=return_url,
                            customer=customer, timeout=args.timeout, connected_account=connected)


def _check_history_url(args: argparse.Namespace, environ: Mapping[str, str]) -> None:
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


def _history_or_none(args: argparse.Namespace, environ: Mapping[str, str], deadline: float) -> CaseHistory | None:
    """The history this run is kept in (and writes left open are settled in); None when it
    cannot be opened (the save says why)."""
    try:
        return open_history_for(args, environ, deadline=deadline)
    except UsageError:
        raise
    except Exception as err:
        log.warning("could not open the history: %s", type(err).__name__)
        return None


def save_to_history(
    diagnosis: Diagnosis,
    args: argparse.Namespace | None = None,
    environ: Mapping[str, str] | None = None,
    *,
    store: CaseHistory | None = None,
) -> int | None:
    """Keep the run for before/after comparisons (and for the team, when one is set). A
    history that cannot be written must not cost the agent the diagnosis, so failure is
    logged and the run goes on; a team database that is away (or too slow for what is left
    of --timeout) is said in one line."""
    try:
        if store is None:
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
    note = store.sharing().saved_run_note
    if note:
        print(f"portal-assistant: {note}", file=sys.stderr)
    store.close()
    return run_id


def _emit(diagnosis: Diagnosis, args: argparse.Namespace, stdout: TextIO, environ: Mapping[str, str]) -> None:
    fmt = args.format
    if fmt == "pdf":
        from assistant.report.pdf import write_pdf
        from assistant.report.redaction import RedactionOptions
        from assistant.report.render import render

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
    folder is not made: a typo would leave customer data somewhere unexpected), and so is one
    that exists but is not a file (a device, a FIFO, a folder): the report is written beside it
    and renamed over it, which would replace a device node (docs/decisions.md)."""
    if not output:
        return
    if not Path(output).parent.is_dir():
        raise UsageError(f"cannot write {output}: the folder {Path(output).parent} does not exist")
    if not_a_file(Path(output)):
        raise UsageError(f"{output} is not a regular file: give a file name for the report")


def _write_output(output: str, write: Callable[[Path], None]) -> None:
    """Every format's file goes through here: created 0600, one sentence if it cannot be."""
    _check_output(output)
    try:
        write(Path(output))
    except OSError as err:
        raise UsageError(f"cannot write {output}: {err.strerror or err}") from None


def _text_style(args: argparse.Namespace, environ: Mapping[str, str], stream: TextIO | None) -> TextStyle:
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
