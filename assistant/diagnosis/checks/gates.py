"""Shared preconditions: a check that cannot run says what must be fixed first, as a skip."""

from __future__ import annotations

from assistant.diagnosis.checks import messages as msg
from assistant.diagnosis.model import CheckResult, Status
from assistant.account.snapshot import Snapshot, StripeObject


def key_gate(check_id: str, snap: Snapshot) -> CheckResult | None:
    """Skip when the key is unusable or Stripe refused it; None when the check may go on."""
    if not snap.key.usable:
        return msg.render(
            check_id, "skip_key_unusable", Status.SKIP, snap.mode, problem=snap.key.problem
        )
    if snap.auth_error is not None:
        return msg.render(
            check_id, "skip_key_rejected", Status.SKIP, snap.mode,
            error_summary=snap.auth_error.summary,
        )
    return None


def configuration_gate(check_id: str, snap: Snapshot) -> CheckResult | None:
    """Skip unless the mode's default portal configuration was read."""
    gate = key_gate(check_id, snap)
    if gate is not None:
        return gate
    if not snap.configurations.ok:
        return msg.render(check_id, "skip_configuration_unread", Status.SKIP, snap.mode)
    if snap.default_configuration is None:
        return msg.render(check_id, "skip_no_configuration", Status.SKIP, snap.mode)
    return None


def default_configuration(snap: Snapshot) -> StripeObject:
    conf = snap.default_configuration
    assert conf is not None  # guarded by configuration_gate
    return conf
