"""The `asks` table: Stripe's verdicts on the portal flows an ask sent, rows in, `AskRecord`s out.

Called by the stores inside their own transactions. Every text passes the report redaction
first (keys and portal session links always), and a row whose Stripe error would still hold
either is refused rather than kept.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select

from assistant.report.redaction import RedactionOptions, redact_text
from assistant.store.records import AskRecord, new_uid, utc_now
from assistant.store.schema import asks as asks_t

_EXACT = RedactionOptions(mask_emails=False, display=False)


def _error_json(error: dict[str, Any] | None) -> str | None:
    if error is None:
        return None
    text = json.dumps(error, ensure_ascii=False, sort_keys=True)
    if redact_text(text, _EXACT) != text:
        raise ValueError("Refusing to keep a Stripe answer that holds a key or a session link.")
    return text


def rows(records: Sequence[AskRecord], agent: str, redaction: RedactionOptions) -> list[dict[str, Any]]:
    """The table rows for answers about to be kept (uids, time and agent filled in)."""
    batch = next((r.batch_uid for r in records if r.batch_uid), "") or new_uid()
    now = utc_now()
    return [{
        "ask_uid": r.ask_uid or new_uid(), "batch_uid": r.batch_uid or batch, "run_uid": r.run_uid,
        "account_id": r.account_id, "mode": r.mode, "customer_id": redact_text(r.customer_id, _EXACT),
        "configuration_id": r.configuration_id, "flow": r.flow, "subscription_id": r.subscription_id,
        "price_id": r.price_id, "outcome": r.outcome, "predicted": r.predicted, "finding_code": r.finding_code,
        "said": redact_text(r.said, redaction), "stripe_error_json": _error_json(r.stripe_error),
        "request_id": r.request_id, "asked_at": r.asked_at or now,
        "agent": redact_text(r.agent or agent, redaction), "ticket": redact_text(r.ticket, redaction),
    } for r in records]


def insert(conn: Connection, insert_statement: Any, table_rows: Sequence[dict[str, Any]]) -> None:
    """Insert unless a row with the uid is there (a batch delivered twice keeps one copy)."""
    for row in table_rows:
        conn.execute(insert_statement.values(**row).on_conflict_do_nothing(index_elements=["ask_uid"]))


def record(row: Any) -> AskRecord:
    error = json.loads(row.stripe_error_json) if row.stripe_error_json else None
    return AskRecord(
        account_id=row.account_id, mode=row.mode, customer_id=row.customer_id, configuration_id=row.configuration_id,
        flow=row.flow, outcome=row.outcome, subscription_id=row.subscription_id, price_id=row.price_id,
        predicted=row.predicted, finding_code=row.finding_code, said=row.said,
        stripe_message=str((error or {}).get("message") or ""), stripe_error=error, request_id=row.request_id,
        run_uid=row.run_uid, batch_uid=row.batch_uid, ask_uid=row.ask_uid, asked_at=row.asked_at, agent=row.agent,
        ticket=row.ticket, id=row.id)


def select_asks(account: str | None = None, *, run_uid: str | None = None, batch_uid: str | None = None,
                limit: int = 200) -> Any:
    """Newest first (the asks of one batch in the order they were sent)."""
    stmt = select(asks_t)
    if account is not None:
        stmt = stmt.where(asks_t.c.account_id == account)
    if run_uid is not None:
        stmt = stmt.where(asks_t.c.run_uid == run_uid)
    if batch_uid is not None:
        stmt = stmt.where(asks_t.c.batch_uid == batch_uid)
    return stmt.order_by(asks_t.c.asked_at.desc(), asks_t.c.id).limit(limit)


def export_batch(conn: Connection, batch_uid: str) -> list[dict[str, Any]]:
    """A batch's rows as they are (already redacted), to copy to another store."""
    found = conn.execute(select(asks_t).where(asks_t.c.batch_uid == batch_uid).order_by(asks_t.c.id)).mappings()
    return [{k: v for k, v in row.items() if k != "id"} for row in found]
