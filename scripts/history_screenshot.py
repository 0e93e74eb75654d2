"""Screenshot of the case history window on a few fabricated runs.

    python scripts/history_screenshot.py [--out docs/screenshots] [--dark]

Fills a temporary history store (three runs of one account where the products check goes from
FAIL to PASS, one run of another account), opens the dialog offscreen on the newest run and saves
history-light.png (or history-dark.png with --dark). For a real X server:
`xvfb-run -a -s "-screen 0 1600x1000x24" python scripts/history_screenshot.py`.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from assistant.diagnosis.model import AccountInfo, Diagnosis, Status
from assistant.report.sample import sample_diagnosis
from assistant.store.history import HistoryStore


def _with(diagnosis: Diagnosis, **statuses: Status) -> Diagnosis:
    wanted = {k.replace("__", "."): v for k, v in statuses.items()}
    checks = tuple(dataclasses.replace(c, status=wanted.get(c.id, c.status)) for c in diagnosis.checks)
    return dataclasses.replace(diagnosis, checks=checks)


def fill(store: HistoryStore) -> int:
    base = sample_diagnosis(product_name="Pro plan")
    store.save(dataclasses.replace(base, generated_at="2024-06-03T14:07:31Z"))
    store.save(dataclasses.replace(
        base, generated_at="2024-06-03T15:00:00Z", ticket="ZD-50001",
        account=AccountInfo("acct_1TeaHouse000042", "Tea House Ltd"), notes="All fine.",
        checks=tuple(dataclasses.replace(c, status=Status.PASS) for c in base.checks)))
    store.save(dataclasses.replace(
        _with(base, portal__return_url=Status.PASS), generated_at="2024-06-04T09:30:00Z",
        notes="Return URL fixed on the call; price still archived."))
    return store.save(dataclasses.replace(
        _with(base, portal__return_url=Status.PASS, portal__products=Status.PASS,
              portal__login_link=Status.FAIL, customer__subscriptions=Status.PASS),
        generated_at="2024-06-05T10:15:00Z",
        notes="Owner added a new monthly price. Login link turned on but broken: follow up."))


def settle(app: QApplication, dialog: object) -> None:
    """Until the dialog's reads (on its worker thread) have come back and been shown."""
    deadline = time.monotonic() + 10
    while getattr(dialog, "loading", False) and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    for _ in range(5):
        app.processEvents()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--dark", action="store_true")
    args = parser.parse_args(argv)

    app = QApplication.instance() or QApplication([])
    app.setStyle("Fusion")
    if args.dark:
        sys.path.insert(0, str(ROOT / "scripts"))
        from screenshots import dark_palette

        app.setPalette(dark_palette())
    else:
        app.setPalette(app.style().standardPalette())

    from assistant.ui.history.dialog import HistoryDialog

    with tempfile.TemporaryDirectory() as tmp:
        store = HistoryStore(Path(tmp) / "history.sqlite3", agent="Sam")
        newest = fill(store)
        dialog = HistoryDialog(store)
        dialog.show()
        settle(app, dialog)
        dialog.select_run(newest)
        settle(app, dialog)
        args.out.mkdir(parents=True, exist_ok=True)
        path = args.out / f"history-{'dark' if args.dark else 'light'}.png"
        dialog.grab().save(str(path))
        dialog.close()
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
