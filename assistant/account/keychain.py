"""Remember keys in the operating system's keychain, and only there.

On a machine without a secure backend (a headless Linux box) keyring's fail backend is active:
we say so and keep the key for this session only. We never fall back to a plain-text file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

SERVICE = "portal-setup-assistant"
SLOTS = ("primary", "other_mode")


class KeyringLike(Protocol):
    def get_password(self, service: str, username: str) -> str | None: ...
    def set_password(self, service: str, username: str, password: str) -> None: ...
    def delete_password(self, service: str, username: str) -> None: ...


@dataclass(frozen=True)
class KeychainStatus:
    available: bool
    backend: str  # a human name for where keys go, e.g. "Secret Service", "macOS Keychain"
    reason: str = ""


class Keychain:
    """Wraps a keyring backend (injected in tests) with the app's own rules."""

    def __init__(self, backend: Any | None = None) -> None:
        if backend is None:
            import keyring

            backend = keyring.get_keyring()
        self._backend = backend

    def status(self) -> KeychainStatus:
        name = type(self._backend).__name__
        module = type(self._backend).__module__
        try:  # a backend works out its priority when asked; a broken one raises there
            priority = getattr(self._backend, "priority", 1)
        except Exception as err:
            return KeychainStatus(False, name, f"The system keychain does not answer ({type(err).__name__}), so "
                                               "keys are kept for this session only and never written to disk.")
        insecure = "fail" in module or "plaintext" in module.lower() or "keyrings.alt" in module
        if insecure or (isinstance(priority, (int, float)) and priority <= 0 and "chainer" not in module):
            return KeychainStatus(
                False,
                name,
                "No system keychain is available on this computer, so keys are kept for this "
                "session only and never written to disk.",
            )
        label = getattr(self._backend, "name", None) or name
        return KeychainStatus(True, str(label))

    def load(self, slot: str = "primary") -> str | None:
        if not self.status().available:
            return None
        try:
            return self._backend.get_password(SERVICE, slot)
        except Exception:  # a locked or broken keychain must not stop the app
            return None

    def save(self, key: str, slot: str = "primary") -> KeychainStatus:
        status = self.status()
        if not status.available:
            return status
        try:
            self._backend.set_password(SERVICE, slot, key)
        except Exception as err:
            refused = f"The keychain refused to store the key ({type(err).__name__})."
            return KeychainStatus(False, status.backend, refused)
        return status

    def forget_all(self) -> int:
        """Delete every stored key; returns how many were removed."""
        removed = 0
        for slot in SLOTS:
            try:
                if self._backend.get_password(SERVICE, slot) is not None:
                    self._backend.delete_password(SERVICE, slot)
                    removed += 1
            except Exception:
                continue
        return removed
