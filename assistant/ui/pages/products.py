"""Step "products": every product and price the portal offers for plan switching, one row each.

Stripe keeps returning active prices of an archived product, so the table shows the product's
state and the price's state side by side and names the problem in words on the offending row.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from assistant.diagnosis.checks.facts import interval, is_recurring, object_id, price_amount
from assistant.diagnosis.model import Status
from assistant.knowledge.dashboard import dashboard_url
from assistant.diagnosis.run import RunOutcome
from assistant.knowledge.base import KnowledgeBase
from assistant.account.snapshot import StripeObject
from assistant.ui.check_card import status_icon
from assistant.ui.clipboard import Clipboard
from assistant.ui.pages.common import (
    cell_text,
    header_text,
    ResultsPage,
    configure_table,
    fit_table_height,
    heading,
    text_label,
)

COLUMNS = (
    "Problem", "Product ID", "Product", "Product state", "Price ID", "Nickname", "Amount",
    "Interval", "Recurring", "Price state",
)
OK = "OK"
ARCHIVED_PRODUCT = "Archived — remove or reactivate"
ARCHIVED_PRICE = "Price archived — remove or reactivate"
MISSING_PRODUCT = "Product not found — remove it from the portal"
MISSING_PRICE = "Price not found — remove it from the portal"
ONE_TIME = "One-time price — the portal needs a recurring price"
_SORT_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class CatalogueRow:
    problems: tuple[str, ...]
    product_id: str
    product_name: str
    product_state: str
    price_id: str
    nickname: str
    amount: str
    amount_sort: float
    interval: str
    recurring: str
    price_state: str

    @property
    def problem_text(self) -> str:
        return "; ".join(self.problems) if self.problems else OK

    def cells(self) -> tuple[str, ...]:
        return (self.problem_text, self.product_id, self.product_name, self.product_state,
                self.price_id, self.nickname, self.amount, self.interval, self.recurring,
                self.price_state)


def _state(obj: StripeObject | None) -> str:
    if obj is None:
        return "Not found"
    return "Active" if obj.get("active", True) else "Archived"


def catalogue_rows(conf: StripeObject, products: dict[str, StripeObject],
                   prices: dict[str, StripeObject]) -> list[CatalogueRow]:
    """One row per offered price (or per product when it lists none), in the portal's order."""
    update = (conf.get("features") or {}).get("subscription_update") or {}
    rows: list[CatalogueRow] = []
    for entry in update.get("products") or []:
        if not isinstance(entry, dict):
            continue
        product_id = object_id(entry.get("product"))
        product = products.get(product_id)
        product_problems: list[str] = []
        if product is None:
            product_problems.append(MISSING_PRODUCT)
        elif product.get("active") is False:
            product_problems.append(ARCHIVED_PRODUCT)
        price_ids = [object_id(p) for p in entry.get("prices") or []] or [""]
        for price_id in price_ids:
            price = prices.get(price_id) if price_id else None
            problems = list(product_problems)
            if price_id and price is None:
                problems.append(MISSING_PRICE)
            elif price is not None:
                if price.get("active") is False:
                    problems.append(ARCHIVED_PRICE)
                if not is_recurring(price):
                    problems.append(ONE_TIME)
            amount = price_amount(price) if price else "—"
            unit = price.get("unit_amount") if price else None
            rows.append(CatalogueRow(
                problems=tuple(problems),
                product_id=product_id,
                product_name=str((product or {}).get("name") or "—"),
                product_state=_state(product),
                price_id=price_id or "—",
                nickname=str((price or {}).get("nickname") or "—"),
                amount=amount,
                amount_sort=float(unit) if isinstance(unit, (int, float)) else -1.0,
                interval=interval(price) if price else "—",
                recurring=("Yes" if is_recurring(price) else "No") if price else "—",
                price_state=_state(price) if price_id else "—",
            ))
    return rows


def rows_as_tsv(header: list[str], rows: list[list[str]]) -> str:
    def clean(cell: str) -> str:
        return cell.replace("\t", " ").replace("\r", " ").replace("\n", " ")
    return "\n".join("\t".join(clean(c) for c in line) for line in [header, *rows]) + "\n"


class _SortItem(QTableWidgetItem):
    """Sorts by a hidden key when it has one (amounts as numbers, not as text)."""

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine, theirs = self.data(_SORT_ROLE), other.data(_SORT_ROLE)
        if mine is not None and theirs is not None:
            return bool(mine < theirs)
        return self.text().casefold() < other.text().casefold()


