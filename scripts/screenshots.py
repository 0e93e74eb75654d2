"""Screenshots of every step on a practice account, in light and dark palettes, with the
glossary open, at the window's default size and at 1280x720.

    python scripts/screenshots.py [--scenario inactive_price] [--out docs/screenshots]

Runs offscreen unless a display is set (`xvfb-run -a python scripts/screenshots.py` for a real
X server). Files: step-<n>-<id>-<light|dark>.png (default size) and
step-<n>-<id>-1280x720-<light|dark>.png, plus first-run, live, glossary (the glossary
searched), help (Help → User guide), the test/live comparison (step-2-configuration-parity)
and the ticket note after Fix → Apply → Undo on no_return_url (ticket-note: the Report step
scrolled to its preview; ticket-note-preview: the whole note as the preview renders it), and a
refused "Open customer portal" (step-6-customer-refused), and on ask_already_cancelling the
customer step's "What the customer sees" (step-6-customer-sees) and the answers after Ask Stripe,
the cancel row where Stripe refused what the checks expected to work
(step-6-customer-asked).

`--screen TAG` photographs the whole screen instead, window manager and all, as the agent sees
it: the glossary walked with the arrow keys after a search in the Dashboard's words, and the
customer page after Stripe refused the portal (screen-glossary-TAG, screen-customer-refused-TAG).
Run it on a real X server with a window manager, in the settings to be shown, e.g.:

    Xvfb :71 -screen 0 1600x1000x24 & DISPLAY=:71 openbox &
    DISPLAY=:71 QT_SCALE_FACTOR=2 python scripts/screenshots.py --screen scale2-1600x1000
    DISPLAY=:71 QT_QPA_PLATFORMTHEME=gtk3 GTK_THEME=Adwaita:dark \
        python scripts/screenshots.py --screen system-dark
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")


from PySide6.QtCore import QSettings, QSize, QTemporaryDir
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from assistant.ui.window.main_window import MainWindow

RETURN_URL = "https://app.practice.example/billing"


def dark_palette() -> QPalette:
    p = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    colours = {
        role.Window: "#202326", role.WindowText: "#e8eaed", role.Base: "#15171a",
        role.AlternateBase: "#26292d", role.ToolTipBase: "#2b2f33", role.ToolTipText: "#e8eaed",
        role.PlaceholderText: "#8b929c", role.Text: "#e8eaed", role.Button: "#2b2f33",
        role.ButtonText: "#e8eaed", role.BrightText: "#ff6b6b", role.Link: "#8ab4f8",
        role.Highlight: "#3d6bb3", role.HighlightedText: "#ffffff", role.Light: "#3a3f44",
        role.Midlight: "#32363b", role.Mid: "#2a2d31", role.Dark: "#111315", role.Shadow: "#000000",
    }
    for r, c in colours.items():
        p.setColor(r, QColor(c))
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(group.Disabled, r, QColor("#6f757d"))
    return p


async def settle(window: MainWindow, seconds: float = 0.3) -> None:
    while window.controller.busy or window.fix_controller.busy:
        await asyncio.sleep(0.05)
    await asyncio.sleep(seconds)


async def ticket_note(window: MainWindow, grab: Callable[[str], None], out: Path, theme: str) -> list[Path]:
    """no_return_url: Fix… → the URL typed → Apply → Undo, then the Report step with the note's
    preview open, as the agent would copy it at the end of the call."""
    dialogs: list[Any] = []
    window.fix_flow.dialog_opened.connect(dialogs.append)
    window.open_practice("no_return_url")
    await settle(window)
    row = window.step_index("return_url")
    window.go_to_step(row)
    window.flush_pages()
    card = window.pages[row].cards["portal.return_url"]
    while not card.fix_button().isVisible():
        await asyncio.sleep(0.05)
    card.fix_button().click()
    while not dialogs:
        await asyncio.sleep(0.05)
    dialogs[0].input.setText(RETURN_URL)
    dialogs[0].input.textEdited.emit(RETURN_URL)
    await asyncio.sleep(0.2)
    dialogs[0].apply_button.click()
    await settle(window, 0.5)
    card.undo_button().click()
    await settle(window, 0.5)
    row = window.step_index("report")
    window.go_to_step(row)
    window.flush_pages()
    page = window.pages[row]
    page.set_ticket("ZD-48213")
    page.set_notes("Owner: Manage billing shows an error. Set the return URL, then undid it:\n"
                   "the owner wants to pick the page first and will set it in the Dashboard.")
    page.preview_toggle.setChecked(True)
    page.refresh_preview()
    await asyncio.sleep(0.3)
    page._scroll.ensureWidgetVisible(page.preview, 0, 0)  # a screenshot reaching in, not an API
    page._scroll.verticalScrollBar().setValue(page.preview.y() - 8)
    await asyncio.sleep(0.2)
    grab("ticket-note")
    QApplication.processEvents()
    path = out / f"ticket-note-preview-{theme}.png"
    page.preview.grab().save(str(path))
    return [path]


async def shoot(out: Path, scenario: str) -> list[Path]:
    from assistant.store.history import HistoryStore
    from assistant.ui.window.main_window import MainWindow
    from assistant.ui.window.support import default_size

    app = QApplication.instance()
    saved: list[Path] = []
    tmp = QTemporaryDir()
    for theme in ("light", "dark"):
        app.setStyle("Fusion")
        app.setPalette(dark_palette() if theme == "dark" else app.style().standardPalette())
        settings = QSettings(str(Path(tmp.path()) / f"{theme}.ini"), QSettings.Format.IniFormat)
        history = HistoryStore(Path(tmp.path()) / f"{theme}-history.sqlite3", agent="Sam")  # not the agent's own
        window = MainWindow(settings=settings, opener=lambda url: True, history=history)
        sizes = {"": default_size(window), "-1280x720": QSize(1280, 720)}
        window.resize(sizes[""])
        window.show()
        await asyncio.sleep(0.2)

        def grab(name: str, window: MainWindow = window, theme: str = theme) -> None:
            QApplication.processEvents()
            path = out / f"{name}-{theme}.png"
            window.grab().save(str(path))
            saved.append(path)

        grab("first-run")
        await run_practice(window, scenario)
        await asyncio.sleep(0.3)
        window.show_glossary("Archived Price")  # open beside every step, as on a call
        for suffix, size in sizes.items():
            window.resize(size)
            await asyncio.sleep(0.2)
            for row, page in enumerate(window.pages):
                window.go_to_step(row)
                await asyncio.sleep(0.1)
                grab(f"step-{row + 1}-{page.step_id}{suffix}")
        window.resize(sizes[""])
        window.go_to_step(2)
        window.search_glossary_action.trigger()  # F1, then the owner's words
        window.glossary.search_field.setText("price archived")
        await asyncio.sleep(0.3)
        grab("glossary")
        window.glossary.hide()
        window.glossary.search_field.clear()

        helper = window.show_user_guide()
        await asyncio.sleep(0.2)
        QApplication.processEvents()
        helper.grab().save(str(out / f"help-{theme}.png"))
        saved.append(out / f"help-{theme}.png")
        helper.close()

        # Test and live compared, setting by setting, from the parity check's findings.
        await run_practice(window, "parity_mismatch")
        row = window.step_index("configuration")
        window.go_to_step(row)
        await asyncio.sleep(0.2)
        page = window.page(row)
        page._scroll.ensureWidgetVisible(page.parity)  # a screenshot reaching in, not an API
        await asyncio.sleep(0.1)
        grab("step-2-configuration-parity")

        await refuse_portal(window)
        grab("step-6-customer-refused")
        await ask_stripe(window, grab)

        await run_practice(window, "live_key")
        window.go_to_step(0)
        await asyncio.sleep(0.2)
        grab("live")
        saved.extend(await ticket_note(window, grab, out, theme))
        window.close()
        await asyncio.sleep(0.1)
    return saved


async def run_practice(window: MainWindow, name: str) -> None:
    """Open a practice account and wait for its checks to finish."""
    window.open_practice(name)
    while window.controller.busy:
        await asyncio.sleep(0.05)


async def refuse_portal(window: MainWindow) -> None:
    """A practice account whose portal Stripe refuses (no return URL anywhere), the customer
    page, and "Open customer portal" pressed: the refusal in the owner's words."""
    await run_practice(window, "no_return_url")
    row = window.step_index("customer")
    window.go_to_step(row)
    await asyncio.sleep(0.2)
    page = window.page(row)
    page.open_portal_button.click()  # type: ignore[attr-defined]
    for _ in range(100):
        if page.refusal_box.isVisible():  # type: ignore[attr-defined]
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.2)


