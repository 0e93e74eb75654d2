"""Fitted tables keep their headers readable when a row is selected.

What the agent would notice: on the customer page, selecting the row where Stripe refused a flow
turned every column header bold (Qt highlights the headers of selected columns, and a whole-row
selection selects them all), so a header fitted to its regular width was cut: "The checks
expectec". Selecting a row must leave the headers drawn as they were fitted.
"""

from __future__ import annotations

from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

from assistant.ui.pages.common import configure_table, fit_table_height


def _table(qtbot) -> QTableWidget:
    table = QTableWidget(2, 3)
    qtbot.addWidget(table)
    configure_table(table)
    table.setHorizontalHeaderLabels(["Flow", "Stripe", "The checks expected"])
    for row in range(2):
        for column, text in enumerate(("Cancel", "Stripe refuses", "the checks expect it to open.")):
            table.setItem(row, column, QTableWidgetItem(text))
    table.resize(520, 200)
    table.show()
    qtbot.waitExposed(table)
    fit_table_height(table, min_rows=1)
    return table


def test_selecting_a_row_leaves_the_headers_as_fitted(qtbot) -> None:
    table = _table(qtbot)
    header = table.horizontalHeader()
    before = header.grab().toImage()
    table.selectRow(1)
    qtbot.wait(50)
    after = header.grab().toImage()
    assert before == after, "the headers changed (bold) when a row was selected, and no longer fit their width"
