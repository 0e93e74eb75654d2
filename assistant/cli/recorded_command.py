"""What `fix` and `ask` share as commands that write to an owner's account: one case history per
command, opened on first use; the writes an earlier run left open, settled by this run's reads;
the run saved (its id taken) before anything is sent, or nothing is sent; `--live-confirm`
checked against the account read; what was recorded delivered to the team database last.

The two commands differ in what they write and in their sentences, which they pass in; the
order of these steps is the safety rule, so it lives here once.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, TextIO

from assistant.cli.open_writes import settle_and_say
from assistant.cli.shared import UsageError, deliver_recorded, open_history_for

if TYPE_CHECKING:
    from assistant.diagnosis.model import AccountInfo, Diagnosis
    from assistant.diagnosis.run import RunOutcome
    from assistant.store.case_history import CaseHistory
    from assistant.store.intent_log import Resolution

log = logging.getLogger(__name__)


class RecordedCommand:
    def __init__(self, args: argparse.Namespace, stdout: TextIO, environ: Mapping[str, str], *,
                 deadline: float | None = None) -> None:
        self.args, self.stdout, self.environ, self.deadline = args, stdout, environ, deadline
        self.store: CaseHistory | None = None
        self.settled: list[Resolution] = []

    def _history(self) -> CaseHistory:
        if self.store is None:
            self.store = open_history_for(self.args, self.environ, deadline=self.deadline)
        return self.store

    def _settle(self, outcome: RunOutcome) -> None:
        """Writes an earlier run left open on this account: settled by what this run read. A
        history that cannot be opened is said later, by the write that needs it."""
        try:
            store = self._history()
        except UsageError:
            raise
        except Exception as err:
            log.warning("history unavailable to settle open writes: %s", type(err).__name__)
            return
        self.settled = settle_and_say(store, (outcome.snapshot, outcome.other), sys.stderr)

    def deliver(self) -> None:
        """Send what this command recorded to the team database (nothing without one), after
        everything is printed, and say in one line if it has to wait."""
        deliver_recorded(self.store)

    def _saved_run(self, diagnosis: Diagnosis, *, nothing: str, why: str) -> tuple[CaseHistory, str]:
        """The history the writes are recorded in and the id of the run they answer. A history
        that cannot be opened or written is a usage error and nothing is sent: `nothing` ("nothing
        was sent") and `why` every write is recorded first make its sentence."""
        try:
            store = self._history()
            return store, store.run_uid(store.save(diagnosis, deliver=False))
        except UsageError:
            raise
        except Exception as err:
            raise UsageError(f"{nothing}: the case history cannot be written ({type(err).__name__}), {why}") from None

    def _confirm_live(self, account: AccountInfo | None, *, unreadable: str, unconfirmed: str) -> None:
        """Live mode: `--live-confirm` must name the account read. `unreadable` when the key
        cannot read its id; `unconfirmed` (with `{account}`) when the flag names another."""
        if account is None or not account.id:
            raise UsageError(unreadable)
        if (self.args.live_confirm or "").strip() != account.id:
            raise UsageError(unconfirmed.replace("{account}", account.id))
