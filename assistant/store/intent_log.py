"""Writes left open: settled at the next start by reading the object, and said to the agent.

Every fix and undo is announced in the history before it is sent (an intent) and closed when
Stripe answers. One left open means the process died while its request was in flight, or the
answer never came: the account may have changed while the history holds nothing. Every command
that reads an account (`diagnose`, `fix`, `fix --undo`) and the window after each run call
`settle_open_intents` with what that run read: an intent of the account and mode just read is
settled by what Stripe holds now.

- made: it becomes a recorded change (undoable, its id said) unless a later write of this
  computer already recorded the same change;
- not made: dropped (closed "not_made"), unless it is younger than `IN_FLIGHT_S`: a request can
  still reach Stripe a moment after its process died, so it is left open for the next start;
- unknown (the object's list could not be read): left open.

`waiting_elsewhere` names the open intents this run could not settle (another account or mode),
so the agent is told either way. The same record serves later kinds of writes (see
`records.Intent`): a kind this module does not know is left open and named, never guessed at.
An ask's portal sessions (kind "ask") can be neither read back nor undone and expire on their
own: one left open is closed by the next run of its account, saying so, and is never named as
a change waiting elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from assistant.diagnosis.fixes.fields import same
from assistant.diagnosis.fixes.model import API, FieldChange, Fix, Request
from assistant.diagnosis.fixes.settle import MADE, NOT_MADE, Settled, changes_from, settle
from assistant.store.fix_log import FixLog
from assistant.store.records import ASK_INTENT, DONE, FIX_INTENT, FOUND, UNDO_INTENT, AccountChange, Intent

if TYPE_CHECKING:
    from assistant.account.snapshot import Snapshot
    from assistant.store.case_history import CaseHistory

IN_FLIGHT_S = 20.0  # how long after its process died a request may still reach Stripe
RECORDED, DROPPED, STILL_OPEN, CLOSED = "recorded", "dropped", "open", "closed"
ASK_LEFT_OPEN = ("a portal session cannot be read back; each one this ask may have created expires on its own, "
                 "and there is nothing to undo")


@dataclass(frozen=True)
class Resolution:
    """What became of one open intent, and the sentence that says so."""

    intent: Intent
    outcome: str  # RECORDED, DROPPED or STILL_OPEN
    checked: str  # what reading the object showed
    change_id: str | None = None  # the recorded change (RECORDED)
    already: bool = False  # RECORDED by a later write of this computer, not by this one

    @property
    def what(self) -> str:
        detail = self.intent.detail
        title = str(detail.get("title") or detail.get("fix") or self.intent.kind)
        target = self.intent.object_id or "a new object"
        return f"{title} on {target}, {self.intent.mode or 'unknown'} mode, started {_when(self.intent.created_at)}"

    @property
    def sentence(self) -> str:
        """One sentence for every front end (a command adds how to undo)."""
        if self.outcome == CLOSED:
            count = self.intent.detail.get("count") or "some"
            return (f"An ask of Stripe left open when the assistant stopped ({count} portal flows for "
                    f"{self.intent.object_id or 'a customer'}, {self.intent.mode or 'unknown'} mode, started "
                    f"{_when(self.intent.created_at)}) was closed: {self.checked}.")
        head = f"A change left open when the assistant stopped while writing ({self.what}) was checked: {self.checked}"
        if self.outcome == RECORDED and self.already:
            return f"{head}. It was made and is recorded already, as change {self.change_id}."
        if self.outcome == RECORDED:
            return f"{head}. It was made, and is now recorded as change {self.change_id}."
        if self.outcome == DROPPED:
            return f"{head}. It was not made: nothing changed, nothing to undo."
        return f"{head}. It is checked again by the next run of this account (it may still be on its way)."


def _when(stamp: str) -> str:
    return stamp.replace("T", " ").replace("Z", " UTC") if stamp else "at an unknown time"


def _age_s(stamp: str, now: datetime) -> float:
    try:
        made = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return float("inf")
    return (now - made).total_seconds()


def _reads(intent: Intent, snapshots: Sequence[Snapshot | None]) -> bool:
    """This run read the intent's account in its mode (by account id, or by the key's masked
    form when the key may not read the account)."""
    for snap in snapshots:
        if snap is None or snap.mode != intent.mode:
            continue
        account = (snap.account.value or {}).get("id")
        if (account and account == intent.account_id) or (snap.key.masked and snap.key.masked == intent.masked_key):
            return True
    return False


def open_intents_read_by(store: CaseHistory, snapshots: Sequence[Snapshot | None]) -> list[Intent]:
    return [i for i in store.open_intents() if i.kind in (FIX_INTENT, UNDO_INTENT, ASK_INTENT)
            and _reads(i, snapshots)]


def waiting_elsewhere(store: CaseHistory, snapshots: Sequence[Snapshot | None] = ()) -> list[Intent]:
    """Open intents these snapshots cannot settle (another account or mode, a kind not known here);
    an ask's is not one: nothing of it waits to be found out."""
    return [i for i in store.open_intents() if i.kind != ASK_INTENT
            and (i.kind not in (FIX_INTENT, UNDO_INTENT) or not _reads(i, snapshots))]


