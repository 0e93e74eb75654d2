"""A full practice session in the window, then every byte it left behind is searched for the key.

Clipboard (both formats), the saved Markdown/HTML/PDF reports, the case history database (and
its WAL), the log file and the settings file must hold neither the key nor a portal session
link, including after a key Stripe refused (the 401 path writes to the log).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from support.practice import practice
from support.window import Recorder, make_window, paste_key, run_and_wait, until

from assistant.store.history import HistoryStore
from assistant.store.log_file import setup_logging

REFUSED_KEY = "sk_test_practice_unknown_9876"


def _pdf_text(path: Path) -> str:
    assert shutil.which("pdftotext"), "poppler-utils (pdftotext) is installed by .ci/install"
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


async def test_nothing_the_session_leaves_behind_holds_the_key(qtbot, tmp_path: Path) -> None:
    log_file = setup_logging(tmp_path / "logs")
    assert log_file is not None
    history_file = tmp_path / "history.sqlite3"
    opened = Recorder()
    with practice("healthy") as (scenario, server):
        window = make_window(qtbot, tmp_path, api_base=server.base_url, opener=opened.opener,
                             history=HistoryStore(history_file))
        # A key Stripe refuses first (an agent's typo), then the right one.
        paste_key(window.connect_page.key_field, REFUSED_KEY)
        await run_and_wait(window)
        assert window.outcome.diagnosis.check("key.accepted").status.value == "fail"
        paste_key(window.connect_page.key_field, scenario.primary_key)
        customer_page = window.pages[window.step_index("customer")]
        customer_page.set_customer_query(scenario.customer)
        await run_and_wait(window)
        assert window.outcome.diagnosis.check("key.accepted").status.value == "pass"

        window.request_portal(scenario.customer)
        await until(lambda: bool(opened.calls), what="the portal session link")
        session_url = opened.calls[0]
        assert "/session/" in session_url

        window.go_to_step(window.step_index("report"))  # as the agent does: open the step
        report = window.pages[window.step_index("report")]
        assert report.diagnosis() is not None
        report.set_notes(f"Owner pasted {scenario.primary_key} in chat; portal link {session_url}")
        report.copy_report()
        mime = QGuiApplication.clipboard().mimeData()
        clipboard = mime.text() + mime.html()
        saved: list[Path] = []
        for name, filt in (("r.md", "Markdown (*.md)"), ("r.html", "HTML (*.html)"),
                           ("r.pdf", "PDF (*.pdf)")):
            target = tmp_path / name
            report._save_dialog = lambda *_a, t=target, f=filt: (str(t), f)  # no file dialog
            report.save_report()
            saved.append(target)
        window.save_notes_to_history()
        window.save_settings()
        window.close()

    settings_file = tmp_path / "settings.ini"
    texts = {
        "clipboard": clipboard,
        "markdown": saved[0].read_text(),
        "html": saved[1].read_text(),
        "pdf": _pdf_text(saved[2]),
        "settings": settings_file.read_text() if settings_file.exists() else "",
    }
    blobs = {
        "history": b"".join(p.read_bytes() for p in tmp_path.glob("history.sqlite3*")),
        "log": log_file.read_bytes(),
    }
    assert "Customer portal" in texts["markdown"] and len(blobs["history"]) > 0
    assert b"AuthenticationFailed" in blobs["log"], "the refused key's run was logged"
    assert "portal session link removed" in texts["markdown"], "the notes' link was redacted"
    for secret in (scenario.primary_key, REFUSED_KEY, session_url):
        for where, text in texts.items():
            assert secret not in text, f"{secret[:12]}… found in the {where}"
        for where, blob in blobs.items():
            assert secret.encode() not in blob, f"{secret[:12]}… found in the {where}"
