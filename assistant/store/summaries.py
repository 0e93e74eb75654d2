"""The team history in sentences: "Sam, yesterday: 1 problem — return URL set by Sam".

Shared by the `history` command and the History window, so both read the same. Plain text:
callers make it terminal- or widget-safe (account data can be hostile).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from assistant.diagnosis.fixes.fields import object_kind
from assistant.diagnosis.summary import counts_words
from assistant.knowledge.dashboard_fields import field_name
from assistant.report.asked import asks_news
from assistant.store.records import AccountChange, RunSummary

SOMEONE = "Someone"  # runs saved before agents' names were recorded


def _parse(stamp: str) -> datetime | None:
    try:
        return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except (TypeError, ValueError):
        return None


def relative_day(stamp: str, now: datetime, tz: tzinfo | None = None) -> str:
    """"today", "yesterday", "3 days ago" (within a week), else "on 2024-06-03"."""
    when = _parse(stamp)
    if when is None:
        return stamp or "at an unknown time"
    today: date = now.astimezone(tz).date()
    day = when.astimezone(tz).date()
    delta = (today - day).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "yesterday"
    if 1 < delta < 7:
        return f"{delta} days ago"
    return f"on {day.isoformat()}"


def problems_text(run: RunSummary) -> str:
    """"1 problem, 1 warning", "1 warning", "no problems": the words the window's Report step
    says for the same run (a warning is never counted as a problem, nor as none)."""
    return counts_words(run.counts)


def change_phrase(change: AccountChange) -> str:
    """"return URL set by Sam" (or "default_return_url changed by Sam"); "(undone)" when reverted."""
    what = change.summary or f"{change.field} changed"
    text = f"{what} by {change.agent or SOMEONE}"
    return text + (" (undone)" if change.undone_by else "")


def run_line(run: RunSummary, changes: list[AccountChange], *, now: datetime | None = None,
             tz: tzinfo | None = None) -> str:
    """Who ran it, when, how it went, and what was changed on the account after it."""
    now = now or datetime.now(UTC)
    who = run.agent or SOMEONE
    line = f"{who}, {relative_day(run.created_at, now, tz)}: {problems_text(run)}"
    news = asks_news(run.asks)
    if news:
        line += f" · {news}"
    made = [c for c in changes if c.run_uid == run.run_uid]
    made = list({c.batch: c for c in reversed(made)}.values())[::-1]  # one phrase per fix (its first field)
    if made:
        line += " — " + "; ".join(change_phrase(c) for c in reversed(made))  # oldest first
    return line


def value_text(value: Any) -> str:
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def change_detail(change: AccountChange) -> str:
    """"Default redirect link (default_return_url): (empty) → https://example.com/account": the
    field as the Dashboard names it (as the preview and the ticket note do), Stripe's beside it."""
    name = field_name(change.field, object_kind(change.object_id), change.object_id)
    said = change.field if name == change.field else f"{name} ({change.field})"
    return f"{said}: {value_text(change.before)} → {value_text(change.after)}"
