"""The window never grows past its screen (issue 22, item 11).

With QT_SCALE_FACTOR=2 on a 1600 px wide screen the window has 800 logical pixels, and opening
the glossary widened it past the screen: the checklist, the step page's minimum and the pane's
minimum added up to more. The offscreen test screen is 800 pixels wide, the same room.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from support.window import make_window

from assistant.ui.kit.screen_fit import cuts


def _room(window) -> int:
    return window.screen().availableGeometry().width()


def test_opening_the_glossary_keeps_the_window_on_its_screen(qtbot, tmp_path) -> None:
    window = make_window(qtbot, tmp_path, lazy=True)
    room = _room(window)
    assert room <= 800  # the logical width of a 1600 px screen at scale 2
    window.resize(room - 20, window.height())
    window.glossary_action.trigger()
    QApplication.processEvents()
    assert window.glossary.isVisible()
    assert window.frameGeometry().width() <= room
    assert window.minimumSizeHint().width() <= room
    assert window.glossary.width() >= window.glossary.minimumWidth() > 0
    # the step page still has a readable width, and gets its full minimum back without the pane
    char = window.fontMetrics().averageCharWidth()
    assert window.stack.width() >= char * 40
    window.glossary_action.trigger()
    QApplication.processEvents()
    assert window.stack.minimumWidth() == char * 64


def test_the_shortfall_is_taken_from_each_width_in_turn_down_to_its_floor() -> None:
    assert cuts(0, [(400, 250), (200, 120)]) == [0, 0]
    assert cuts(-30, [(400, 250)]) == [0]
    assert cuts(50, [(400, 250), (200, 120)]) == [50, 0]
    assert cuts(200, [(400, 250), (200, 120)]) == [150, 50]
    assert cuts(900, [(400, 250), (200, 120)]) == [150, 80]  # never below a floor


def test_a_window_the_glossary_widened_stays_whole_on_its_screen(qtbot, tmp_path) -> None:
    window = make_window(qtbot, tmp_path, lazy=True)
    room = window.screen().availableGeometry()
    window.resize(room.width() - 60, window.height())
    window.move(room.left() + 50, room.top())  # where a window manager may have put it
    QApplication.processEvents()
    window.glossary_action.trigger()
    QApplication.processEvents()
    frame = window.frameGeometry()
    assert room.left() <= frame.left() and frame.right() <= room.right(), (frame, room)
