"""Screenshots of guided fixes on practice accounts: the preview in the owner's words, the choices
for an archived price (restore chosen; taking it off, with the entry marked removed), the live
confirmation, the card after Apply (with Undo), and the guided wait with the practice save, in
light and dark palettes.

    python scripts/fix_screenshots.py [--out docs/screenshots] [--theme light|dark|both]

Runs offscreen unless a display is set; for a real X server with a window manager start Xvfb and
openbox (e.g. `Xvfb :77 -screen 0 1600x1000x24 & DISPLAY=:77 openbox &`) and run with DISPLAY=:77
(`--screen` also grabs the whole screen each time). Files: fix-preview-<theme>.png,
fix-choices-<theme>.png, fix-choices-remove-<theme>.png, fix-live-confirmation-<theme>.png,
fix-applied-<theme>.png, fix-guided-wait-<theme>.png. The case history goes to a temporary
folder; nothing leaves this computer.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

from PySide6.QtCore import QSettings, QSize
from PySide6.QtWidgets import QApplication, QWidget

from assistant.practice.scenarios import load_scenario
from assistant.ui.window.main_window import MainWindow

RETURN_URL = "https://app.practice.example/billing"


async def settle(window: MainWindow, seconds: float = 0.3) -> None:
    while window.controller.busy or window.fix_controller.busy:
        await asyncio.sleep(0.05)
    await asyncio.sleep(seconds)


async def shoot(out: Path, theme: str, tmp: Path, screen: bool = False) -> list[Path]:
    from screenshots import dark_palette

    from assistant.store.history import HistoryStore
    from assistant.ui.fix.dialog import FixPreview

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setStyle("Fusion")
    app.setPalette(dark_palette() if theme == "dark" else app.style().standardPalette())
    saved: list[Path] = []
    settings = QSettings(str(tmp / f"{theme}.ini"), QSettings.Format.IniFormat)
    history = HistoryStore(tmp / f"{theme}-history.sqlite3", agent="Sam")
    window = MainWindow(settings=settings, opener=lambda url: True, history=history)
    fm = window.fontMetrics()
    window.resize(QSize(fm.averageCharWidth() * 190, fm.lineSpacing() * 52))
    window.show()
    dialogs: list[FixPreview] = []
    window.fix_flow.dialog_opened.connect(dialogs.append)

    def grab(name: str, widget: QWidget) -> None:
        QApplication.processEvents()
        path = out / f"{name}-{theme}.png"
        widget.grab().save(str(path))
        saved.append(path)
        if screen and os.environ.get("DISPLAY"):  # the whole X screen, as the agent would see it
            shot = out / f"{name}-screen-{theme}.png"
            subprocess.run(["import", "-window", "root", str(shot)], check=True, timeout=30)
            saved.append(shot)

    async def open_fix(step: str, check_id: str) -> FixPreview:
        window.go_to_step(window.step_index(step))
        window.flush_pages()
        await asyncio.sleep(0.2)
        dialogs.clear()
        button = window.pages[window.step_index(step)].cards[check_id].fix_button()
        while not button.isVisible() or window.fix_controller.busy:  # the plan is made after the run
            await asyncio.sleep(0.05)
        button.click()
        while not dialogs:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.2)
        return dialogs[0]

    window.open_practice("no_return_url")
    await settle(window)
    preview = await open_fix("return_url", "portal.return_url")
    preview.input.setText(RETURN_URL)
    preview.input.textEdited.emit(RETURN_URL)
    await asyncio.sleep(0.2)
    grab("fix-preview", preview)
    preview.apply_button.click()
    await settle(window, 0.5)
    grab("fix-applied", window)

    window.open_practice("inactive_price")
    await settle(window)
    preview = await open_fix("products", "portal.products")
    grab("fix-choices", preview)  # restore the archived price: chosen first
    preview.choice_list.buttons[-1].click()  # take it off the list: the entry marked removed
    await asyncio.sleep(0.3)
    grab("fix-choices-remove", preview)
    preview.reject()
    await asyncio.sleep(0.2)

    window.open_practice("live_http_return_url")
    await settle(window)
    preview = await open_fix("return_url", "portal.return_url")
    preview.input.setText("https://app.practice.example/account")
    preview.input.textEdited.emit("https://app.practice.example/account")
    preview.confirm.setText(load_scenario("live_http_return_url").account["business_profile"]["name"])
    await asyncio.sleep(0.2)
    grab("fix-live-confirmation", preview)
    preview.reject()

    window.fix_controller.wait_seconds = 60.0
    window.open_practice("portal_never_saved")
    await settle(window)
    preview = await open_fix("configuration", "portal.configuration")
    preview.wait_button.click()
    await asyncio.sleep(0.3)
    grab("fix-guided-wait", preview)  # with "Save in the Dashboard (practice)"
    preview.reject()
    await asyncio.sleep(0.2)
    window.close()
    await asyncio.sleep(0.1)
    return saved


async def shoot_all(out: Path, themes: list[str], screen: bool) -> list[Path]:
    saved: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        for theme in themes:
            saved += await shoot(out, theme, Path(tmp), screen)
    return saved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--theme", choices=("light", "dark", "both"), default="both")
    parser.add_argument("--screen", action="store_true",
                        help="also grab the whole X screen with ImageMagick's import (needs DISPLAY)")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    themes = ["light", "dark"] if args.theme == "both" else [args.theme]

    import qasync

    from assistant.ui.app import make_application

    app = make_application([sys.argv[0]])
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        saved = loop.run_until_complete(shoot_all(out, themes, args.screen))
    for path in saved:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
