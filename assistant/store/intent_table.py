"""The `intents` table of this computer's history file: rows in, `Intent`s out.

Called by `HistoryStore` inside its own transactions, so recording a change and closing the
intent that announced it are one commit (a kill between the two cannot leave a recorded change
with its intent still open, nor the reverse).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, select

from assistant.report.redaction import RedactionOptions, redact_text
from assistant.store.records import DONE, FOUND, OPEN, Intent, new_uid, utc_now
from assistant.store.schema import intents as intents_t

_EXACT = RedactionOptions(mask_emails=False, display=False)


def _detail_json(detail: dict[str, Any]) -> str:
    """The kind's record as JSON, unaltered; refused when it holds a key or a session link."""
    text = json.dumps(detail, ensure_ascii=False, sort_keys=True)
    if redact_text(text, _EXACT) != text:
        raise ValueError("Refusing to record a write whose details hold a key or a session link.")
    return text


def insert(conn: Connection, intent: Intent, agent: str) -> str:
    """(`intent.masked_key` already checked to be masked: see `HistoryStore.open_intent`.)
    A new open intent, or the open one already made with this idempotency key (the window
    re-sends a failed apply with its first key: one write, one intent)."""
    same = conn.execute(
        select(intents_t.c.intent_uid).where(intents_t.c.idempotency_key == intent.idempotency_key,
                                             intents_t.c.state == OPEN)).scalar()
    if same is not None:
        return str(same)
    uid = intent.intent_uid or new_uid()
    conn.execute(intents_t.insert().values(
        intent_uid=uid, kind=intent.kind, state=OPEN, account_id=intent.account_id, mode=intent.mode,
        masked_key=intent.masked_key, object_id=intent.object_id, method=intent.method, path=intent.path,
        idempotency_key=intent.idempotency_key, detail_json=_detail_json(intent.detail),
        run_uid=intent.run_uid, agent=agent, created_at=utc_now()))
    return uid


def close(conn: Connection, intent_uid: str, state: str, *, note: str = "", change_uid: str | None = None,
          object_id: str = "") -> None:
    """Mark an open intent answered (or settled); an intent closed already stays as it was.
    `object_id`: the object a creating write made, now known."""
    values: dict[str, Any] = {"state": state, "note": redact_text(note, _EXACT), "change_uid": change_uid,
                              "resolved_at": utc_now()}
    if object_id:
        values["object_id"] = redact_text(object_id, _EXACT)
    conn.execute(intents_t.update()
                 .where(intents_t.c.intent_uid == intent_uid, intents_t.c.state == OPEN)
                 .values(**values))


def _intent(row: Any) -> Intent:
    return Intent(kind=row.kind, account_id=row.account_id, mode=row.mode, masked_key=row.masked_key,
                  object_id=row.object_id, method=row.method, path=row.path,
                  idempotency_key=row.idempotency_key, detail=json.loads(row.detail_json),
                  run_uid=row.run_uid, intent_uid=row.intent_uid, state=row.state, created_at=row.created_at,
                  resolved_at=row.resolved_at, change_uid=row.change_uid, note=row.note, agent=row.agent)


def open_ones(conn: Connection) -> list[Intent]:
    """Every intent still open, oldest first."""
    rows = conn.execute(select(intents_t).where(intents_t.c.state == OPEN).order_by(intents_t.c.id))
    return [_intent(r) for r in rows]


def by_uid(conn: Connection, intent_uid: str) -> Intent | None:
    row = conn.execute(select(intents_t).where(intents_t.c.intent_uid == intent_uid)).first()
    return _intent(row) if row is not None else None


def later_recorded(conn: Connection, intent: Intent) -> list[Intent]:
    """Intents of the same account and mode made after `intent` whose writes were recorded."""
    here = conn.execute(select(intents_t.c.id).where(intents_t.c.intent_uid == intent.intent_uid)).scalar()
    if here is None:
        return []
    rows = conn.execute(select(intents_t).where(
        intents_t.c.id > here, intents_t.c.account_id == intent.account_id, intents_t.c.mode == intent.mode,
        intents_t.c.state.in_((DONE, FOUND)), intents_t.c.change_uid.is_not(None)).order_by(intents_t.c.id))
    return [_intent(r) for r in rows]
