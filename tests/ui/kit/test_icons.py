"""Statuses and modes are drawn as a shape and said as a word: never colour alone."""

from __future__ import annotations

from assistant.ui.kit.icons import icon, state_word


def test_every_status_has_an_svg_icon_and_a_word(qtbot) -> None:  # qtbot: a pixmap needs the application
    for name in ("pass", "warn", "fail", "skip", "error", "running", "pending", "cancelled", "live", "test"):
        assert not icon(name).isNull(), name
        assert not icon(name).pixmap(32, 32).isNull(), name
    assert state_word("fail") == "FAIL" and state_word("pending") == "NOT RUN"
