"""A practice account, one check, the verdict and the words the agent must read out."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.knowledge.checklist import check_ids
from support.practice import run_scenario


@dataclass(frozen=True)
class Case:
    scenario: str
    check: str
    status: str
    says: tuple[str, ...]  # each must be in the summary or a details line


async def assert_case(case: Case) -> None:
    """Diagnose the account over real HTTP; the check gives the verdict and every phrase, a
    problem comes with next steps, and every declared check still reports."""
    outcome = await run_scenario(case.scenario)
    result = outcome.diagnosis.check(case.check)
    assert result is not None
    assert result.status.value == case.status, (result.summary, result.details)
    text = " ".join([result.summary, *result.details])
    for phrase in case.says:
        assert phrase in text, (phrase, result.summary, result.details)
    if case.status in ("warn", "fail"):
        assert result.fix, "a problem without a next step"
    assert [c.id for c in outcome.diagnosis.checks] == list(check_ids())
