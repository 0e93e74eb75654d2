"""The real window on a practice server over HTTP, on the card of one check, with Fix… at hand
(tests/ui/fix/)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from assistant.store.history import HistoryStore
from support.window import make_window, paste_key, run_and_wait, until


async def window_on_card(qtbot: Any, tmp_path: Any, server: Any, scenario: Any, step: str,
                         check_id: str) -> tuple[Any, Any, list[Any]]:
    """(window, card, the previews Fix… opened) once the card offers Fix…."""
    window = make_window(qtbot, tmp_path, api_base=server.base_url,
                         history=HistoryStore(tmp_path / "history.sqlite3", agent="Sam"))
    paste_key(window.connect_page.key_field, scenario.primary_key)
    await run_and_wait(window)
    window.go_to_step(window.step_index(step))
    window.flush_pages()
    card = window.pages[window.step_index(step)].cards[check_id]
    await until(lambda: card.fix_button().isVisible(), what=f"Fix… on the {check_id} card")
    opened: list[Any] = []
    window.fix_flow.dialog_opened.connect(opened.append)
    return window, card, opened


async def open_preview(qtbot: Any, card: Any, opened: list[Any]) -> Any:
    """Press Fix… on the card; the preview it opens, once shown."""
    opened.clear()
    qtbot.mouseClick(card.fix_button(), Qt.MouseButton.LeftButton)
    await until(lambda: bool(opened) and opened[-1].isVisible(), what="the preview")
    return opened[-1]
