"""Everything a check may look at. Checks are pure: this in, CheckResult out."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.account.snapshot import Snapshot


@dataclass(frozen=True)
class CheckContext:
    snapshot: Snapshot
    # The return URL the owner's integration passes when it creates portal sessions, if any.
    return_url: str | None = None
    # A snapshot read with a second key of the other mode, for the parity check.
    other: Snapshot | None = None
