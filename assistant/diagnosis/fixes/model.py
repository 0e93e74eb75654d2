"""What the planner hands out: plain frozen data that the CLI, the window and the fix runner read.

A `Fix` names the check it repairs, the exact Stripe requests it would send (method, path and
the form parameters as nested JSON, what the SDK is given) and each field it changes on which
object, before → after. An "api" fix is applied by those requests; a "guided" fix has none: it
carries the Dashboard page of the mode and the steps for the owner. `needs` lists the inputs the
agent still has to give (then there are no requests yet); `problem` says why an input given is
not usable.

Where Stripe allows more than one repair, each is its own `Fix` and they share a `group`: the
agent applies one of them. The first of a group in plan order is the one that keeps what the
owner offered (restoring before replacing, replacing before removing); `--apply all` and a check
id pick it. `for_customer` says what the choice means for the owner's customers, and `names`
gives the preview the owner's words for the ids its changes hold (plan names and amounts).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from assistant.account.api_version import STRIPE_API_VERSION
from assistant.account.keys import is_live
from assistant.diagnosis.fixes import choices, display
from assistant.diagnosis.model import AccountInfo

API, GUIDED = "api", "guided"
# The inputs a fix may need; each is a `fix` option (`--return-url URL`) and a field of FixInputs.
RETURN_URL, WEBHOOK_URL = "return_url", "webhook_url"
PRIVACY_URL, TERMS_URL = "privacy_url", "terms_url"


@dataclass(frozen=True)
class FixInputs:
    """What the agent typed for the fixes that need it."""

    return_url: str | None = None
    webhook_url: str | None = None
    privacy_url: str | None = None
    terms_url: str | None = None

    def get(self, name: str) -> str:
        """What was typed for one input ("" when nothing)."""
        return (getattr(self, name, None) or "").strip()


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    params: Mapping[str, Any] = dataclass_field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {"method": self.method, "path": self.path, "params": _plain(self.params)}


@dataclass(frozen=True)
class FieldChange:
    """One field of one Stripe object. `object` is None for an object the fix creates."""

    object: str | None
    field: str
    before: Any
    after: Any
    object_kind: str = ""

    def to_dict(self, names: Mapping[str, str] | None = None) -> dict[str, Any]:
        """Ids and values exactly as Stripe holds them; `label` is the field as the Dashboard names it."""
        return {"object": self.object, "object_kind": self.object_kind, "field": self.field,
                "before": _plain(self.before), "after": _plain(self.after),
                "label": display.field_label(self.field, self.object_kind, self.object, names)}


@dataclass(frozen=True)
class Fix:
    id: str
    check: str
    title: str
    kind: str  # API or GUIDED
    mode: str | None  # the mode of the object written (the key that must write it)
    summary: str  # what will change, in plain words
    requests: tuple[Request, ...] = ()
    changes: tuple[FieldChange, ...] = ()
    needs: tuple[str, ...] = ()
    problem: str = ""
    notes: tuple[str, ...] = ()
    dashboard_url: str | None = None
    steps: tuple[str, ...] = ()
    takes: tuple[str, ...] = ()  # the inputs this fix is planned from (RETURN_URL, ...), if any
    waits: bool = False  # guided: the result appears by itself once the owner acts (re-check until then)
    group: str = ""  # fixes sharing a group are alternatives: one of them is applied
    for_customer: str = ""  # what this choice means for the owner's customers
    names: Mapping[str, str] = dataclass_field(default_factory=dict)  # object id -> the owner's words

    @property
    def ready(self) -> bool:
        """True when applying it now would send its requests."""
        return self.kind == API and not self.needs and not self.problem and bool(self.requests)

    @property
    def live(self) -> bool:
        return is_live(self.mode)

    def blocker(self) -> str | None:
        """Why it cannot be applied now, in one sentence (None when it can)."""
        if self.kind == GUIDED:
            where = f" at {self.dashboard_url}" if self.dashboard_url else ""
            return f"{self.id} is done by the owner, not by the assistant: {self.summary} ({self.title}{where})."
        if self.problem:
            return f"{self.id}: {self.problem}"
        if self.needs:
            flags = " and ".join(f"--{n.replace('_', '-')} URL" for n in self.needs)
            return f"{self.id} needs {flags}: {self.summary}"
        if not self.requests:
            return f"{self.id} has nothing to send."
        return None

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "id": self.id, "check": self.check, "title": self.title, "kind": self.kind,
            "mode": self.mode, "summary": self.summary,
            "requests": [r.to_dict() for r in self.requests],
            "changes": [c.to_dict(self.names) for c in self.changes],
            "needs": list(self.needs),
            "problem": self.problem or None,
            "notes": list(self.notes),
            "group": self.group or None,
            "for_customer": self.for_customer or None,
            "names": dict(self.names),
        }
        if self.kind == GUIDED:
            data["dashboard_url"] = self.dashboard_url
            data["steps"] = list(self.steps)
        return data


class UnknownSelection(LookupError):
    """A `--apply` selection that names no fix of the plan (or names two that cannot go together:
    see ConflictingSelection). The message is the sentence to show; nothing is written."""


class ConflictingSelection(UnknownSelection):
    """A `--apply` selection naming two choices of one group, or two fixes that would both rewrite
    the same field of the same object (the second would undo the first)."""


@dataclass(frozen=True)
class Plan:
    mode: str | None
    account: AccountInfo | None
    masked_key: str
    fixes: tuple[Fix, ...] = ()
    # The connected account the fixes are sent as (Stripe-Account); None: the key's own account.
    connected_account: str | None = None

    def fix(self, fix_id: str) -> Fix | None:
        return next((f for f in self.fixes if f.id == fix_id), None)

    def for_check(self, check_id: str) -> list[Fix]:
        return [f for f in self.fixes if f.check == check_id]

    def choices(self, fix: Fix) -> list[Fix]:
        """The alternatives `fix` is one of, in plan order (just itself when it has none)."""
        return choices.of(self.fixes, fix)

    def choices_for(self, check_id: str) -> list[Fix]:
        """What Fix… on the check's card offers: the choices of its first fix."""
        fixes = self.for_check(check_id)
        return self.choices(fixes[0]) if fixes else []

    def select(self, selections: list[str], check_ids: tuple[str, ...] = ()) -> list[Fix]:
        """The fixes a list of selections names, in plan order, once each: "all" and a check id
        take the first choice of each group (the one that keeps what the owner offered), a fix id
        every fix of that id.

        A check id the plan has no fix for, or an unknown id, raises UnknownSelection with the
        sentence to show; two choices of one group, or two fixes rewriting the same field of one
        object, raise ConflictingSelection."""
        chosen: set[int] = set()
        numbered = list(enumerate(self.fixes))
        for sel in selections:
            if sel == "all":
                if not self.fixes:
                    raise UnknownSelection("there is nothing to fix: no check that warns or fails has a fix.")
                chosen.update(choices.preferred(numbered))
            elif self.fix(sel) is not None:
                chosen.update(i for i, f in numbered if f.id == sel)
            elif self.for_check(sel):
                chosen.update(choices.preferred([(i, f) for i, f in numbered if f.check == sel]))
            elif sel in check_ids:
                raise UnknownSelection(f"{sel} has no fix to apply: the check passes, or what it found "
                                       "is not something an API call can repair.")
            else:
                known = ", ".join(dict.fromkeys(f.id for f in self.fixes)) or "none"
                raise UnknownSelection(f"{sel!r} is not a check id, a fix id of the plan or 'all' "
                                       f"(fixes in the plan: {known}).")
        picked = [f for i, f in numbered if i in chosen]
        clash = choices.conflict(picked)
        if clash:
            raise ConflictingSelection(clash)
        return picked

    def to_dict(self) -> dict[str, object]:
        """The `fix --format json` object (schema 1)."""
        return {
            "schema": 1,
            "api_version": STRIPE_API_VERSION,  # the version the planned requests would be sent in
            "mode": self.mode,
            "account": {"id": self.account.id, "name": self.account.name} if self.account else None,
            "connected_account": self.connected_account,
            "key": self.masked_key,
            "fixes": [choices.with_alternatives(self.fixes, f) for f in self.fixes],
        }


def _plain(value: Any) -> Any:
    """Mappings and tuples as JSON's dicts and lists."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
