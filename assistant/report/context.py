"""The one view of a run that both templates read, so Markdown and HTML can never disagree:
the ticket note (`note.py`) and the facts around it.

Everything here is already redacted, the changes made in the call included: templates never
see a raw Diagnosis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, tzinfo
from typing import Any

import assistant
from assistant.diagnosis.model import Diagnosis
from assistant.report.asked import HEADING as ASKED_HEADING
from assistant.report.asked import Asked
from assistant.report.call_changes import MadeChange
from assistant.report.note import ticket_note
from assistant.report.redaction import (
    RedactionOptions,
    redact_diagnosis,
    redact_text,
    redaction_notice,
)

MODE_LABELS = {"test": "Test Mode", "live": "Live Mode"}


@dataclass(frozen=True)
class ReportTimes:
    utc: str
    local: str


def report_times(generated_at: str, tz: tzinfo | None = None) -> ReportTimes:
    """UTC for the ticket, local time for the agent; an unparsable stamp is shown as given."""
    try:
        when = datetime.fromisoformat(generated_at)  # 3.11 reads the "Z"
    except (ValueError, AttributeError):
        return ReportTimes(utc=str(generated_at or "unknown"), local="unknown")
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    utc = when.astimezone(UTC)
    local = when.astimezone(tz) if tz is not None else when.astimezone()
    offset = local.strftime("%z")
    offset = f"{offset[:3]}:{offset[3:]}" if offset else ""
    name = local.tzname() or ""
    if name and name != f"UTC{offset}" and not (name in ("UTC", "GMT") and offset == "+00:00"):
        zone = f"{name} (UTC{offset})"
    else:
        zone = name if name in ("UTC", "GMT") else f"UTC{offset}"
    return ReportTimes(
        utc=utc.strftime("%Y-%m-%d %H:%M:%S UTC"),
        local=f"{local.strftime('%Y-%m-%d %H:%M:%S')} {zone}",
    )


def build_context(
    diagnosis: Diagnosis,
    options: RedactionOptions | None = None,
    *,
    tz: tzinfo | None = None,
    changes: Sequence[MadeChange] | None = None,
    asks: Sequence[Asked] | None = None,
) -> dict[str, Any]:
    """What the templates read. `changes`: what guided fixes changed in the call (None when the
    caller knows of no call, as on the command line: the note then leaves the section out);
    `asks`: what Stripe said when asked about each portal flow (the section only when asked)."""
    options = options or RedactionOptions()
    run = redact_diagnosis(diagnosis, options)
    note = ticket_note(run, changes, asks)
    if note.changes is not None:
        note = replace(note, changes=tuple(redact_text(line, options) for line in note.changes))
    if note.asks is not None:
        note = replace(note, asks=tuple(redact_text(line, options) for line in note.asks))
    if note.asks_to_do:
        note = replace(note, asks_to_do=tuple(
            replace(item, title=redact_text(item.title, options), summary=redact_text(item.summary, options),
                    steps=tuple(redact_text(step, options) for step in item.steps))
            for item in note.asks_to_do))
    return {
        "app_name": "Portal Setup Assistant",
        "app_version": assistant.__version__,
        "run_version": run.app_version if run.app_version != assistant.__version__ else "",
        "api_version": run.api_version_shown,
        "times": report_times(run.generated_at, tz),
        "mode": MODE_LABELS.get(run.mode or "", "Unknown (key not read)"),
        "account_id": run.account.id if run.account else "",
        "account_name": (run.account.name or "") if run.account else "",
        "masked_key": run.masked_key or "(none)",
        "connected_account": run.connected_account_shown,
        "customer_query": run.customer_query or "",
        "request_count": run.request_count,
        "note": note,
        "asked_heading": ASKED_HEADING,
        "checks": run.checks,
        "counts_summary": note.counts,
        "failed": run.failed,
        "fatal": run.fatal or "",
        "notes": run.notes,
        "ticket": run.ticket,
        "redaction_notice": redaction_notice(options),
    }
