"""The ticket note (Copy report, Save, History's Copy, `diagnose --format markdown|html|text`):
the headline and the sentence to say come first, then what was changed in the call, what the
owner still has to do, and the checks, a passing one on a single line."""

from __future__ import annotations

import html
import re

import pytest
from support.practice import run_scenario

from assistant.diagnosis.model import Status
from assistant.diagnosis.summary import summarise
from assistant.practice.scenarios import scenario_names
from assistant.report.call_changes import MadeChange
from assistant.report.markdown import md_inline
from assistant.report.note import step_label
from assistant.report.redaction import redact_diagnosis
from assistant.report.render import render
from assistant.report.text import render_text
from assistant.report.text_style import TextStyle

URL = "https://app.practice.example/billing"


def html_text(fragment: str) -> str:
    """What a reader sees of an HTML fragment: tags gone, entities read."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


@pytest.mark.parametrize("name", scenario_names())
async def test_every_accounts_note_starts_with_the_headline_and_gives_a_pass_one_line(name: str) -> None:
    diagnosis = (await run_scenario(name)).diagnosis
    line = summarise(redact_diagnosis(diagnosis)).line  # the status line, e-mails masked as in every report
    markdown = render(diagnosis, "markdown")
    lines = markdown.splitlines()
    assert lines[0] == md_inline(line)
    page = render(diagnosis, "html")
    first = re.search(r"<body>\s*<p[^>]*>(.*?)</p>", page, re.DOTALL)
    assert first is not None and html_text(first.group(1)) == line
    assert render_text(diagnosis, style=TextStyle(width=10_000)).splitlines()[0] == line
    for check in diagnosis.checks:
        if check.status is not Status.PASS:
            continue
        said = [n for n, text in enumerate(lines) if md_inline(check.title) in text]
        assert len(said) == 1, (check.id, said)  # one line: its status, step and title
        assert lines[said[0]] == f"- PASS · {step_label(check.id)} — {md_inline(check.title)}"
        assert md_inline(check.summary) not in markdown, check.id  # its evidence is not repeated
    counts = re.search(r"^## Checks: (.*)$", markdown, re.MULTILINE)
    assert counts is not None and re.fullmatch(r"\d+ FAIL · \d+ ERROR · \d+ WARN · \d+ PASS · \d+ SKIP",
                                               counts.group(1))


async def test_a_typical_note_fits_on_a_screen_where_the_full_report_ran_to_two_hundred_lines() -> None:
    """Before the note, each of these ran to 210 lines (9 KB) with every passing check in full."""
    for name in ("no_return_url", "archived_product", "cancel_only_subscription", "healthy"):
        markdown = render((await run_scenario(name)).diagnosis, "markdown")
        assert len(markdown.splitlines()) <= 46, name
        assert len(markdown.encode()) < 3_500, name


async def test_the_sections_come_in_the_order_a_colleague_reads_them() -> None:
    diagnosis = (await run_scenario("no_return_url")).diagnosis
    changes = (MadeChange("default_return_url", None, URL, "2026-12-06T10:16:03Z", "bpc_1", "test", "Sam",
                          undone=True, undone_at="2026-12-06T10:17:00Z"),
               MadeChange("default_return_url", URL, None, "2026-12-06T10:17:00Z", "bpc_1", "test", "Sam", undo=True))
    for fmt in ("markdown", "html"):
        note = render(diagnosis, fmt, changes=changes)
        order = [note.index(s) for s in ("1 problem: Return URL", "Changes made in this call",
                                         "What the owner still has to do", "Checks: 1 FAIL · 0 ERROR")]
        assert order == sorted(order), fmt
    markdown = render(diagnosis, "markdown", changes=changes)
    assert f"Default redirect link: (none) → `{URL}` (default_return_url of portal configuration bpc_1" in markdown
    assert "— undone at 10:17 UTC" in markdown
    assert f"Undo: Default redirect link: `{URL}` → (none)" in markdown
    # The failing check's steps are said once, under what the owner still has to do.
    failing = diagnosis.check("portal.return_url")
    assert failing is not None and markdown.count(md_inline(failing.fix[0])) == 1
    assert "**4. Return URL — Customers have a page to return to from the portal** (FAIL)" in markdown


async def test_the_command_line_knows_no_call_and_says_nothing_of_changes() -> None:
    diagnosis = (await run_scenario("no_return_url")).diagnosis
    assert "Changes made in this call" not in render(diagnosis, "markdown")
    assert "None: nothing was changed on the account." in render(diagnosis, "markdown", changes=())
