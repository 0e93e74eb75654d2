"""Case history window: an agent on a follow-up call sees every saved run, what changed since the
last run of the same account, and can copy a past report, and never sees a key or edits a run."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
)
from support.history_dialog import open_dialog, pick, read
from support.history_samples import moved_on
from support.ui_outcomes import FakeClipboard

from assistant.diagnosis.model import AccountInfo, CheckResult, Diagnosis, Status
from assistant.diagnosis.status import counts_text, status_counts
from assistant.diagnosis.summary import summarise
from assistant.knowledge.checklist import check_ids
from assistant.report.markdown import md_inline
from assistant.report.sample import sample_diagnosis
from assistant.store.history import HistoryStore
from assistant.ui.history.dialog import (
    COL_ACCOUNT,
    COL_AGENT,
    COL_MODE,
    COL_RESULT,
    COL_TICKET,
    COL_WHEN,
    COLUMNS,
    EMPTY_TEXT,
    HistoryDialog,
)

COFFEE = "acct_1PrCtc3Coffee00"
TEA = "acct_1TeaHouse000042"
PLANTED_KEY = "sk_test_" + "4eC39HqLyjWDarjtT1zdp7dc"  # 24 characters after the prefix


def _with(diagnosis: Diagnosis, **statuses: Status) -> Diagnosis:
    """The run with some checks' statuses changed (keyword: check id with "." as "__")."""
    wanted = {k.replace("__", "."): v for k, v in statuses.items()}
    checks = tuple(
        dataclasses.replace(c, status=wanted[c.id]) if c.id in wanted else c
        for c in diagnosis.checks
    )
    return dataclasses.replace(diagnosis, checks=checks)


def _runs(store: HistoryStore) -> dict[str, int]:
    """Three runs of the coffee account (products FAIL, FAIL, PASS) and one of the tea account."""
    base = sample_diagnosis(product_name="Pro plan")
    ids = {}
    ids["coffee1"] = store.save(dataclasses.replace(
        base, generated_at="2024-06-03T14:07:31Z", ticket="ZD-48213"))
    ids["tea"] = store.save(dataclasses.replace(
        base, generated_at="2024-06-03T15:00:00Z", ticket="ZD-50001",
        account=AccountInfo(TEA, "Tea House Ltd"), notes="Tea shop, all fine.",
        checks=tuple(dataclasses.replace(c, status=Status.PASS) for c in base.checks)))
    ids["coffee2"] = store.save(dataclasses.replace(
        _with(base, portal__return_url=Status.PASS),
        generated_at="2024-06-04T09:30:00Z", ticket="ZD-48213",
        notes="Return URL fixed on the call; price still archived."))
    ids["coffee3"] = store.save(dataclasses.replace(
        _with(base, portal__return_url=Status.PASS, portal__products=Status.PASS,
              portal__login_link=Status.FAIL),
        generated_at="2024-06-05T10:15:00Z", ticket="ZD-48213",
        notes=f"Owner pasted {PLANTED_KEY} in the chat; new monthly price added."))
    return ids


@pytest.fixture
def store(tmp_path: Path) -> HistoryStore:
    return HistoryStore(tmp_path / "history.sqlite3")


@pytest.fixture
def filled(store: HistoryStore) -> tuple[HistoryStore, dict[str, int]]:
    return store, _runs(store)


def _dialog(qtbot, store: HistoryStore, **kwargs) -> HistoryDialog:
    return open_dialog(qtbot, store, **kwargs)


def _all_visible_text(dialog: HistoryDialog) -> str:
    """Every string the dialog can show: labels, cells, tooltips, combo entries, window title."""
    parts = [dialog.windowTitle()]
    for label in dialog.findChildren(QLabel):
        parts += [label.text(), label.toolTip(), label.accessibleName()]
    table = dialog.runs_table
    for r in range(table.rowCount()):
        for c in range(table.columnCount()):
            item = table.item(r, c)
            parts += [item.text(), item.toolTip()]
    combo = dialog.account_filter
    parts += [combo.itemText(i) for i in range(combo.count())]
    return "\n".join(parts)


