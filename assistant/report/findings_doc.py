"""`docs/findings.md`: every finding code with its meaning, written from the declaration.

Run `python -m assistant.report.findings_doc > docs/findings.md` after declaring a finding;
a test fails while the file is out of date.
"""

from __future__ import annotations

import string
import sys
from collections.abc import Mapping
from typing import Any

from assistant.diagnosis.checks import ask_codes, common_codes
from assistant.knowledge import checklist

# Values every template gets without the finding carrying them (see messages.base_values).
_BASE_PREFIXES = ("mode", "other_mode", "dashboard_")
_FORMATTER = string.Formatter()

INTRO = """\
# Findings: what each check can report

Generated from `assistant/resources/checks.json` by `python -m assistant.report.findings_doc`;
do not edit by hand.

Every check result carries `findings` (in the `diagnose` JSON: `checks[].findings[]`, validated
by `assistant/resources/diagnose.schema.json`). The first finding is the **headline**: its
status is the check's status and it chooses the summary; the others are the **evidence**
(one per archived price, missing event, differing setting, ...). Each finding has:

- `code`: one of the codes below; stable, never renamed or reused. In Python each code is a
  public name of the module that reports it, the code in capitals with `_` for the dot
  (`price.archived` is `PRICE_ARCHIVED` in `assistant/diagnosis/checks/products.py`); code that
  reads findings imports that name and never writes the string.
- `status`: what this finding alone means (`pass` for a fact that is fine).
- `subject`: the Stripe object it is about (`kind`, `id`, `name`), or null.
- `field`, `seen`, `expected`: the Stripe field (dotted path on the subject), the value read
  and the value the portal needs, when the finding is about one field.
- `related`: other objects involved (the product of a price, the configuration listing it).
- `facts`: named values; the ones listed below fill the wording, others are there for scripts.

"Heads" marks codes that can be a headline; "evidence" codes add a details line or fix steps.
A headline's summary may read out `{said}`: the evidence of its status in the owner's words
(names and amounts, no ids), from the facts listed for each evidence code; the ids stay in
the details and the findings.
"""


def _facts(entry: Mapping[str, Any]) -> list[str]:
    templates = [entry.get("summary", ""), entry.get("detail", ""), entry.get("said", ""),
                 *entry.get("fix", ()), *entry.get("also_fix", ())]
    names: list[str] = []
    for template in templates:
        for _, name, _, _ in _FORMATTER.parse(template):
            if name and name != "said" and not name.startswith(_BASE_PREFIXES) and name not in names:
                names.append(name)
    return names


def _rows(entries: Mapping[str, Mapping[str, Any]]) -> list[str]:
    rows = ["| Code | Role | Meaning | Facts in the wording |", "|---|---|---|---|"]
    for code, entry in entries.items():
        role = "heads" if "summary" in entry else "evidence"
        facts = ", ".join(f"`{f}`" for f in _facts(entry)) or "—"
        rows.append(f"| `{code}` | {role} | {entry['means']} | {facts} |")
    return rows


def _source(module: str) -> str:
    return f"`{module.replace('.', '/')}.py`"


def render_findings_doc() -> str:
    catalogue = checklist.catalogue()
    common = ("Skips and Stripe errors, reported by whichever check met them "
              f"(names in {_source(common_codes.__name__)}).")
    lines = [INTRO, "## Any check", "", common, ""]
    lines += _rows(catalogue["common"])
    for step in checklist.steps():
        declared = [c for c in checklist.checks() if c.step == step.id]
        for check in declared:
            spec = catalogue["checks"][check.id]
            lines += ["", f"## `{check.id}` (step: {step.title})", "", spec["title"].replace("{mode}", "<mode>"),
                      "", f"Names in {_source(check.module)}.", ""]
            lines += _rows(spec["findings"])
    if catalogue.get("asks"):
        about = ("Stripe's answer to one portal flow the agent asked about: a refusal the assistant recognises "
                 "(`resources/asks.json`), one it does not, or no answer. Not a check: the `ask` JSON's "
                 f"`asks[].finding` (names in {_source(ask_codes.__name__)}).")
        lines += ["", "## Asks (`main.py ask`, the customer page's Ask Stripe)", "", about, ""]
        lines += _rows(catalogue["asks"])
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render_findings_doc())