def elsewhere_sentence(intents: Sequence[Intent]) -> str:
    """"2 changes on acct_… (test mode) were left open …": for a run that cannot settle them."""
    if not intents:
        return ""
    places = sorted({f"{i.account_id} ({i.mode or 'unknown'} mode)" for i in intents})
    n = len(intents)
    return (f"{n} change{'s' if n != 1 else ''} on {', '.join(places)} {'were' if n != 1 else 'was'} left open "
            "when the assistant stopped while writing: run the checks with that account's key (the same mode) "
            "to find out whether Stripe made them and record them.")


def fix_of(intent: Intent) -> Fix:
    """The fix (or undo) an intent announced, as the history records it."""
    detail = intent.detail
    return Fix(id=str(detail.get("fix") or ""), check=str(detail.get("check") or ""),
               title=str(detail.get("title") or ""), kind=API, mode=intent.mode,
               summary=str(detail.get("summary") or ""), requests=(Request(intent.method, intent.path, {}),),
               changes=changes_from(detail.get("changes") or []))


def settle_open_intents(store: CaseHistory, snapshots: Sequence[Snapshot | None], *,
                        now: datetime | None = None) -> list[Resolution]:
    """Settle every open intent of the accounts and modes `snapshots` read (see the module doc).
    Blocking (the history file): off the UI thread in the window."""
    now = now or datetime.now(UTC)
    return [_resolve(store, intent, snapshots, now) for intent in open_intents_read_by(store, snapshots)]


def _resolve(store: CaseHistory, intent: Intent, snapshots: Sequence[Snapshot | None], now: datetime) -> Resolution:
    if intent.kind == ASK_INTENT:
        store.close_intent(intent.intent_uid, DONE, note=ASK_LEFT_OPEN)
        return Resolution(intent, CLOSED, ASK_LEFT_OPEN)
    fix = fix_of(intent)
    later = store.later_recorded(intent)
    existing = [*map(str, intent.detail.get("existing") or []), *(i.object_id for i in later if i.object_id)]
    settled = settle(intent.method, intent.object_id, fix.changes, intent.mode, snapshots, existing=existing)
    if settled.verdict == MADE:
        again = _recorded_later(intent, settled.changes, later)
        if again is not None:
            store.close_intent(intent.intent_uid, DONE, note=f"{settled.checked}; recorded as {again}",
                               change_uid=again)
            return Resolution(intent, RECORDED, settled.checked, again, already=True)
        change_id = _record(store, intent, fix, settled)
        return Resolution(intent, RECORDED, settled.checked, change_id)
    if settled.verdict == NOT_MADE and _age_s(intent.created_at, now) >= IN_FLIGHT_S:
        store.close_intent(intent.intent_uid, NOT_MADE, note=settled.checked)
        return Resolution(intent, DROPPED, settled.checked)
    return Resolution(intent, STILL_OPEN, settled.checked)


def _recorded_later(intent: Intent, changes: Iterable[FieldChange], later: Sequence[Intent]) -> str | None:
    """The change id of a later recorded write that set the same fields to the same values on
    the same object (the agent applied the fix again while this one was in flight)."""
    wanted = [(c.object or intent.object_id, c.field, c.after) for c in changes]
    for other in later:
        if other.kind != intent.kind or other.object_id != (wanted[0][0] if wanted else None):
            continue
        theirs = {(c.object or other.object_id, c.field): c.after
                  for c in changes_from(other.detail.get("changes") or [])}
        if all((obj, f) in theirs and same(theirs[(obj, f)], after) for obj, f, after in wanted):
            return other.change_uid
    return None


def _record(store: CaseHistory, intent: Intent, fix: Fix, settled: Settled) -> str:
    log = FixLog(store, run_uid=intent.run_uid, ticket=str(intent.detail.get("ticket") or ""))
    undo_of: list[AccountChange] = []
    if intent.kind == UNDO_INTENT:
        firsts = [str(u) for u in intent.detail.get("undo_of") or []]
        undo_of = log.batch(firsts[0]) if firsts else []
    left: dict[str, Any] | None = settled.left
    return log.record(fix, settled.changes, (), account_id=intent.account_id, undo_of=undo_of,
                      intent=intent.intent_uid, intent_state=FOUND, left=left)
