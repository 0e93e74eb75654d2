"""Screenshots of the History window on a real team PostgreSQL, after two agents' practice runs.

    xvfb-run -a -s "-screen 0 1600x1000x24" python scripts/team_history_screenshots.py
    QT_SCALE_FACTOR=2 xvfb-run -a -s "-screen 0 3200x2000x24" python scripts/team_history_screenshots.py

Starts its own PostgreSQL (tests/support/postgres.py: initdb + pg_ctl in a temporary folder).
Two agents, Sam and Alex, each with their own HOME (so their own local history), diagnose
practice accounts with the command line against that server; their tickets and notes go in
through their own histories, as the window's Report page saves them, and Sam records the
return URL he set. Then the real main window opens as Sam, runs one more practice diagnosis,
and opens History; the dialog is saved as team-history-light.png and team-history-dark.png
(team-history-hidpi-2x.png when QT_SCALE_FACTOR=2). Nothing here reaches Stripe.
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
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

AGENT_RUNS = (  # (agent, practice account, ticket, notes)
    ("Sam", "no_return_url", "ZD-48213", "Owner's portal link failed; no return URL anywhere."),
    ("Alex", "no_return_url", "ZD-48213", "Called back: Sam set the return URL yesterday."),
    ("Alex", "inactive_price", "ZD-50117-billing-portal-escalation", "Yearly price archived."),
    ("Sam", "archived_product", "ZD-50230", ""),
)
LOCAL = Path(".local") / "share" / "portal-setup-assistant" / "history.sqlite3"


def agent_env(home: Path, agent: str, url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("XDG_", "PORTAL_ASSISTANT_", "QT_"))}
    env.update(HOME=str(home), USER=agent.lower(), LOGNAME=agent.lower(),
               PORTAL_ASSISTANT_AGENT=agent, PORTAL_ASSISTANT_HISTORY_URL=url)
    return env


def practice_runs(url: str, homes: dict[str, Path]) -> None:
    """Each agent diagnoses practice accounts with the CLI, then types ticket and notes."""
    from assistant.store.opening import open_history
    from assistant.store.records import NewChange

    for agent, scenario, ticket, notes in AGENT_RUNS:
        home = homes[agent]
        done = subprocess.run([sys.executable, str(ROOT / "main.py"), "diagnose", "--demo",
                               scenario, "--format", "json"], env=agent_env(home, agent, url),
                              capture_output=True, text=True, timeout=120)
        if done.returncode not in (0, 1):
            raise SystemExit(f"diagnose --demo {scenario} failed: {done.stderr[-400:]}")
        history = open_history(url, agent=agent, local_path=home / LOCAL)
        newest = history.local.list_runs(limit=1)[0]
        history.update_notes(newest.run_uid, notes, ticket)
        if agent == "Sam" and scenario == "no_return_url":
            history.record_change(NewChange(
                account_id=newest.account_id or "", field="default_return_url", before=None,
                after="https://practice.example/account", summary="return URL set",
                run_uid=newest.run_uid, ticket=ticket, mode=newest.mode))
        assert history.sharing().pending == 0, "the team database did not take the run"
        history.close()


async def shoot(out: Path, suffix_for: dict[str, str]) -> list[Path]:
    from PySide6.QtCore import QSettings, QSize
    from PySide6.QtWidgets import QApplication
    from screenshots import dark_palette

    from assistant.ui.window.main_window import MainWindow

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    saved: list[Path] = []
    for theme, suffix in suffix_for.items():
        app.setStyle("Fusion")
        app.setPalette(dark_palette() if theme == "dark" else app.style().standardPalette())
        settings = QSettings(str(out / f".{theme}.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings=settings, opener=lambda url: True)
        fm = window.fontMetrics()
        window.resize(QSize(fm.averageCharWidth() * 180, fm.lineSpacing() * 52))
        window.show()
        await asyncio.sleep(0.3)
        window.open_practice("no_return_url", run=True)
        await asyncio.sleep(0.2)
        while window.controller.busy:
            await asyncio.sleep(0.05)
        keeper = window.history_keeper
        for _ in range(200):  # the run is saved, then reaches the team database, on the keeper's threads
            if not keeper.unsaved and keeper.sharing is not None and keeper.sharing.pending == 0:
                break
            await asyncio.sleep(0.05)
        window.history_action.trigger()
        dialog = keeper.dialog
        assert dialog is not None
        await asyncio.sleep(0.2)
        while dialog.loading:
            await asyncio.sleep(0.05)
        dialog.set_account_filter(None)  # every account, as after choosing "All accounts"
        await asyncio.sleep(0.1)
        while dialog.loading:
            await asyncio.sleep(0.05)
        runs = dialog.runs()
        previous = next(r.id for r in runs[1:] if r.account_id == runs[0].account_id)
        await asyncio.sleep(0.3)
        QApplication.processEvents()
        path = out / f"team-history-{suffix}.png"
        dialog.grab().save(str(path))
        saved.append(path)
        print(f"{path.name}: {len(runs)} runs by {sorted({r.agent for r in runs})}, "
              f"newest compared with run #{previous}", file=sys.stderr)
        dialog.close()
        window.close()
        await asyncio.sleep(0.2)
        (out / f".{theme}.ini").unlink(missing_ok=True)
    return saved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    hidpi = os.environ.get("QT_SCALE_FACTOR", "1") not in ("", "1")
    themes = {"light": "hidpi-2x"} if hidpi else {"light": "light", "dark": "dark"}

    from support.postgres import PostgresServer

    server = PostgresServer()
    try:
        server.start()
        server.create_database("team")
        url = server.url("team")
        with tempfile.TemporaryDirectory() as tmp:
            homes = {agent: Path(tmp) / agent.lower() for agent in ("Sam", "Alex")}
            practice_runs(url, homes)
            # The window is Sam's: his HOME's history, the team database, his name.
            os.environ.update(XDG_DATA_HOME=str(homes["Sam"] / ".local" / "share"),
                              XDG_CONFIG_HOME=str(Path(tmp) / "config"),
                              PORTAL_ASSISTANT_HISTORY_URL=url, PORTAL_ASSISTANT_AGENT="Sam")
            import qasync

            from assistant.ui.app import make_application

            app = make_application([sys.argv[0]])
            app.setQuitOnLastWindowClosed(False)
            loop = qasync.QEventLoop(app)
            asyncio.set_event_loop(loop)
            with loop:
                saved = loop.run_until_complete(shoot(args.out, themes))
    finally:
        server.remove()
    for path in saved:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
