"""A result's findings as the history keeps them: one JSON text per result row, read back.

The text is the list `diagnose --format json` prints under `checks[].findings` (each item
`Finding.to_dict()`), so a stored run reads like the JSON a script got, on SQLite and
PostgreSQL alike. A row saved before findings were stored (revision 0003 added the column)
holds "[]" and loads with no findings; keys a newer version of the app may add are ignored.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from assistant.diagnosis.model import Fact, Finding, Status, Subject


def dumps(findings: Iterable[Finding]) -> str:
    return json.dumps([f.to_dict() for f in findings], ensure_ascii=False)


def loads(text: str | None) -> tuple[Finding, ...]:
    return tuple(_finding(item) for item in json.loads(text or "[]"))


def _fact(value: Any) -> Fact:
    return tuple(str(v) for v in value) if isinstance(value, list) else value


def _subject(data: Mapping[str, Any] | None) -> Subject | None:
    if not data:
        return None
    return Subject(kind=str(data.get("kind", "")), id=str(data.get("id", "")),
                   name=str(data.get("name") or ""))


def _finding(data: Mapping[str, Any]) -> Finding:
    return Finding(
        code=str(data["code"]),
        status=Status(data.get("status", Status.PASS.value)),
        subject=_subject(data.get("subject")),
        field=data.get("field"),
        seen=_fact(data.get("seen")),
        expected=_fact(data.get("expected")),
        related=tuple(s for s in map(_subject, data.get("related") or ()) if s is not None),
        facts={str(k): _fact(v) for k, v in (data.get("facts") or {}).items()},
    )
