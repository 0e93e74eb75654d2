"""Report step: what the agent copies or saves never carries the key, and e-mails are masked."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.ui_outcomes import FakeClipboard, run_scenario

from assistant.ui.pages.report import (
    FILTER_HTML,
    FILTER_MARKDOWN,
    ReportPage,
)


async def test_copy_report_puts_html_and_plain_text_without_the_key(qtbot) -> None:
    outcome, scenario = await run_scenario("archived_product")
    clipboard = FakeClipboard()
    page = ReportPage(clipboard=clipboard)
    qtbot.addWidget(page)
    page.show_outcome(outcome)
    page.set_ticket("ZD-1234")
    page.set_notes("Owner archived Basic last week.")
    page.copy_button.click()

    mime = clipboard.mimeData()
    assert mime.hasHtml() and mime.hasText()
    html, text = mime.html(), mime.text()
    assert "<html" in html.lower() or "<h1" in html.lower()
    assert "ZD-1234" in html and "ZD-1234" in text
    assert "Owner archived Basic last week." in text
    for body in (html, text):
        assert scenario.primary_key not in body
        assert "ada@customer.example" not in body
    assert page.redaction.text() == "Redacted: secret keys, portal session links, customer e-mails"


async def test_summary_lists_every_check_with_its_status_word(qtbot) -> None:
    outcome, _ = await run_scenario("archived_product")
    page = ReportPage(clipboard=FakeClipboard())
    qtbot.addWidget(page)
    page.show_outcome(outcome)
    lines = page.summary_lines()
    assert len(lines) == len(outcome.diagnosis.checks)
    assert lines[0].startswith("FAIL — Products offered for plan switching can be used: ")
    assert all(" — " in line for line in lines)
    page.refresh_preview()
    assert "FAIL" in page.preview.toPlainText() or "Fail" in page.preview.toPlainText()


async def test_unmasking_emails_shows_them_and_says_so(qtbot) -> None:
    outcome, _ = await run_scenario("duplicate_emails")  # the warning names the shared e-mail
    clipboard = FakeClipboard()
    page = ReportPage(clipboard=clipboard)
    qtbot.addWidget(page)
    page.show_outcome(outcome)
    page.copy_report()
    assert "sam@customer.example" not in clipboard.mimeData().text()
    page.mask_emails.setChecked(False)
    assert page.redaction.text() == "Redacted: secret keys, portal session links"
    page.copy_report()
    assert "sam@customer.example" in clipboard.mimeData().text()


@pytest.mark.parametrize("name,chosen,suffix,magic", [
    ("report", FILTER_MARKDOWN, ".md", "1 problem: Plans and prices — "),  # the note's headline
    ("report", FILTER_HTML, ".html", "<"),
    ("report.pdf", FILTER_MARKDOWN, ".pdf", "%PDF"),
])
async def test_save_writes_the_chosen_format(qtbot, tmp_path: Path, name, chosen, suffix, magic) -> None:
    outcome, scenario = await run_scenario("archived_product")
    asked: list[str] = []

    def dialog(parent, caption, default, filters):
        asked.append(filters)
        return str(tmp_path / name), chosen

    page = ReportPage(clipboard=FakeClipboard(), save_dialog=dialog)
    qtbot.addWidget(page)
    page.show_outcome(outcome)
    with qtbot.waitSignal(page.report_saved) as saved:
        page.save_button.click()
    path = Path(saved.args[0])
    assert path.suffix == suffix
    data = path.read_bytes()
    assert data.lstrip().startswith(magic.encode())
    assert scenario.primary_key.encode() not in data
    assert "Markdown" in asked[0] and "HTML" in asked[0] and "PDF" in asked[0]
    assert str(path) in page.status.text()


async def test_cancelled_save_writes_nothing(qtbot, tmp_path: Path) -> None:
    outcome, _ = await run_scenario("archived_product")
    page = ReportPage(save_dialog=lambda *a: ("", ""))
    qtbot.addWidget(page)
    page.show_outcome(outcome)
    with qtbot.assertNotEmitted(page.report_saved):
        page.save_button.click()


def test_buttons_wait_for_a_diagnosis(qtbot) -> None:
    page = ReportPage()
    qtbot.addWidget(page)
    page.show_outcome(None)
    assert not page.copy_button.isEnabled()
    assert not page.save_button.isEnabled()


async def test_the_notes_preview_reads_dark_on_light_in_a_dark_palette(qtbot) -> None:
    """The note's HTML sets its text colour (#1a1a1a, for paper and PDF); in a dark palette the
    preview drew that on the palette's near-black base, so the note could not be read. The note
    brings its own light background."""
    from PySide6.QtGui import QColor, QPalette

    outcome, _ = await run_scenario("no_return_url")
    page = ReportPage(clipboard=FakeClipboard())
    dark = QPalette(page.palette())
    for role in (QPalette.ColorRole.Base, QPalette.ColorRole.Window):
        dark.setColor(role, QColor("#15171a"))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText):
        dark.setColor(role, QColor("#e8eaed"))
    page.setPalette(dark)
    qtbot.addWidget(page)
    page.resize(900, 1400)
    page.show()
    page.show_outcome(outcome)
    page.preview_toggle.click()
    page.refresh_preview()
    qtbot.waitUntil(lambda: page.preview.isVisible())
    image = page.preview.viewport().grab().toImage()
    corner = image.pixelColor(image.width() - 4, 4)
    assert corner.lightness() > 200, corner.name()  # the note's paper, not the dark base
