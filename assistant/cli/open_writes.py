"""What a command says about writes left open by an earlier run (see assistant.store.intent_log).

Every command that reads an account settles the open intents of that account and mode first
and says what became of each on standard error, with the command that undoes one it recorded;
intents it cannot settle (another account or mode) are named in one line, and `history`, which
reads no account, names them all. A history that cannot be opened costs one line, never the
command.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from assistant.account.snapshot import Snapshot
    from assistant.store.case_history import CaseHistory
    from assistant.store.intent_log import Resolution

log = logging.getLogger(__name__)


def settle_and_say(store: CaseHistory, snapshots: Sequence[Snapshot | None], err: TextIO) -> list[Resolution]:
    """Settle what this run's reads can settle; one line per intent, and one for the rest."""
    from assistant.store.intent_log import (
        RECORDED,
        elsewhere_sentence,
        settle_open_intents,
        waiting_elsewhere,
    )

    try:
        settled = settle_open_intents(store, snapshots)
        rest = waiting_elsewhere(store, snapshots)
    except Exception as error:  # the history's own problem: said by the save or the apply
        log.warning("open changes could not be settled: %s", type(error).__name__)
        return []
    for resolution in settled:
        line = resolution.sentence
        if resolution.outcome == RECORDED and resolution.change_id and resolution.intent.kind != "undo":
            line += f" Undo it with: main.py fix --undo {resolution.change_id} --yes"
        err.write(f"portal-assistant: {_safe(line)}\n")
    if rest:
        err.write(f"portal-assistant: {_safe(elsewhere_sentence(rest))}\n")
    return settled


def say_waiting(store: CaseHistory, err: TextIO) -> None:
    """For a command that reads no account: the writes still open, named."""
    from assistant.store.intent_log import elsewhere_sentence, waiting_elsewhere

    try:
        rest = waiting_elsewhere(store)
    except Exception as error:
        log.warning("open changes could not be listed: %s", type(error).__name__)
        return
    if rest:
        err.write(f"portal-assistant: {_safe(elsewhere_sentence(rest))}\n")


def resolutions_json(settled: Sequence[Resolution]) -> list[dict[str, object]]:
    """`settled` in a command's JSON: what became of each write left open."""
    return [{"intent": r.intent.intent_uid, "kind": r.intent.kind, "account": r.intent.account_id,
             "mode": r.intent.mode, "object_id": r.intent.object_id or None, "outcome": r.outcome,
             "checked": r.checked, "change_id": r.change_id, "message": r.sentence} for r in settled]


def _safe(text: str) -> str:
    from assistant.report.redaction import redact_text

    return redact_text(text).replace("\n", " ")