async def ask_stripe(window: MainWindow, grab: Callable[[str], None]) -> None:
    """ask_already_cancelling: what the customer sees, then Ask Stripe pressed and the cancel row
    selected, the one where Stripe refused what the checks expected to work."""
    await run_practice(window, "ask_already_cancelling")
    row = window.step_index("customer")
    window.go_to_step(row)
    window.flush_pages()
    await asyncio.sleep(0.2)
    page = window.page(row)
    asks = page.asks  # type: ignore[attr-defined]
    scroll = page._scroll  # a screenshot reaching in, not an API
    scroll.verticalScrollBar().setValue(asks.y() - 8)
    await asyncio.sleep(0.2)
    grab("step-6-customer-sees")
    asks.ask_button.click()
    while window.state.asks.busy or window.state.asks.run is None:
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)
    cancel = next(n for n, r in enumerate(asks.row_texts()) if r[0].startswith("Cancel"))
    asks.asks_table.selectRow(cancel)
    await asyncio.sleep(0.1)
    # From the "Ask Stripe" heading (a line and a half above its note) down through the answers.
    scroll.verticalScrollBar().setValue(asks.y() + asks.ask_note.y() - asks.fontMetrics().height() * 3)
    await asyncio.sleep(0.2)
    grab("step-6-customer-asked")