def test_lists_every_run_newest_first_with_counts_mode_and_ticket(qtbot, filled) -> None:
    store, ids = filled
    dialog = _dialog(qtbot, store, clipboard=FakeClipboard())
    assert [r.id for r in dialog.runs()] == [ids["coffee3"], ids["coffee2"], ids["tea"], ids["coffee1"]]
    rows = dialog.row_texts()
    assert len(rows) == 4
    newest = rows[0]
    assert COFFEE in newest and "Practice Coffee Co." in newest
    assert "TEST" in newest and "ZD-48213" in newest
    # The newest run: login link now FAIL, return URL and products PASS; counts worst first.
    shown = _with(sample_diagnosis(product_name="Pro plan"), portal__return_url=Status.PASS,
                  portal__products=Status.PASS, portal__login_link=Status.FAIL)
    assert counts_text(status_counts(c.status for c in shown.checks), " · ") in newest
    assert "1 FAIL · 1 ERROR" in newest
    assert "Tea House Ltd" in rows[2] and f"{len(check_ids())} PASS" in rows[2]
    # The newest run opens by itself.
    assert dialog.current_run_id() == ids["coffee3"]


def test_filter_by_account_shows_only_that_account(qtbot, filled) -> None:
    store, ids = filled
    dialog = _dialog(qtbot, store, clipboard=FakeClipboard())
    combo = dialog.account_filter
    entries = [combo.itemText(i) for i in range(combo.count())]
    assert entries[0] == "All accounts"
    assert any(TEA in e and "Tea House Ltd" in e for e in entries)
    assert any(COFFEE in e and "Practice Coffee Co." in e for e in entries)

    combo.setCurrentIndex(combo.findData(TEA))
    read(qtbot, dialog)
    assert [r.id for r in dialog.runs()] == [ids["tea"]]
    assert all(TEA in row for row in dialog.row_texts())
    assert dialog.current_run_id() == ids["tea"]

    combo.setCurrentIndex(0)
    read(qtbot, dialog)
    assert len(dialog.runs()) == 4


def test_preselected_account_filters_from_the_start(qtbot, filled) -> None:
    store, ids = filled
    dialog = _dialog(qtbot, store, account_id=COFFEE, clipboard=FakeClipboard())
    assert dialog.account_filter_id() == COFFEE
    assert [r.id for r in dialog.runs()] == [ids["coffee3"], ids["coffee2"], ids["coffee1"]]


def test_newest_run_shows_what_was_fixed_and_what_regressed_in_words(qtbot, filled) -> None:
    store, ids = filled
    dialog = _dialog(qtbot, store, clipboard=FakeClipboard())
    assert pick(qtbot, dialog, ids["coffee3"])
    assert dialog.changes_heading.text() == "Changes since the previous run of this account"
    lines = dialog.change_lines()
    assert f"run #{ids['coffee2']}" in lines[0]  # compared with the coffee run, not the tea one
    products = next(line for line in lines if "Products offered for plan switching" in line)
    assert products.startswith("FIXED") and "FAIL → PASS" in products
    login = next(line for line in lines if "No-code login link" in line)
    assert login.startswith("REGRESSED") and "SKIP → FAIL" in login
    assert lines.index(login) < lines.index(products)  # what broke comes first
    assert not any("return to from the portal" in line for line in lines)  # unchanged since run 2
    assert not any("portal." in line for line in lines), lines  # titles, never check ids
    # Each change has an icon next to its words.
    for line in dialog._change_lines:
        assert line.icon_label.pixmap() is not None and not line.icon_label.pixmap().isNull()


def test_first_run_of_an_account_says_so(qtbot, filled) -> None:
    store, ids = filled
    dialog = _dialog(qtbot, store, clipboard=FakeClipboard())
    for first in (ids["coffee1"], ids["tea"]):
        assert pick(qtbot, dialog, first)
        lines = dialog.change_lines()
        assert lines[0].startswith("First run for this account")
        assert len(lines) == 1