class ProductsPage(ResultsPage):
    """The allowed products and prices as a sortable table; Ctrl+C copies selected rows as TSV."""

    step_id = "products"

    def __init__(
        self,
        knowledge: KnowledgeBase | None = None,
        clipboard: Clipboard | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(knowledge, clipboard, parent)
        self._rows: list[CatalogueRow] = []
        self.note = text_label("")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        configure_table(self.table)
        self.table.setAccessibleName("Products and prices the portal offers")
        self.table.setSortingEnabled(True)
        self.table.sortItems(0, Qt.SortOrder.AscendingOrder)  # rows with a problem first
        # QTableView's own Ctrl+C copies one cell; the agent wants whole rows, so catch it first.
        self.table.installEventFilter(self)

        self.copy_button = QPushButton("Copy table")
        self.copy_button.setToolTip("Copy every row as tab-separated text (Ctrl+C copies the selected rows)")
        self.copy_button.clicked.connect(self.copy_all)
        self.open_products_button = QPushButton("Open products in Dashboard")
        self.connect_open(self.open_products_button, lambda: dashboard_url(self.mode, "products"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.open_products_button)
        buttons.addStretch(1)

        self.add_content(heading("Offered for plan switching"), self.note, self.table, buttons)
        self.body.addStretch(1)
        self.render_outcome(None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.table
                and event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride)
                and isinstance(event, QKeyEvent) and event.matches(QKeySequence.StandardKey.Copy)):
            if event.type() == QEvent.Type.KeyPress:
                self.copy_selection()
            event.accept()
            return event.type() == QEvent.Type.KeyPress
        return super().eventFilter(watched, event)

    # -- view ----------------------------------------------------------------------------------
    def render_outcome(self, outcome: RunOutcome | None) -> None:
        self._rows = []
        snap = outcome.snapshot if outcome else None
        conf = snap.default_configuration if snap else None
        if snap is None:
            self.note.setText("Run the diagnosis to list the products the portal offers.")
        elif conf is None:
            self.note.setText("No default portal configuration in this mode, so no products are offered.")
        elif not ((conf.get("features") or {}).get("subscription_update") or {}).get("enabled"):
            self.note.setText("Plan switching is off in the portal, so customers are offered no products.")
        elif snap.products.error is not None or snap.prices.error is not None:
            err = snap.products.error or snap.prices.error
            self.note.setText(f"Could not read the products: {err.summary if err else ''}")
        else:
            self._rows = catalogue_rows(conf, snap.products.value or {}, snap.prices.value or {})
            bad = sum(1 for r in self._rows if r.problems)
            if not self._rows:
                self.note.setText("Plan switching is on, but no products are listed for it.")
            elif bad:
                self.note.setText(f"{bad} of {len(self._rows)} rows have a problem (marked in the "
                                  "Problem column).")
            else:
                self.note.setText(f"{len(self._rows)} prices offered; all can be switched to.")
        self._fill()

    def _fill(self) -> None:
        table = self.table
        table.setSortingEnabled(False)
        table.setRowCount(len(self._rows))
        for r, row in enumerate(self._rows):
            for c, text in enumerate(row.cells()):
                item = _SortItem(text)
                if c == 0:
                    item.setIcon(status_icon(Status.FAIL if row.problems else Status.PASS))
                    item.setData(_SORT_ROLE, (0 if row.problems else 1, text.casefold()))
                elif c == 6:
                    item.setData(_SORT_ROLE, (row.amount_sort, text))
                table.setItem(r, c, item)
        table.setSortingEnabled(True)
        table.resizeColumnsToContents()
        fit_table_height(table)

    # -- what the agent sees and copies ---------------------------------------------------------
    def header(self) -> list[str]:
        return [header_text(self.table, c) for c in range(self.table.columnCount())]

    def visible_rows(self) -> list[list[str]]:
        """The table as displayed (current sort order)."""
        t = self.table
        return [[cell_text(t, r, c) for c in range(t.columnCount())]
                for r in range(t.rowCount())]

    def selected_rows(self) -> list[list[str]]:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        all_rows = self.visible_rows()
        return [all_rows[r] for r in rows]

    def copy_selection(self) -> str:
        rows = self.selected_rows()
        if not rows:
            return ""
        text = rows_as_tsv(self.header(), rows)
        self.clipboard().setText(text)
        return text

    def copy_all(self) -> None:
        self.clipboard().setText(rows_as_tsv(self.header(), self.visible_rows()))


PAGE = ProductsPage
