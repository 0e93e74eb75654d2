"""What the window shows of a run: the same outcome with account data made safe to draw.

Control characters and bidi overrides from account data are removed (they reorder or hide
text in a label), overlong names are shortened, and keys and session links are masked, in the
diagnosis and in every string of the snapshots the pages read. The JSON report is not made
from this copy, so it keeps the whole values.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from assistant.report.redaction import RedactionOptions, redact_diagnosis, redact_text

if TYPE_CHECKING:
    from assistant.diagnosis.run import RunOutcome

SHOWN = RedactionOptions(mask_emails=False)  # the agent on the call needs the addresses


def shown_text(text: str) -> str:
    return redact_text(text, SHOWN)


def outcome_for_display(outcome: RunOutcome) -> RunOutcome:
    return replace(
        outcome,
        diagnosis=redact_diagnosis(outcome.diagnosis, SHOWN),
        snapshot=outcome.snapshot.map_strings(shown_text),
        other=outcome.other.map_strings(shown_text) if outcome.other is not None else None,
    )
