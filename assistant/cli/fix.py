"""`main.py fix`: the plan (writes nothing), `--apply SEL --yes`, `--undo CHANGE_ID --yes`.

Safety first, in this order, and nothing is written when any fails: `--yes` given; the
selection names fixes of the plan; each selected fix is ready (inputs given, not guided-only);
in live mode `--live-confirm` equals the account's id; the case history can record the
change. Only then are the fixes sent, recorded, and the checks run again.

Exit status: 0 every selected fix applied (or the undo restored the values) and its check ran
again without fail/error; 1 Stripe refused a change, or a check still fails after it, or the
change did not hold; 2 usage (nothing written); 3 Stripe unreachable.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TextIO

from assistant.account.keys import is_live
from assistant.cli.fix_render import applied_json, json_text, render_applied, render_plan
from assistant.cli.open_writes import resolutions_json
from assistant.cli.recorded_command import RecordedCommand
from assistant.cli.shared import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_UNREACHABLE,
    UsageError,
    api_base_from,
    deadline_after,
    list_practice_accounts,
    practice,
    writing_request,
)
from assistant.diagnosis.fix_runner import APPLIED, UNKNOWN, Applied, FixRunner, keys_by_mode
from assistant.diagnosis.fixes.model import FixInputs, UnknownSelection
from assistant.diagnosis.fixes.undo import UndoRefused
from assistant.diagnosis.model import AccountInfo
from assistant.diagnosis.run import Diagnoser, DiagnosisRequest, GatewayFactory
from assistant.knowledge.checklist import check_ids
from assistant.store.fix_log import FixLog
from assistant.store.records import ChangeNotFound


def run_fix(args: argparse.Namespace, *, stdin: TextIO, stdout: TextIO, environ: Mapping[str, str],
            gateway_factory_for: Callable[[str | None], GatewayFactory]) -> int:
    if args.diag_demo == "list":
        return list_practice_accounts(stdout)
    if args.apply and args.undo:
        raise UsageError("give --apply or --undo, not both")
    if (args.apply or args.undo) and not args.yes:
        raise UsageError("nothing was written: add --yes to apply or undo for real "
                         "(run 'main.py fix' alone to see the plan first)")
    deadline = deadline_after(args.timeout)
    api_base = api_base_from(args.diag_api_base, environ, sys.stderr)
    with practice(args.diag_demo) as practising:
        scenario = None
        if practising is not None:
            scenario, api_base = practising
        request = writing_request(args, stdin, environ, scenario)
        factory = gateway_factory_for(api_base)
        runner = FixRunner(Diagnoser(factory), factory)  # type: ignore[arg-type]
        command = FixCommand(args, runner, request, stdout, environ, deadline=deadline)
        try:
            return asyncio.run(command.undo() if args.undo else command.run())
        finally:
            command.deliver()  # after everything is printed, within what is left of --timeout


class FixCommand(RecordedCommand):
    def __init__(self, args: argparse.Namespace, runner: FixRunner, request: DiagnosisRequest,
                 stdout: TextIO, environ: Mapping[str, str], *, deadline: float | None = None) -> None:
        super().__init__(args, stdout, environ, deadline=deadline)
        self.runner, self.request = runner, request
        self.inputs = FixInputs(return_url=args.return_url, webhook_url=args.webhook_url,
                                privacy_url=args.privacy_url, terms_url=args.terms_url)

    # -- plan and apply --------------------------------------------------------------------

    async def run(self) -> int:
        planned = await self.runner.plan(self.request, self.inputs)
        diagnosis = planned.outcome.diagnosis
        if diagnosis.fatal:
            print(f"portal-assistant: {diagnosis.fatal}", file=sys.stderr)
            return EXIT_UNREACHABLE
        self._settle(planned.outcome)
        if not self.args.apply:
            self._emit(planned.plan.to_dict(), render_plan(planned.plan))
            return EXIT_OK
        try:
            fixes = planned.plan.select(self.args.apply, check_ids())
        except UnknownSelection as err:
            raise UsageError(f"nothing was written: {err}") from None
        blockers = [b for b in (f.blocker() for f in fixes) if b]
        if blockers:
            raise UsageError("nothing was written: " + " ".join(blockers))
        live = ", ".join(f.id for f in fixes if f.live)
        if live:
            self._confirm_live_change(diagnosis.account, live)
        store, run_uid = self._saved_run(diagnosis, nothing="nothing was written",
                                         why="and every change must be recorded so that it can be undone")
        applied = await self.runner.apply(self.request, planned, fixes, FixLog(store, run_uid=run_uid))
        self._save_after(applied)
        self._emit(applied_json(applied, diagnosis.mode, self.request.connected_account), render_applied(applied))
        return _status(applied, undo=False)

    def _confirm_live_change(self, account: AccountInfo | None, names: str) -> None:
        """A live change needs `--live-confirm` naming the account it is made on."""
        self._confirm_live(
            account,
            unreadable=f"nothing was written: {names} changes live mode, and this key cannot read the "
                       "account's id to confirm it; use a secret key of the account",
            unconfirmed=f"nothing was written: {names} changes live mode (real customers); confirm with "
                        "--live-confirm {account} (the account's id) after checking with the owner")

    def _save_after(self, applied: Applied) -> None:
        if applied.after is None or self.store is None:
            return
        try:
            self.store.save(applied.after.diagnosis, deliver=False)
        except Exception as err:  # the changes are recorded already; the run after is a bonus
            print(f"portal-assistant: the run after the fixes was not saved ({type(err).__name__})",
                  file=sys.stderr)

    # -- undo --------------------------------------------------------------------------------

    async def undo(self) -> int:
        store = self._history()
        before = await self.runner.diagnoser.run_full(self.request)
        if before.diagnosis.fatal:
            print(f"portal-assistant: {before.diagnosis.fatal}", file=sys.stderr)
            return EXIT_UNREACHABLE
        self._settle(before)  # an undo (or the fix) left open by a killed run is recorded first
        try:
            recorded = FixLog(store).batch(self.args.undo.strip())
        except ChangeNotFound:
            raise UsageError(f"nothing was written: no recorded change has the id {self.args.undo!r} "
                             "(main.py history lists runs; the apply printed the change id)") from None
        done = [c for c in recorded if c.undone_by]
        if done:
            raise UsageError(f"nothing was written: change {self.args.undo} was already undone "
                             f"(by change {done[0].undone_by})")
        mode = recorded[0].mode
        if mode not in keys_by_mode(self.request):
            raise UsageError(f"nothing was written: the change was made in {mode} mode and no {mode} mode key "
                             "was given (use --live-key-env for the other mode's key)")
        account = before.diagnosis.account
        if account is not None and account.id and recorded[0].account_id != account.id:
            raise UsageError(f"nothing was written: change {self.args.undo} was made on {recorded[0].account_id}, "
                             f"and this key is for {account.id}")
        if is_live(mode):
            self._confirm_live_change(account, f"undoing {recorded[0].fix_id}")
        run_uid = store.run_uid(store.save(before.diagnosis, deliver=False))
        try:
            applied = await self.runner.undo(self.request, recorded, FixLog(store, run_uid=run_uid), before=before)
        except UndoRefused as err:
            raise UsageError(f"nothing was written: {err}") from None
        self._save_after(applied)
        self._emit(applied_json(applied, before.diagnosis.mode, self.request.connected_account),
                   render_applied(applied, undo=True))
        return _status(applied, undo=True)

    def _emit(self, data: dict[str, object], text: str) -> None:
        if self.args.format == "json":
            self.stdout.write(json_text({**data, "settled": resolutions_json(self.settled)}))
        else:
            self.stdout.write(text)
        self.stdout.flush()  # the change id is out before anything waits on the team database


def _status(applied: Applied, *, undo: bool) -> int:
    """The exit status: Stripe's refusals and changes that did not hold first, then the run's
    verdict (the same rule as `diagnose`) over the re-run checks of the fixes applied."""
    if any(o.unreachable for o in applied.outcomes):
        return EXIT_UNREACHABLE
    if any(o.status == UNKNOWN for o in applied.outcomes):
        return EXIT_FAILED
    if any(o.status != APPLIED or o.mismatches for o in applied.outcomes):
        return EXIT_FAILED
    if undo or applied.after is None:
        return EXIT_OK
    checks = tuple(o.check for o in applied.outcomes if o.check is not None)
    if len(checks) != len(applied.outcomes):
        return EXIT_FAILED  # a fix's check did not run again: never a pass
    return replace(applied.after.diagnosis, checks=checks).verdict.exit_status
