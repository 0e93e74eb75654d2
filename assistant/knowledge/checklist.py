"""The checklist as declared in `resources/checks.json`: its steps and, once each, its checks.

Every part that needs to know which checks exist reads them here: the registry that runs them
(in this order), the window's steps and pages, the knowledge base's troubleshooting links, the
JSON schema's id and code lists, the sample report and the tests. Adding a check is adding its
entry to `checks.json` (step, title, function, troubleshooting entries, findings and their
wording) and writing its function; nothing else lists check ids.

Importing this module reads no file and imports nothing heavy: the window's first paint uses
the step titles.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assistant.resources import read_text

CHECKS_FILE = "checks.json"
# Check functions are named relative to this package in the declaration ("portal.check_features").
CHECKS_PACKAGE = "assistant.diagnosis.checks"


@dataclass(frozen=True)
class Step:
    """One step of the checklist (a sidebar entry and its page)."""

    id: str
    title: str


@dataclass(frozen=True)
class CheckDeclaration:
    """One check: where it shows, what runs it, what it can find."""

    id: str
    step: str
    title: str  # a template: may use {mode}
    function: str  # "module.function" under CHECKS_PACKAGE
    troubleshooting: tuple[str, ...]  # ids of the troubleshooting entries about this check
    codes: tuple[str, ...]  # the finding codes declared for it (besides the common ones)

    @property
    def module(self) -> str:
        return f"{CHECKS_PACKAGE}.{self.function.rpartition('.')[0]}"

    @property
    def function_name(self) -> str:
        return self.function.rpartition(".")[2]

    def display_title(self, mode: str | None = None) -> str:
        """The title as the agent reads it before (or without) a run: "{mode}" filled in, or
        dropped with its word when the mode is not known yet ("… is configured")."""
        if "{mode}" not in self.title:
            return self.title
        if mode:
            return self.title.replace("{mode}", mode)
        return self.title.replace(" in {mode} mode", "").replace(" {mode} mode", "").replace("{mode}", "")


class DeclarationError(ValueError):
    """`checks.json` declares something inconsistent (unknown step, duplicate code, ...)."""


@functools.cache
def catalogue() -> Mapping[str, Any]:
    """The parsed `resources/checks.json` (read once)."""
    data: Mapping[str, Any] = json.loads(read_text(CHECKS_FILE))
    return data


@functools.cache
def steps() -> tuple[Step, ...]:
    return tuple(Step(s["id"], s["title"]) for s in catalogue()["steps"])


@functools.cache
def checks() -> tuple[CheckDeclaration, ...]:
    """Every check, in the order they run and are reported."""
    step_ids = {s.id for s in steps()}
    out: list[CheckDeclaration] = []
    for cid, spec in catalogue()["checks"].items():
        if spec["step"] not in step_ids:
            raise DeclarationError(f"check {cid!r} names unknown step {spec['step']!r}")
        out.append(CheckDeclaration(
            id=cid,
            step=spec["step"],
            title=spec["title"],
            function=spec["function"],
            troubleshooting=tuple(spec.get("troubleshooting", ())),
            codes=tuple(spec.get("findings", {})),
        ))
    return tuple(out)


def check_ids() -> tuple[str, ...]:
    return tuple(c.id for c in checks())


def declaration(check_id: str) -> CheckDeclaration:
    found = next((c for c in checks() if c.id == check_id), None)
    if found is None:
        raise KeyError(check_id)
    return found


def check_title(check_id: str) -> str:
    """A check as the agent reads it without a run (its title, mode left out), never its id:
    the one fallback for cards before a run, the glossary's known causes and its entries."""
    try:
        return declaration(check_id).display_title()
    except KeyError:
        return check_id


def step(step_id: str) -> Step:
    found = next((s for s in steps() if s.id == step_id), None)
    if found is None:
        raise KeyError(step_id)
    return found


def step_ids() -> tuple[str, ...]:
    return tuple(s.id for s in steps())


def checks_for_step(step_id: str) -> tuple[str, ...]:
    """The ids of the checks shown on one step, in run order (none for the report step)."""
    return tuple(c.id for c in checks() if c.step == step_id)


def step_of(check_id: str) -> str:
    return declaration(check_id).step


def common_codes() -> tuple[str, ...]:
    """Finding codes any check may report (skips and Stripe errors)."""
    return tuple(catalogue()["common"])


def ask_codes() -> tuple[str, ...]:
    """Finding codes of Stripe's answers to an ask (declared under `asks`): no check reports them."""
    return tuple(catalogue().get("asks", {}))


@functools.cache
def finding_codes() -> tuple[str, ...]:
    """Every finding code, common ones first, then the checks', then the asks'; each is declared
    exactly once."""
    codes = list(common_codes())
    for check in checks():
        codes += check.codes
    codes += ask_codes()
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise DeclarationError(f"finding code {code!r} is declared twice")
        seen.add(code)
    return tuple(codes)


@functools.cache
def waiting_codes() -> frozenset[str]:
    """The skips that wait for a problem another step names (`"waits": true`: the key cannot be
    used, the portal settings were never saved): a step holding one is not summed up as OK."""
    cat = catalogue()
    entries = {**cat["common"], **{c: e for spec in cat["checks"].values() for c, e in spec["findings"].items()}}
    return frozenset(code for code, entry in entries.items() if entry.get("waits") is True)


def troubleshooting_links() -> dict[str, tuple[str, ...]]:
    """Troubleshooting entry id -> the checks that link to it, in check order."""
    links: dict[str, list[str]] = {}
    for check in checks():
        for entry_id in check.troubleshooting:
            links.setdefault(entry_id, []).append(check.id)
    return {k: tuple(v) for k, v in links.items()}
