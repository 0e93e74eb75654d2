"""The one view of a run that both templates read, so Markdown and HTML can never disagree.

Everything here is already redacted: templates never see a raw Diagnosis.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

import assistant
from assistant.diagnosis.model import Diagnosis
from assistant.diagnosis.status import counts_text, status_counts
from assistant.report.redaction import (
    RedactionOptions,
    redact_diagnosis,
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
) -> dict[str, Any]:
    options = options or RedactionOptions()
    run = redact_diagnosis(diagnosis, options)
    summary = counts_text(status_counts(c.status for c in run.checks))
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
        "checks": run.checks,
        "counts_summary": summary or "no checks ran",
        "failed": run.failed,
        "fatal": run.fatal or "",
        "notes": run.notes,
        "ticket": run.ticket,
        "redaction_notice": redaction_notice(options),
    }
