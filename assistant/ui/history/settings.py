"""What the history keeper and the team-history settings dialog both read, without Qt: the
names the settings are kept under and the passwords typed while no keychain exists.

Kept apart so neither of the two imports the other: the keeper opens the dialog, the dialog
writes what the keeper reads.
"""

from __future__ import annotations

from typing import Any

SETTING_URL, SETTING_AGENT = "team/url", "team/agent"


class SessionSecrets:
    """Passwords typed in Settings when no system keychain exists: this session only, in memory."""

    def __init__(self, keychain: Any | None) -> None:
        self.keychain = keychain
        self.memory: dict[str, str] = {}

    def load(self, slot: str = "primary") -> str | None:
        if slot in self.memory:
            return self.memory[slot]
        return self.keychain.load(slot) if self.keychain is not None else None
