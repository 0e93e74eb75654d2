"""Everything a fix planner may look at: one check's result, the snapshot it came from, the other
mode's snapshot and catalogues when there is one, and the agent's inputs. Pure data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from assistant.account.snapshot import ModeCatalogue, Snapshot, StripeObject
from assistant.diagnosis.fixes.model import FixInputs
from assistant.diagnosis.model import CheckResult


@dataclass(frozen=True)
class FixContext:
    result: CheckResult
    snapshot: Snapshot
    other: Snapshot | None = None
    inputs: FixInputs = field(default_factory=FixInputs)
    catalogues: Mapping[str, ModeCatalogue] = field(default_factory=dict)  # mode -> active catalogue

    @property
    def mode(self) -> str | None:
        return self.snapshot.mode

    @property
    def configuration(self) -> StripeObject | None:
        """The default configuration of the key's mode (the object most fixes write)."""
        return self.snapshot.default_configuration

    def snapshot_of(self, mode: str) -> Snapshot | None:
        return next((s for s in (self.snapshot, self.other) if s is not None and s.mode == mode), None)
