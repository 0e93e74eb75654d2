"""A layout that holds while the agent talks (issue 13, item 4): the glossary's width is
bounded and never squeezes the page, no page scrolls sideways or nests scroll areas, tables
show every column, card titles stay on their line, and the Connect page never jumps."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QPlainTextEdit, QScrollArea, QTableWidget
from support.practice import practice
from support.window import make_window, paste_key, settled, until

from assistant.ui.glossary.host import DOCK_MAX_CHARS, DOCK_MIN_CHARS, PAGE_MIN_CHARS
from assistant.ui.kit.table_fit import icon_room, is_id
from assistant.ui.window.support import default_size

SIZES = {"default": None, "1280x720": QSize(1280, 720)}


async def _settle() -> None:
    """Let Qt lay out and paint (on the running loop: processEvents would re-enter qasync)."""
    for _ in range(3):
        await asyncio.sleep(0.01)


def _size(window, name: str) -> QSize:
    return SIZES[name] or default_size(window)


def _scroll_areas(widget) -> list[QAbstractScrollArea]:
    return [a for a in widget.findChildren(QAbstractScrollArea)
            if a.isVisibleTo(widget) and not isinstance(a, QPlainTextEdit)]


@pytest.mark.parametrize("size", list(SIZES))
async def test_glossary_width_is_bounded_and_the_page_keeps_its_room(qtbot, tmp_path, size) -> None:
    window = make_window(qtbot, tmp_path)
    window.resize(_size(window, size))
    window.show_glossary("Portal Session")
    await _settle()
    dock = window.glossary
    char = window.fontMetrics().averageCharWidth()
    assert DOCK_MIN_CHARS * char <= dock.width() <= DOCK_MAX_CHARS * char
    before = dock.width()
    # Long entries and long titles must not make the pane grow (it went 250 -> 510 px)
    for ref in ("trouble:session-link-expired", "portal.products", "trouble:tax-behavior-mismatch"):
        window.show_glossary(ref)
        await _settle()
        assert dock.width() == before, ref
    assert window.stack.width() >= PAGE_MIN_CHARS * char
    # Dragging it wider stops at the bound
    window.resizeDocks([dock], [window.width()], Qt.Orientation.Horizontal)
    await _settle()
    assert dock.width() <= DOCK_MAX_CHARS * char
    assert window.stack.width() >= PAGE_MIN_CHARS * char


@pytest.mark.parametrize("scenario", ["archived_product", "big_catalogue", "parity_mismatch", "no_webhooks"])
@pytest.mark.parametrize("size", list(SIZES))
async def test_no_page_scrolls_sideways_nests_scrolling_or_wraps_a_title(qtbot, tmp_path, scenario, size) -> None:
    with practice(scenario) as (_scenario, _server):
        window = make_window(qtbot, tmp_path)
        window.resize(_size(window, size))
        assert window.open_practice(scenario)
        await run_and_wait_started(window)
        window.show_glossary("Archived Product")
        line = window.fontMetrics().lineSpacing()
        for row, page in enumerate(window.pages):
            window.go_to_step(row)
            window.flush_pages()
            await _settle()
            where = f"{scenario} {size} step {page.step_id}"
            areas = _scroll_areas(page)
            pages_own = [a for a in areas if isinstance(a, QScrollArea)]
            assert len(pages_own) == 1, where
            assert pages_own[0].horizontalScrollBar().maximum() == 0, f"{where}: scrolls sideways"
            inner = [a for a in areas if a not in pages_own and a.verticalScrollBar().maximum() > 0]
            assert not inner, f"{where}: a scroll area inside the page: {[type(a).__name__ for a in inner]}"
            for table in page.findChildren(QTableWidget):
                if not table.isVisibleTo(page) or table.columnCount() == 0:
                    continue
                header = table.horizontalHeader()
                used = sum(header.sectionSize(c) for c in range(table.columnCount()))
                assert used <= table.viewport().width(), f"{where}: {table.accessibleName()} wider than its view"
                assert table.horizontalScrollBar().maximum() == 0, where
                assert all(header.sectionSize(c) > 0 for c in range(table.columnCount())), where
                # a one-word cell ("Same", "Differs", "On") is never cut: the long ids give way
                fm = table.fontMetrics()
                for r in range(table.rowCount()):
                    for c in range(table.columnCount()):
                        item = table.item(r, c)
                        if item is None or not item.text() or " " in item.text() or is_id(item.text()):
                            continue
                        icon = icon_room(table) if not item.icon().isNull() else 0
                        needed = fm.horizontalAdvance(item.text()) + icon + fm.averageCharWidth()
                        assert header.sectionSize(c) >= needed, (
                            f"{where}: '{item.text()}' cut in {table.accessibleName()}")
            if page.step_id == "webhooks" and page.grid.rowCount():  # the event names read in full
                fm, width = page.grid.fontMetrics(), page.grid.horizontalHeader().sectionSize(0)
                assert all(width >= fm.horizontalAdvance(e) + fm.averageCharWidth() for e in page.event_labels()), where
            for card in getattr(page, "cards", {}).values():
                title = card._title
                assert title.height() <= 2 * line + 4, f"{where}: {card.check_id} title wraps: {title.text()}"


async def run_and_wait_started(window) -> None:
    await until(lambda: window.outcome is not None and settled(window), 20, "the practice run")


async def test_the_connect_page_does_not_jump_when_the_banner_goes(qtbot, tmp_path) -> None:
    window = make_window(qtbot, tmp_path)
    page = window.connect_page
    await _settle()
    assert page.hint_frame.isVisible()
    before = page.check_button.mapTo(window, page.check_button.rect().topLeft())
    paste_key(page.key_field, "sk_test_" + "a" * 24)
    await _settle()
    assert not page.hint_frame.isVisible()
    after = page.check_button.mapTo(window, page.check_button.rect().topLeft())
    assert after == before


async def test_tables_elide_with_the_whole_text_in_a_tooltip(qtbot, tmp_path) -> None:
    with practice("big_catalogue") as (_scenario, _server):
        window = make_window(qtbot, tmp_path)
        window.resize(QSize(1280, 720))
        window.open_practice("big_catalogue")
        await run_and_wait_started(window)
        window.show_glossary("Archived Product")
        window.go_to_step(window.step_index("products"))
        window.flush_pages()
        await _settle()
        table = window.pages[window.step_index("products")].table
        fm = table.fontMetrics()
        header = table.horizontalHeader()
        cells = [(r, c) for r in range(table.rowCount()) for c in range(table.columnCount())]
        narrow = [(r, c) for r, c in cells if fm.horizontalAdvance(table.item(r, c).text()) > header.sectionSize(c)]
        assert narrow, "at 1280x720 with the glossary open some cells must be narrower than their text"
        for r, c in narrow:
            item = table.item(r, c)
            if " " in item.text():  # words wrap onto more lines: the row is taller
                assert table.rowHeight(r) > fm.lineSpacing() * 1.5, item.text()
            else:  # an id is elided, whole in its tooltip
                assert item.toolTip() == item.text()
