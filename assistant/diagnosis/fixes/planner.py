"""The fix planner: a diagnosis (and the snapshots it came from) in, the fixes out.

Only checks that warn or fail get fixes, each from the planner declared for it in
`resources/fixes.json`. Every fix then carries the owner's words for the ids it changes (plan
names and amounts), for its preview. A planner that breaks on odd account data costs that one fix, never
the plan: it is logged by type only (account data stays out of the log) and left out.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import replace

from assistant.account.snapshot import ModeCatalogue, Snapshot
from assistant.diagnosis.checks.parity import CID as PARITY
from assistant.diagnosis.checks.parity import PARITY_DIFFERS
from assistant.diagnosis.fixes import names, wording
from assistant.diagnosis.fixes.context import FixContext
from assistant.diagnosis.fixes.model import Fix, FixInputs, Plan
from assistant.diagnosis.model import Diagnosis, Status
from assistant.knowledge.dashboard import on_connected_account

log = logging.getLogger(__name__)

Planner = Callable[[FixContext], tuple[Fix, ...]]
FIXABLE = (Status.WARN, Status.FAIL)


def planner_for(check_id: str) -> Planner | None:
    declared = wording.planners().get(check_id)
    if declared is None:
        return None
    module_name, _, function = declared.rpartition(".")
    module = importlib.import_module(f"{wording.PACKAGE}.{module_name}")
    found: Planner = getattr(module, function)
    return found


def plan_fixes(
    diagnosis: Diagnosis,
    snapshot: Snapshot,
    *,
    other: Snapshot | None = None,
    inputs: FixInputs | None = None,
    catalogues: Mapping[str, ModeCatalogue] | None = None,
) -> Plan:
    """Every fix the diagnosis calls for, in check order."""
    fixes: list[Fix] = []
    for result in diagnosis.checks:
        planner = planner_for(result.id) if result.status in FIXABLE else None
        if planner is None:
            continue
        ctx = FixContext(result=result, snapshot=snapshot, other=other, inputs=inputs or FixInputs(),
                         catalogues=dict(catalogues or {}))
        try:
            fixes.extend(planner(ctx))
        except Exception as err:
            log.error("planning a fix for %s failed: %s", result.id, type(err).__name__)
    words = names.known((snapshot, other), catalogues)
    fixes = [replace(f, names={**names.used(f.changes, words), **f.names}) for f in fixes]
    account = diagnosis.connected_account
    if account:
        fixes = [_on_account(fix, account) for fix in fixes]
    return Plan(mode=diagnosis.mode, account=diagnosis.account, masked_key=diagnosis.masked_key,
                fixes=tuple(fixes), connected_account=account)


def _on_account(fix: Fix, account: str) -> Fix:
    """The fix's Dashboard links opening the connected account's Dashboard (as the run's are)."""
    def linked(text: str) -> str:
        return on_connected_account(text, account)

    return replace(fix, summary=linked(fix.summary), problem=linked(fix.problem),
                   notes=tuple(linked(n) for n in fix.notes), steps=tuple(linked(s) for s in fix.steps),
                   dashboard_url=linked(fix.dashboard_url) if fix.dashboard_url else fix.dashboard_url)


def needs_catalogues(diagnosis: Diagnosis) -> bool:
    """Whether planning would copy products across modes (the only fix that reads catalogues)."""
    parity = diagnosis.check(PARITY)
    return parity is not None and parity.has(PARITY_DIFFERS)
