"""Runs for comparing in the case history: the same statuses, other problems found."""

from __future__ import annotations

from dataclasses import replace

from assistant.diagnosis.model import CheckResult, Diagnosis, Subject


def moved_on(base: Diagnosis) -> Diagnosis:
    """The same statuses a day later, but the archived prices are another product's now and one
    missing webhook event was added."""
    def check(c: CheckResult) -> CheckResult:
        if c.id == "portal.products":
            other = Subject("product", "prod_Q3other", "Other plan")
            return replace(c, findings=tuple(
                replace(f, subject=other) if f.code == "product.archived_prices_active" else f
                for f in c.findings))
        if c.id == "webhooks.events":
            return replace(c, findings=tuple(
                f for f in c.findings if f.expected != "customer.updated"))
        return c
    return replace(base, generated_at="2024-06-04T10:00:00Z", checks=tuple(map(check, base.checks)))
