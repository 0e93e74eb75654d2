"""What a check found, as data: the one answer every consumer reads instead of parsing sentences.

A check returns its findings in order. The first is the *headline*: it carries the check's
status and picks the summary, the closing fix steps and the glossary terms in
`resources/checks.json`. The rest are the evidence behind it (one per archived price, missing
event, differing setting, ...); each may add a details line and fix steps. Every sentence is
filled from a finding's `facts`, so the window, the report, the JSON and the fix planner all
see the same answer.

Codes are stable and dotted (`price.archived`, `return_url.missing`, `webhook.event_missing`);
`docs/findings.md` lists them with their meaning and the facts each carries. A code is never
renamed or reused for something else: scripts and the fix planner key on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from types import MappingProxyType

from assistant.diagnosis.status import Status

# A fact is plain JSON: a scalar, or a list of strings (ids, names). Tuples keep findings frozen.
Fact = str | int | float | bool | None | tuple[str, ...]



@dataclass(frozen=True)
class Subject:
    """The Stripe object a finding is about.

    `kind` is Stripe's own object name (`product`, `price`, `billing_portal.configuration`,
    `webhook_endpoint`, `customer`, `subscription`, `account`); `name` is what the owner
    recognises it by (product name, price nickname, endpoint URL, customer e-mail), "" if none.
    """

    kind: str
    id: str
    name: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "id": self.id, "name": self.name}


@dataclass(frozen=True)
class Finding:
    """One thing a check found.

    - `code`: stable dotted code; its wording lives under the check in `checks.json`.
    - `status`: what this finding alone means (PASS for a fact that is fine). The headline's
      status is the check's status; evidence is never worse than its headline.
    - `subject`, `field`, `seen`, `expected`: the object, the Stripe field (dotted path on the
      subject, e.g. `active` or `features.subscription_update.products`), the value read and
      the value the portal needs, when the finding is about one field. `expected` is None when
      no single value is right (e.g. a return URL: any valid https address).
    - `related`: other objects involved (the product of a price, the configuration listing it).
    - `facts`: named values the wording is filled with, documented per code in
      `docs/findings.md` (labels such as `price` = `price_1 "Monthly" (20.00 USD / month)`,
      amounts, Dashboard links).
    """

    code: str
    status: Status = Status.PASS
    subject: Subject | None = None
    field: str | None = None
    seen: Fact = None
    expected: Fact = None
    related: tuple[Subject, ...] = ()
    facts: Mapping[str, Fact] = dataclass_field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        # Freeze the facts (a caller's dict must not change a finding afterwards) and make lists
        # tuples, so findings stay immutable values.
        frozen = {k: tuple(v) if isinstance(v, list) else v for k, v in self.facts.items()}
        object.__setattr__(self, "facts", MappingProxyType(frozen))

    def fact(self, name: str, default: Fact = None) -> Fact:
        return self.facts.get(name, default)

    def text(self, name: str, default: str = "") -> str:
        """A fact as text ("" or `default` when absent or None): handy for table cells."""
        value = self.facts.get(name)
        return default if value is None else str(value)

    def texts(self, name: str) -> tuple[str, ...]:
        """A list fact (ids, names), () when absent or not a list."""
        value = self.facts.get(name)
        return value if isinstance(value, tuple) else ()

    @property
    def is_problem(self) -> bool:
        return self.status.is_problem

    def concerns(self, object_id: str) -> bool:
        """Whether this finding is about `object_id`, as its subject or a related object."""
        return (self.subject is not None and self.subject.id == object_id) or any(
            r.id == object_id for r in self.related
        )

    def to_dict(self) -> dict[str, object]:
        """The finding in the `diagnose` JSON (schema 1, `checks[].findings[]`)."""
        return {
            "code": self.code,
            "status": self.status.value,
            "subject": self.subject.to_dict() if self.subject else None,
            "field": self.field,
            "seen": _json(self.seen),
            "expected": _json(self.expected),
            "related": [r.to_dict() for r in self.related],
            "facts": {k: _json(v) for k, v in self.facts.items()},
        }


def _json(value: Fact) -> object:
    return list(value) if isinstance(value, tuple) else value
