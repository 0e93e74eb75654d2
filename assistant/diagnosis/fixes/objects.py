"""Find the Stripe object a fix wrote in a snapshot (either mode), to compare it with the plan."""

from __future__ import annotations

from collections.abc import Iterable

from assistant.account.snapshot import Snapshot, StripeObject


def find(snapshots: Iterable[Snapshot | None], object_id: str) -> StripeObject | None:
    """The configuration, webhook endpoint, product or price with this id, as the snapshots read it."""
    for snap in snapshots:
        if snap is None:
            continue
        for obj in [*(snap.configurations.value or []), *(snap.webhook_endpoints.value or [])]:
            if obj.get("id") == object_id:
                return obj
        for catalogue in (snap.products.value or {}, snap.prices.value or {}):
            if object_id in catalogue:
                return catalogue[object_id]
    return None
