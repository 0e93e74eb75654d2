"""Help → About: what support asks an agent for (version, API version, where the log is), and
the licence notices a shipped Qt app owes its users."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QApplication
from support.window import Recorder, make_window

import assistant
from assistant.account.gateway import STRIPE_VERSION
from assistant.store.history import HistoryStore
from assistant.store.log_file import default_log_dir
from assistant.ui.window.about import AboutDialog, AboutFacts


def _open_about(qtbot, tmp_path, recorder: Recorder) -> AboutDialog:
    window = make_window(qtbot, tmp_path, lazy=True, opener=recorder.opener)
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    assert window.about_action in help_menu.actions()
    window.about_action.trigger()
    dialog = window.findChild(AboutDialog)
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_about_names_the_version_the_pinned_api_and_where_files_are(qtbot, tmp_path) -> None:
    recorder = Recorder()
    dialog = _open_about(qtbot, tmp_path, recorder)
    title = dialog.findChild(type(dialog.api_version_label), "aboutTitle")
    assert title.text() == f"Portal Setup Assistant {assistant.__version__}"
    assert dialog.api_version_label.text() == STRIPE_VERSION
    history_folder = HistoryStore.default_path().parent
    assert dialog.place_labels["Case history"].text() == str(history_folder)
    assert dialog.place_labels["Log files"].text() == str(default_log_dir())

    dialog.open_buttons["Log files"].click()
    assert recorder.calls == [QUrl.fromLocalFile(str(default_log_dir())).toString()]
    assert default_log_dir().is_dir()  # made on the way, so the file manager has something to open
    assert dialog.message.isHidden()


def test_about_carries_the_licences_of_qt_and_the_libraries(qtbot, tmp_path) -> None:
    dialog = _open_about(qtbot, tmp_path, Recorder())
    text = dialog.licences.toPlainText()
    assert dialog.licences.isReadOnly()
    for name in ("pyside6-essentials", "shiboken6", "stripe", "keyring", "qasync", "platformdirs",
                 "jinja2", "httpx"):
        assert f"\n{name} " in text, name
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in text and "GNU GENERAL PUBLIC LICENSE" in text
    assert "https://download.qt.io/official_releases/qt/" in text  # where Qt's source is
    assert re.search(r"Copyright \(c\) [0-9-]+ Stripe", text)  # stripe's licence file, from its metadata


def test_a_folder_that_cannot_be_opened_says_so_and_keeps_the_path(qtbot, tmp_path: Path) -> None:
    facts = AboutFacts("9.9", "2099-01-01.test", (("Case history", tmp_path / "h"),), "notices")
    dialog = AboutDialog(facts, opener=lambda url: False)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.open_buttons["Case history"].click()
    assert dialog.message.isVisible()
    assert str(tmp_path / "h") in dialog.message.text()
    assert dialog.place_labels["Case history"].text() == str(tmp_path / "h")


def test_escape_closes_about(qtbot, tmp_path) -> None:
    dialog = _open_about(qtbot, tmp_path, Recorder())
    qtbot.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
