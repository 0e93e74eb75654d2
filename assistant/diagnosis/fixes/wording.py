"""Which checks have a fix, and every sentence a fix shows: read from `resources/fixes.json`.

The declaration is keyed by the check ids of `checks.json` (a test keeps them in step), so a
new check gets a fix by adding its planner module and one entry here; nothing else lists them.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any

from assistant.resources import read_text

PACKAGE = "assistant.diagnosis.fixes"


@functools.cache
def catalogue() -> Mapping[str, Any]:
    data: Mapping[str, Any] = json.loads(read_text("fixes.json"))
    return data


def planners() -> dict[str, str]:
    """check id -> "module.function" of its planner under this package."""
    return dict(catalogue()["checks"])


def text(fix_id: str, part: str, *inner: str, **facts: object) -> str:
    """One sentence of a fix, filled in; `inner` names an entry inside `part` ("why", code)."""
    node: Any = catalogue()["fixes"][fix_id][part]
    for name in inner:
        node = node[name]
    return str(node).format(**facts)


def steps(fix_id: str, **facts: object) -> tuple[str, ...]:
    return tuple(str(s).format(**facts) for s in catalogue()["fixes"][fix_id].get("steps", ()))


def title(fix_id: str, **facts: object) -> str:
    return text(fix_id, "title", **facts)
