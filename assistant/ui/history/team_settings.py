"""Settings for the team's case history: the agent's name, the team database, its password.

The name is what colleagues read next to each run ("Sam, yesterday: …"); it defaults to the
OS user name. The URL is kept in settings without a password (one pasted with a password is
split: the password moves to its own field). The password goes to the system keychain only;
without a keychain it is kept for this session, in memory, and the dialog says so up front. A
keychain that refuses it (locked, broken) gets the same treatment, and the dialog stays open to
say so: it never promises the keychain for a password it could not keep there.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from assistant.store.history import default_agent
from assistant.store.team_url import TeamUrlError, parse_team_url
from assistant.ui.history.settings import SETTING_AGENT, SETTING_URL, SessionSecrets

log = logging.getLogger(__name__)

INTRO = ("Share the case history with your team through a PostgreSQL database. Leave the "
         "address empty to keep the history on this computer only.")
PASSWORD_NOTE = "The password is kept in the system keychain, never in settings or logs."
NO_KEYCHAIN_NOTE = ("There is no system keychain on this computer: the password is kept until "
                    "the app closes, never on disk.")
KEYCHAIN_REFUSED_NOTE = ("Saved. The system keychain did not take the password, so it is kept for this "
                         "session only, until the app closes, never on disk: type it here again after "
                         "a restart.")


class TeamSettingsDialog(QDialog):
    saved = Signal()

    def __init__(self, settings: Any, secrets: SessionSecrets, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Team history")
        self.setObjectName("teamSettings")
        self._settings = settings
        self._secrets = secrets
        url = str(settings.value(SETTING_URL, "") or "") if settings is not None else ""
        agent = str(settings.value(SETTING_AGENT, "") or "") if settings is not None else ""

        self.agent_edit = QLineEdit(agent)
        self.agent_edit.setPlaceholderText(default_agent() or "Your name")
        self.agent_edit.setAccessibleName("Your name")
        self.url_edit = QLineEdit(url)
        self.url_edit.setPlaceholderText("postgresql://agent@db.example.com:5432/support")
        self.url_edit.setAccessibleName("Team database address")
        self.url_edit.editingFinished.connect(self._split_password)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setAccessibleName("Team database password")
        self.password_edit.setPlaceholderText("unchanged" if url else "")
        self._promised_keychain = self._keychain_available()
        self.message = QLabel(PASSWORD_NOTE if self._promised_keychain else NO_KEYCHAIN_NOTE)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # may quote the address typed
        self.message.setAccessibleName("Message")

        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        form = QFormLayout()
        for caption, field in (("Your &name:", self.agent_edit),
                               ("Team &database:", self.url_edit),
                               ("&Password:", self.password_edit)):
            label = QLabel(caption)
            label.setBuddy(field)
            form.addRow(label, field)
        buttons = self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                                  | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)

    def _keychain_available(self) -> bool:
        keychain = self._secrets.keychain
        try:
            return keychain is not None and bool(keychain.status().available)
        except Exception:
            return False

    def _split_password(self) -> None:
        """A URL pasted with its password: keep the address, move the password to its field."""
        try:
            target = parse_team_url(self.url_edit.text())
        except TeamUrlError:
            return
        if target.password:
            self.password_edit.setText(target.password)
            self.url_edit.setText(target.display)

    def save(self) -> None:
        """Check the address, store the password in the keychain, keep the rest in settings."""
        self._split_password()
        text = self.url_edit.text().strip()
        password = self.password_edit.text()
        display = ""
        in_keychain: bool | None = None  # None: no password typed
        if text:
            try:
                target = parse_team_url(text)
            except TeamUrlError as err:
                self.message.setText(str(err))
                self.url_edit.setFocus()
                return
            display = target.display
            if password:
                in_keychain = self._store_password(target.keychain_slot, password)
        if self._settings is not None:
            self._settings.setValue(SETTING_URL, display)
            self._settings.setValue(SETTING_AGENT, self.agent_edit.text().strip())
            self._settings.sync()
        self.password_edit.clear()
        self.saved.emit()
        if in_keychain is False and self._promised_keychain:  # say so before the agent relies on it
            self.message.setText(KEYCHAIN_REFUSED_NOTE)
            self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)
            return
        self.accept()

    def _store_password(self, slot: str, password: str) -> bool:
        """The password into the keychain (True), or kept in memory for this session (False):
        no keychain, or one that refused it or broke while asked."""
        keychain = self._secrets.keychain
        try:
            status = keychain.save(password, slot=slot) if keychain is not None else None
            stored = status is not None and status.available
        except Exception as err:  # a keychain that breaks must not break Save
            log.warning("keychain refused the team password: %s", type(err).__name__)
            stored = False
        if stored:
            self._secrets.memory.pop(slot, None)
        else:
            self._secrets.memory[slot] = password  # this session only, never on disk
        return stored