async def shoot_screen(out: Path, tag: str) -> list[Path]:
    """The whole screen, as the system (scale, palette) and the window manager present it."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QGuiApplication, QKeyEvent

    from assistant.store.history import HistoryStore
    from assistant.ui.window.main_window import MainWindow

    tmp = QTemporaryDir()
    settings = QSettings(str(Path(tmp.path()) / "screen.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, opener=lambda url: False,
                        history=HistoryStore(Path(tmp.path()) / "history.sqlite3"))
    window.show()
    saved: list[Path] = []

    async def grab(name: str) -> None:
        await asyncio.sleep(0.5)  # the window manager draws its frame
        QApplication.processEvents()
        screen = QGuiApplication.primaryScreen()
        path = out / f"screen-{name}-{tag}.png"
        screen.grabWindow(0).save(str(path))
        saved.append(path)
        frame, room = window.frameGeometry(), screen.availableGeometry()
        print(f"{path.name}: window {frame.width()}x{frame.height()} at {frame.x()},{frame.y()}; "
              f"screen {room.width()}x{room.height()} (logical), scale {screen.devicePixelRatio():g}")

    await run_practice(window, "no_return_url")
    window.search_glossary_action.trigger()  # F1, the Dashboard's words, then Down twice
    window.glossary.search_field.setText("redirect link")
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Down):
        target = QApplication.focusWidget() or window.glossary.search_field
        QApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier))
        await asyncio.sleep(0.1)
    await grab("glossary")
    await refuse_portal(window)
    await grab("customer-refused")
    window.close()
    await asyncio.sleep(0.1)
    return saved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenario", default="inactive_price")  # "1 problem: Plans and prices"
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--screen", metavar="TAG", help="photograph the whole screen (a real display)")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    import qasync

    from assistant.ui.app import make_application

    app = make_application([sys.argv[0]])
    app.setQuitOnLastWindowClosed(False)  # one window per palette, closed in turn
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        work = shoot_screen(out, args.screen) if args.screen else shoot(out, args.scenario)
        saved = loop.run_until_complete(work)
    for path in saved:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
