"""Team history settings with a keychain that refuses or breaks: Save still saves, never raises,
and the dialog never promises the keychain for a password it could not keep there."""

from __future__ import annotations

from typing import Any

import keyring.core
from keyring.errors import PasswordSetError
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMainWindow
from support.memory_keyring import MemoryKeyring

from assistant.account.keychain import Keychain
from assistant.ui.history.keeper import HistoryKeeper
from assistant.ui.history.settings import SETTING_URL, SessionSecrets
from assistant.ui.history.team_settings import (
    KEYCHAIN_REFUSED_NOTE,
    NO_KEYCHAIN_NOTE,
    PASSWORD_NOTE,
    TeamSettingsDialog,
)

URL = "postgresql://agent:hunter2@db.example:5433/support"
SLOT = "history-db:agent@db.example:5433/support"


class RefusingKeyring(MemoryKeyring):
    """A keychain that looks usable but will not take a password (locked, or the user said no)."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise PasswordSetError("the keychain is locked")

    def get_password(self, service: str, username: str) -> str | None:
        raise PasswordSetError("the keychain is locked")


class BrokenKeyring(RefusingKeyring):
    """A backend that raises as soon as it is asked anything, its priority included."""

    @property  # type: ignore[override]
    def priority(self) -> float:
        raise RuntimeError("the keychain daemon is gone")


def _saved_with_password(qtbot: Any, dialog: TeamSettingsDialog) -> None:
    """Type an address with its password and press Save, as the agent does (through the slot)."""
    dialog.show()
    dialog.url_edit.setText(URL)
    save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)


def test_a_refusing_keychain_is_said_and_the_password_kept_for_this_session(qtbot, tmp_path) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    secrets = SessionSecrets(Keychain(RefusingKeyring()))
    dialog = TeamSettingsDialog(settings, secrets)
    qtbot.addWidget(dialog)
    assert dialog.message.text() == PASSWORD_NOTE  # it looked usable
    with qtbot.waitSignal(dialog.saved, timeout=1000):
        _saved_with_password(qtbot, dialog)
    assert dialog.message.text() == KEYCHAIN_REFUSED_NOTE  # no promise of the keychain left standing
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert settings.value(SETTING_URL) == "postgresql://agent@db.example:5433/support"
    assert secrets.load(SLOT) == "hunter2"  # for this session, in memory
    assert b"hunter2" not in (tmp_path / "s.ini").read_bytes()
    close = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
    assert close is not None
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_a_broken_keychain_never_raises_in_settings(qtbot, tmp_path) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    keeper = HistoryKeeper(settings=settings, keychain=Keychain(BrokenKeyring()), environ={})
    dialog = keeper.show_settings(window)
    assert dialog.message.text() == NO_KEYCHAIN_NOTE
    with qtbot.waitSignal(dialog.saved, timeout=1000):
        _saved_with_password(qtbot, dialog)  # pytest-qt fails the test on an exception in the slot
    assert dialog.result() == QDialog.DialogCode.Accepted  # it said so up front
    assert keeper.secrets.load(SLOT) == "hunter2"


def test_a_keyring_that_cannot_be_set_up_leaves_settings_working(qtbot, tmp_path, monkeypatch) -> None:
    """A misconfigured keyring (PYTHON_KEYRING_BACKEND naming nothing installed) raised in the
    Team history action's slot before the dialog could open."""
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "no_such_module.Keyring")
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)
    window = QMainWindow()
    qtbot.addWidget(window)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    keeper = HistoryKeeper(settings=settings, environ={})
    action = keeper.settings_action(window)
    action.trigger()
    dialog = window.findChild(TeamSettingsDialog)
    assert dialog is not None and dialog.message.text() == NO_KEYCHAIN_NOTE
    with qtbot.waitSignal(dialog.saved, timeout=1000):
        _saved_with_password(qtbot, dialog)
    assert keeper.secrets.load(SLOT) == "hunter2"
