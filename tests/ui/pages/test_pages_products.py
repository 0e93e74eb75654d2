"""Products step: the agent sees which offered product or price customers cannot switch to."""

from __future__ import annotations

from PySide6.QtCore import Qt
from support.ui_outcomes import FakeClipboard, run_scenario

from assistant.ui.pages.products import ProductsPage

ARCHIVED_PRODUCT = "Archived — remove or reactivate"  # the label of product.archived in checks.json


async def test_archived_product_row_is_marked_in_words(qtbot) -> None:
    outcome, _ = await run_scenario("archived_product")
    page = ProductsPage(clipboard=FakeClipboard())
    qtbot.addWidget(page)
    page.show_outcome(outcome)

    rows = page.visible_rows()
    header = page.header()
    by_name = {}
    for row in rows:
        by_name.setdefault(row[header.index("Product")], []).append(row)
    assert len(by_name["Basic"]) == 2
    for row in by_name["Basic"]:
        assert row[header.index("Problem")] == ARCHIVED_PRODUCT
        assert row[header.index("Product state")] == "Archived"
        assert row[header.index("Price state")] == "Active"
    for row in by_name["Pro"]:
        assert row[header.index("Problem")] == "OK"
    # the status is an icon as well as words
    problem_col = header.index("Problem")
    for r in range(page.table.rowCount()):
        assert not page.table.item(r, problem_col).icon().isNull()
    assert page.cards["portal.products"].result.status.value == "fail"


async def test_sorting_by_amount_is_numeric_and_ctrl_c_copies_tsv(qtbot) -> None:
    outcome, _ = await run_scenario("archived_product")
    clipboard = FakeClipboard()
    page = ProductsPage(clipboard=clipboard)
    qtbot.addWidget(page)
    page.show_outcome(outcome)
    amount = page.header().index("Amount")
    page.table.sortItems(amount)
    amounts = [r[amount] for r in page.visible_rows()]
    assert amounts == ["9.00 USD / month", "29.00 USD / month", "90.00 USD / year", "290.00 USD / year"]

    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    lines = clipboard.text().splitlines()
    assert lines[0].split("\t") == page.header()
    assert len(lines) == 2
    assert lines[1].split("\t")[amount] == "9.00 USD / month"