def test_selected_run_is_shown_read_only_with_every_check(qtbot, filled) -> None:
    store, ids = filled
    dialog = _dialog(qtbot, store, clipboard=FakeClipboard())
    pick(qtbot, dialog, ids["coffee2"])
    assert COFFEE in dialog.account_label.text()
    assert dialog.mode_label.text() == "TEST"
    assert dialog.key_label.text() == "sk_test_…Xy9Q"
    assert dialog.ticket_label.text() == "ZD-48213"
    assert "Return URL fixed on the call" in dialog.notes_label.text()
    cards = dialog.cards()
    assert len(cards) == len(check_ids())
    by_id = {c.check_id: c for c in cards}
    assert by_id["portal.products"]._status.text() == "FAIL"
    assert by_id["portal.return_url"]._status.text() == "PASS"

    # Nothing about the run can be edited: no text fields, no editable combo, no editable cells.
    assert dialog.findChildren(QLineEdit) == []
    assert dialog.findChildren(QAbstractSpinBox) == []
    for editor in (*dialog.findChildren(QTextEdit), *dialog.findChildren(QPlainTextEdit)):
        assert editor.isReadOnly()
    for combo in dialog.findChildren(QComboBox):
        assert not combo.isEditable()
    for view in dialog.findChildren(QAbstractItemView):
        if view is dialog.account_filter.view() or isinstance(view, QHeaderView):
            continue  # the filter's drop-down and column headers hold no run content
        assert view.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    for label in dialog.findChildren(QLabel):
        assert not label.textInteractionFlags() & Qt.TextInteractionFlag.TextEditable
    table = dialog.runs_table
    for r in range(table.rowCount()):
        for c in range(table.columnCount()):
            assert not table.item(r, c).flags() & Qt.ItemFlag.ItemIsEditable


def test_copy_report_puts_markdown_and_html_without_the_key(qtbot, filled) -> None:
    store, ids = filled
    clipboard = FakeClipboard()
    dialog = _dialog(qtbot, store, clipboard=clipboard)
    pick(qtbot, dialog, ids["coffee3"])
    with qtbot.waitSignal(dialog.report_copied) as copied:
        dialog.copy_button.click()
    assert copied.args == [ids["coffee3"]]
    mime = clipboard.mimeData()
    assert mime.hasText() and mime.hasHtml()
    markdown, html = mime.text(), mime.html()
    shown = dialog.current_diagnosis()
    assert shown is not None
    assert markdown.splitlines()[0] == md_inline(summarise(shown).line)  # the ticket note's headline first
    assert "<html" in html.lower() and summarise(shown).headline in html
    for body in (markdown, html):
        assert "ZD-48213" in body
        assert "new monthly price added" in body
        assert PLANTED_KEY not in body
        assert "4eC39HqLyjWDarjtT1zdp7dc" not in body
        assert "jane.doe@example.com" not in body
    assert "copied" in dialog.status_label.text()


def test_the_planted_key_is_never_shown(qtbot, filled) -> None:
    store, ids = filled
    dialog = _dialog(qtbot, store, clipboard=FakeClipboard())
    for run in dialog.runs():
        pick(qtbot, dialog, run.id)
        shown = _all_visible_text(dialog)
        assert PLANTED_KEY not in shown
        assert "4eC39HqLyjWDarjtT1zdp7dc" not in shown
        for card in dialog.cards():
            assert PLANTED_KEY not in card.text()
    pick(qtbot, dialog, ids["coffee3"])
    assert "Owner pasted sk_test_…" in dialog.notes_label.text()


