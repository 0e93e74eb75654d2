"""The JSON schemas of `diagnose --format json` (with the declared check ids and finding codes)
and `ask --format json` (with the declared ask codes).

The schema file (`resources/diagnose.schema.json`) holds the shape; the two id lists come from
the checklist declaration, so a new check or finding is valid JSON the moment it is declared,
and an undeclared one is not.
"""

from __future__ import annotations

import json
from typing import Any

from assistant.knowledge import checklist
from assistant.resources import read_text

SCHEMA_FILE = "diagnose.schema.json"


def diagnose_schema() -> dict[str, Any]:
    """The complete schema (a fresh copy each call: callers may change it)."""
    schema: dict[str, Any] = json.loads(read_text(SCHEMA_FILE))
    defs = schema["$defs"]
    defs["check_id"]["enum"] = list(checklist.check_ids())
    defs["finding_code"]["enum"] = list(checklist.finding_codes())
    return schema


ASK_SCHEMA_FILE = "ask.schema.json"


def ask_schema() -> dict[str, Any]:
    """The `ask --format json` schema, its finding codes filled from the declaration (`asks`)."""
    schema: dict[str, Any] = json.loads(read_text(ASK_SCHEMA_FILE))
    finding = schema["$defs"]["ask"]["properties"]["finding"]["oneOf"][1]
    finding["properties"]["code"]["enum"] = list(checklist.ask_codes())
    return schema
