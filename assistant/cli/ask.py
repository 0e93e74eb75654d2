"""`main.py ask --customer …`: ask Stripe itself, flow by flow, what this customer can do in the portal.

Safety first, in this order, and nothing is written when any fails: a customer named; the
account read (reads only) and the asks planned from it (a customer found, the subscription and
prices given fit, a return URL known); in live mode `--live-confirm` equals the account's id;
the case history can record the asks before they are sent. Only then is each flow sent, all at
once, as `POST /v1/billing_portal/sessions` with `flow_data` and an idempotency key, and each
answer printed with the finding that explains it. No session URL is printed, kept or logged.

Exit status: 0 every flow accepted; 1 any refused or not answered; 2 usage (nothing sent); 3
Stripe unreachable.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Mapping
from typing import TextIO

from assistant.account.keys import is_live
from assistant.cli.recorded_command import RecordedCommand
from assistant.cli.shared import (
    EXIT_UNREACHABLE,
    UsageError,
    api_base_from,
    deadline_after,
    list_practice_accounts,
    practice,
    writing_request,
)
from assistant.diagnosis.ask_runner import AskRunner, Prepared
from assistant.diagnosis.asks.model import AskInputs, AskRun, AskUsageError
from assistant.diagnosis.run import Diagnoser, DiagnosisRequest, GatewayFactory
from assistant.store.ask_log import AskLog


def run_ask(args: argparse.Namespace, *, stdin: TextIO, stdout: TextIO, environ: Mapping[str, str],
            gateway_factory_for: Callable[[str | None], GatewayFactory]) -> int:
    if args.diag_demo == "list":
        return list_practice_accounts(stdout)
    deadline = deadline_after(args.timeout)
    api_base = api_base_from(args.diag_api_base, environ, sys.stderr)
    with practice(args.diag_demo) as practising:
        scenario = None
        if practising is not None:
            scenario, api_base = practising
        request = writing_request(args, stdin, environ, scenario, second_key=False)
        if not (request.customer or "").strip():
            raise UsageError("nothing was sent: name the customer to ask about with --customer cus_…, acct_… or "
                             "their e-mail")
        factory = gateway_factory_for(api_base)
        runner = AskRunner(Diagnoser(factory), factory)  # type: ignore[arg-type]
        command = AskCommand(args, runner, request, stdout, environ, deadline=deadline)
        try:
            return asyncio.run(command.run())
        except AskUsageError as err:
            raise UsageError(_nothing_sent(str(err))) from None
        finally:
            command.deliver()  # after everything is printed, within what is left of --timeout


def _nothing_sent(sentence: str) -> str:
    return sentence if sentence.startswith("nothing was sent") else f"nothing was sent: {sentence}"


class AskCommand(RecordedCommand):
    def __init__(self, args: argparse.Namespace, runner: AskRunner, request: DiagnosisRequest, stdout: TextIO,
                 environ: Mapping[str, str], *, deadline: float | None = None) -> None:
        super().__init__(args, stdout, environ, deadline=deadline)
        self.runner, self.request = runner, request
        self.inputs = AskInputs(customer=str(request.customer), subscription=args.subscription,
                                configuration=args.configuration, prices=tuple(args.prices),
                                return_url=args.return_url)

    async def run(self) -> int:
        prepared = await self.runner.prepare(self.request, self.inputs)
        diagnosis = prepared.outcome.diagnosis
        if diagnosis.fatal or prepared.plan is None:
            print(f"portal-assistant: {diagnosis.fatal}", file=sys.stderr)
            return EXIT_UNREACHABLE
        self._settle(prepared.outcome)
        if is_live(diagnosis.mode):
            # Live asks create real portal sessions: `--live-confirm` must name the account.
            self._confirm_live(
                diagnosis.account,
                unreadable="nothing was sent: this is live mode, and this key cannot read the account's id to "
                           "confirm it; use a secret key of the account",
                unconfirmed="nothing was sent: asking Stripe in live mode creates real portal sessions (each sends "
                            "billing_portal.session.created to the owner's endpoints); confirm with "
                            "--live-confirm {account} (the account's id) after checking with the owner")
        store, run_uid = self._saved_run(diagnosis, nothing="nothing was sent",
                                         why="and every write to the owner's account is recorded first")
        run = await self.runner.ask(self.request, prepared, AskLog(store, run_uid=run_uid))
        self._emit(run, prepared)
        if run.record_problem:
            print(f"portal-assistant: {run.record_problem}", file=sys.stderr)
        return run.exit_status

    def _emit(self, run: AskRun, prepared: Prepared) -> None:
        from assistant.cli.ask_render import ask_json, render_ask
        from assistant.cli.terminal import terminal_width, wants_color
        from assistant.report.text_style import TextStyle

        if self.args.format == "json":
            self.stdout.write(ask_json(run))
        else:
            style = TextStyle(width=terminal_width(self.environ, self.stdout),
                              color=wants_color(self.args.color, self.environ, self.stdout))
            assert prepared.plan is not None
            self.stdout.write(render_ask(run, prepared.plan.view, style))
        self.stdout.flush()
