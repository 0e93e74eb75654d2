"""The frame around the pages: fallbacks, settings, sizes from the font."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from support.window import make_window

from assistant.ui.pages import registry as page_registry
from assistant.ui.pages.registry import STEP_IDS, StepSpec, build_pages


def test_seven_steps_in_order(qtbot, tmp_path) -> None:
    window = make_window(qtbot, tmp_path)
    assert [p.step_id for p in window.pages] == list(STEP_IDS)
    assert STEP_IDS == ("connect", "configuration", "products", "return_url", "webhooks",
                        "customer", "report")
    texts = [window.sidebar.item_text(r) for r in range(7)]
    assert all(t.endswith("— not run") for t in texts)
    assert texts[0].startswith("1. Connect")
    assert window.windowTitle() == "Portal Setup Assistant"
    assert window.mode_badge.text() == "NO KEY"


def test_a_missing_page_module_becomes_a_placeholder(qtbot, monkeypatch) -> None:
    broken = StepSpec("products", "Plans and prices", "assistant.ui.pages.nope", "Nope", ("portal.products",))
    steps = tuple(broken if s.step_id == "products" else s for s in page_registry.STEPS)
    monkeypatch.setattr(page_registry, "STEPS", steps)
    pages = build_pages()
    for p in pages:
        qtbot.addWidget(p)
    products = pages[2]
    assert isinstance(products, page_registry.PlaceholderPage)
    assert products.title == "Plans and prices"
    assert page_registry.check_ids_for(products) == ("portal.products",)


def test_geometry_is_saved_and_restored_but_nothing_else(qtbot, tmp_path) -> None:
    window = make_window(qtbot, tmp_path)
    fm = window.fontMetrics()
    assert window.width() >= fm.averageCharWidth() * 60  # sized from the font
    window.resize(fm.averageCharWidth() * 100, fm.lineSpacing() * 30)
    window.close()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert sorted(settings.allKeys()) == ["window/geometry", "window/state"]
    again = make_window(qtbot, tmp_path)
    assert again.size() == window.size()


def test_glossary_requests_open_the_dock(qtbot, tmp_path) -> None:
    window = make_window(qtbot, tmp_path)
    window.pages[2].glossary_requested.emit("Archived Product")
    assert window.glossary.isVisible()