def test_empty_history_says_what_will_appear(qtbot, store) -> None:
    dialog = _dialog(qtbot, store, clipboard=FakeClipboard())
    assert dialog.runs() == []
    assert dialog.stack.currentWidget() is dialog.empty_label
    assert dialog.empty_label.text() == EMPTY_TEXT
    assert not dialog.copy_button.isEnabled()
    dialog.copy_report()  # nothing to copy: no crash, nothing on the clipboard


def test_refresh_shows_a_run_saved_while_open_and_keeps_the_selection(qtbot, store) -> None:
    dialog = _dialog(qtbot, store, clipboard=FakeClipboard())
    assert dialog.runs() == []
    first = store.save(sample_diagnosis())
    dialog.refresh_button.click()
    read(qtbot, dialog)
    assert [r.id for r in dialog.runs()] == [first]
    assert dialog.stack.currentWidget() is dialog.splitter
    assert dialog.current_run_id() == first
    second = store.save(dataclasses.replace(sample_diagnosis(), generated_at="2024-06-04T09:00:00Z"))
    dialog.refresh()
    read(qtbot, dialog)
    assert [r.id for r in dialog.runs()] == [second, first]
    assert dialog.current_run_id() == first  # the run the agent was reading stays open


def test_keyboard_arrows_move_through_runs_enter_opens_escape_closes(qtbot, filled) -> None:
    store, ids = filled
    dialog = _dialog(qtbot, store, clipboard=FakeClipboard())
    table = dialog.runs_table
    assert dialog.current_run_id() == ids["coffee3"]
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert dialog.current_run_id() == ids["coffee2"]
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert dialog.current_run_id() == ids["tea"]
    qtbot.keyClick(table, Qt.Key.Key_Up)
    assert dialog.current_run_id() == ids["coffee2"]
    read(qtbot, dialog)  # only the run the agent stopped on is shown
    assert dialog.run_heading.text().startswith(f"Run #{ids['coffee2']} ")
    with qtbot.waitSignal(dialog.run_opened) as opened:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert opened.args == [ids["coffee2"]]
    assert dialog.status_label.text() == ""  # Enter pressed no button (no copy)
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)


def test_sizes_follow_the_font(qtbot, store) -> None:
    dialog = _dialog(qtbot, store)
    fm = dialog.fontMetrics()
    assert dialog.width() >= fm.averageCharWidth() * 120
    assert dialog.height() >= fm.lineSpacing() * 30


def _run_with(status: Status) -> Diagnosis:
    return dataclasses.replace(
        sample_diagnosis(),
        checks=(CheckResult("key.format", "Key format", status, "Looks fine."),),
    )


def test_run_without_an_account_is_not_called_a_first_run(qtbot, store) -> None:
    run = store.save(dataclasses.replace(_run_with(Status.FAIL), account=None, mode=None))
    dialog = _dialog(qtbot, store, clipboard=FakeClipboard())
    pick(qtbot, dialog, run)
    assert "No account was read" in dialog.change_lines()[0]
    assert "No account read" in dialog.row_texts()[0]


def test_a_check_failing_again_for_another_reason_shows_what_came_and_went(qtbot, store) -> None:
    before = dataclasses.replace(sample_diagnosis(), generated_at="2024-06-03T10:00:00Z")
    store.save(before)
    newest = store.save(moved_on(before))
    dialog = _dialog(qtbot, store, clipboard=FakeClipboard())
    assert pick(qtbot, dialog, newest)
    lines = dialog.change_lines()
    assert lines[0].endswith("2 changed.")
    products = next(line for line in lines if "Products offered for plan switching" in line)
    assert products.startswith("CHANGED") and "FAIL → FAIL" in products
    assert ('now found: product.archived_prices_active (prod_Q3other "Other plan"); '
            "no longer found: product.archived_prices_active (prod_Q1hostile") in products
    hooks = next(line for line in lines if line.startswith("CHANGED Webhooks tell the app"))
    assert hooks.endswith("WARN → WARN; no longer found: webhook.event_missing (customer.updated)")


