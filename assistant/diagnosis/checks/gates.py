"""Shared preconditions: a check that cannot run says what must be fixed first, as a skip."""

from __future__ import annotations

from assistant.account.errors import AccountAccessRefused
from assistant.account.snapshot import Snapshot, StripeObject
from assistant.diagnosis.checks import messages as msg
from assistant.diagnosis.checks.common_codes import (
    SKIPPED_CONFIGURATION_UNREAD,
    SKIPPED_CONNECTED_ACCOUNT_REFUSED,
    SKIPPED_KEY_REJECTED,
    SKIPPED_KEY_UNUSABLE,
    SKIPPED_NO_CONFIGURATION,
    SKIPPED_NOT_READ,
)
from assistant.diagnosis.model import CheckResult, Status


def key_gate(check_id: str, snap: Snapshot) -> CheckResult | None:
    """Skip when the key is unusable or Stripe refused it; None when the check may go on."""
    if not snap.key.usable:
        return msg.one(check_id, snap.mode, SKIPPED_KEY_UNUSABLE, Status.SKIP,
                       problem=snap.key.problem)
    if isinstance(snap.auth_error, AccountAccessRefused):
        return msg.one(check_id, snap.mode, SKIPPED_CONNECTED_ACCOUNT_REFUSED, Status.SKIP,
                       connected_account=snap.connected_account or "")
    if snap.auth_error is not None:
        return msg.one(check_id, snap.mode, SKIPPED_KEY_REJECTED, Status.SKIP,
                       error_summary=snap.auth_error.summary)
    return None


def configuration_gate(check_id: str, snap: Snapshot, missing: str = SKIPPED_NO_CONFIGURATION) -> CheckResult | None:
    """Skip unless the mode's default portal configuration was read. `missing` is the code that
    says so when there is none: a check whose verdict would read that configuration may word
    its own reason (customer.subscriptions: what the portal lets this customer do)."""
    gate = key_gate(check_id, snap)
    if gate is not None:
        return gate
    if not snap.configurations.ok:
        return msg.one(check_id, snap.mode, SKIPPED_CONFIGURATION_UNREAD, Status.SKIP)
    if snap.default_configuration is None:
        return msg.one(check_id, snap.mode, missing, Status.SKIP)
    return None


def not_read(check_id: str, mode: str | None, section: str) -> CheckResult:
    """Skip: a part of the account this check needs was not read (no error either)."""
    return msg.one(check_id, mode, SKIPPED_NOT_READ, Status.SKIP,
                   section=section, what=msg.label("sections", section))


def default_configuration(snap: Snapshot) -> StripeObject:
    conf = snap.default_configuration
    assert conf is not None  # guarded by configuration_gate
    return conf
