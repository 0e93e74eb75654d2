"""A glossary that cannot load (a broken knowledge file in a build) still answers F1 and the
toolbar: the agent reads that it is missing, and the window keeps working."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow

from assistant.ui.glossary import dock as dock_module
from assistant.ui.glossary.host import make_glossary_dock
from assistant.ui.glossary.pane import PlaceholderGlossaryDock


def test_a_dock_that_fails_to_build_becomes_a_placeholder_that_says_so(qtbot, monkeypatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise ValueError("knowledge file unreadable")

    monkeypatch.setattr(dock_module, "GlossaryDock", broken)
    window = QMainWindow()
    qtbot.addWidget(window)
    dock = make_glossary_dock(window)
    assert isinstance(dock, PlaceholderGlossaryDock)
    assert dock.objectName()  # named, so the window can restore where the agent left it
    dock.show_reference("trouble:session-link-expired")
    text = dock.findChild(QLabel).text()
    assert "trouble:session-link-expired" in text and "not available in this build" in text
    assert dock.isVisibleTo(window)


def test_the_real_dock_is_built_when_it_can_be(qtbot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    dock = make_glossary_dock(window)
    assert isinstance(dock, dock_module.GlossaryDock)
    assert dock.objectName()  # named, so the window can restore where the agent left it