def test_every_column_is_readable_at_the_default_size(qtbot, filled) -> None:
    """Nothing is cut off at the right (the Ticket column was, once Agent was added): dates,
    accounts, modes and results show whole; typed agent names and tickets show whole up to a
    width from the font, past it elided with the whole text in the tooltip."""
    store, _ids = filled
    store.agent = "Alexandra Konstantinopoulou"
    long_ticket = "ZD-50117-billing-portal-escalation"
    store.save(dataclasses.replace(sample_diagnosis(), generated_at="2024-06-06T08:00:00Z",
                                   ticket=long_ticket))
    dialog = _dialog(qtbot, store, clipboard=FakeClipboard())
    fm = dialog.fontMetrics()
    dialog.resize(fm.averageCharWidth() * 210, fm.lineSpacing() * 44)  # on a desktop screen
    dialog.show()
    dialog.refresh()
    read(qtbot, dialog)
    table, header = dialog.runs_table, dialog.runs_table.horizontalHeader()
    assert header.length() <= table.viewport().width()  # every column on screen
    assert table.horizontalScrollBar().maximum() == 0
    for col in (COL_WHEN, COL_ACCOUNT, COL_MODE, COL_RESULT):
        assert header.sectionSize(col) >= table.sizeHintForColumn(col), COLUMNS[col]
    for col in (COL_AGENT, COL_TICKET):
        for row in range(table.rowCount()):
            cell = table.item(row, col)
            shown = header.sectionSize(col) >= fm.horizontalAdvance(cell.text()) + fm.height()
            assert shown or cell.toolTip() == cell.text(), (COLUMNS[col], cell.text())
    ticket = table.item(0, COL_TICKET)
    assert ticket.text() == long_ticket == ticket.toolTip()
    assert header.sectionSize(COL_TICKET) < fm.horizontalAdvance(long_ticket)  # elided, not wide


def test_copying_a_past_check_says_what_was_copied(qtbot, filled) -> None:
    store, ids = filled
    clipboard = FakeClipboard()
    dialog = _dialog(qtbot, store, clipboard=clipboard)
    pick(qtbot, dialog, ids["coffee3"])
    card = dialog.cards()[0]
    card.copy_to_clipboard()
    assert clipboard.text() and dialog.status_label.text().startswith("Copied ")


def test_a_run_on_a_connected_account_says_so_in_the_list_and_when_shown(qtbot, tmp_path: Path) -> None:
    """A platform's key acting for a connected account (Stripe Connect) checked that account's
    own settings; the agent on the next call must see that it was not the platform's."""
    store = HistoryStore(tmp_path / "h.sqlite3")
    loft = "acct_1SunLoftYoga7Kqz"
    connected = store.save(dataclasses.replace(
        sample_diagnosis(), generated_at="2026-12-05T10:00:00Z", account=AccountInfo(loft, "Sunrise Loft Yoga"),
        connected_account=loft))
    refused = store.save(dataclasses.replace(
        sample_diagnosis(), generated_at="2026-12-05T11:00:00Z", account=None,
        connected_account="acct_1NotReachable0042"))
    own = store.save(dataclasses.replace(sample_diagnosis(), generated_at="2026-12-05T12:00:00Z"))
    dialog = open_dialog(qtbot, store)
    rows = {run.id: row for run, row in zip(dialog.runs(), dialog.row_texts(), strict=True)}
    assert f"as connected account {loft}" in rows[connected]
    assert "as connected account acct_1NotReachable0042" in rows[refused]
    assert "connected account" not in rows[own]
    assert pick(qtbot, dialog, connected)
    assert dialog.account_label.text() == f"{loft} · Sunrise Loft Yoga, as connected account {loft}"
    assert dialog.account_label.textFormat() == Qt.TextFormat.PlainText
    assert pick(qtbot, dialog, refused)
    assert dialog.account_label.text() == "No account read, as connected account acct_1NotReachable0042"
    assert pick(qtbot, dialog, own)
    assert "connected account" not in dialog.account_label.text()
