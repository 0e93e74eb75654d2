"""Keys are remembered in the system keychain or not at all: never in a file of ours."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backends.fail
import keyring.errors
import pytest
from support.memory_keyring import MemoryKeyring

from assistant.account.keychain import SERVICE, Keychain

KEY = "sk_test_51KeychainTestBody0123456789abcdefXYZ"
LIVE = "sk_live_" + "51KeychainLiveBody0123456789abcdefXYZ"  # built here: no live-looking key in the source


@pytest.fixture
def user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every place a careless implementation might write to, under one temp folder."""
    for var in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "HOME"):
        folder = tmp_path / var.lower()
        folder.mkdir()
        monkeypatch.setenv(var, str(folder))
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def global_keyring() -> Iterator[None]:
    before = keyring.get_keyring()
    yield
    keyring.set_keyring(before)


def _files_holding(folder: Path, secret: str) -> list[Path]:
    needles = (secret.encode(), secret.encode("utf-16-le"), secret[8:].encode())
    return [p for p in folder.rglob("*") if p.is_file() and any(n in p.read_bytes() for n in needles)]


# --- a working keychain ---------------------------------------------------------------------

def test_save_load_forget_with_a_working_keychain(user_dirs: Path) -> None:
    backend = MemoryKeyring()
    chain = Keychain(backend)
    status = chain.status()
    assert status.available and status.backend == "Memory (tests)" and status.reason == ""

    assert chain.save(KEY).available
    assert chain.save(LIVE, slot="other_mode").available
    assert chain.load() == KEY and chain.load("other_mode") == LIVE
    assert backend.store[(SERVICE, "primary")] == KEY

    assert chain.forget_all() == 2
    assert chain.load() is None and chain.load("other_mode") is None
    assert backend.store == {}
    assert chain.forget_all() == 0
    assert _files_holding(user_dirs, KEY) == []


def test_saving_again_replaces_the_key(user_dirs: Path) -> None:
    chain = Keychain(MemoryKeyring())
    chain.save(KEY)
    chain.save(KEY.replace("Test", "New"))
    assert chain.load() == KEY.replace("Test", "New")


def test_the_default_backend_is_keyrings_own_choice(global_keyring: None, user_dirs: Path) -> None:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    chain = Keychain()
    assert chain.status().available
    chain.save(KEY)
    assert keyring.get_password(SERVICE, "primary") == KEY
    assert chain.forget_all() == 1


# --- no keychain: say so, keep nothing ------------------------------------------------------

def test_fail_backend_is_unavailable_with_a_reason_and_writes_nothing(user_dirs: Path) -> None:
    chain = Keychain(keyring.backends.fail.Keyring())
    status = chain.status()
    assert not status.available
    assert "No system keychain" in status.reason and "session only" in status.reason

    saved = chain.save(KEY)
    assert not saved.available and saved.reason == status.reason
    assert chain.load() is None
    assert chain.forget_all() == 0
    assert _files_holding(user_dirs, KEY) == []
    assert KEY not in repr(saved)


def test_the_test_machine_default_is_the_fail_backend(global_keyring: None, user_dirs: Path) -> None:
    """conftest sets PYTHON_KEYRING_BACKEND to the fail backend, like a headless Linux box."""
    keyring.set_keyring(keyring.backends.fail.Keyring())
    chain = Keychain()
    assert not chain.status().available
    assert not chain.save(KEY).available
    assert _files_holding(user_dirs, KEY) == []


def test_a_plain_text_backend_is_refused(user_dirs: Path) -> None:
    """keyrings.alt's file backends store base64 text on disk: we never hand them a key."""

    class PlaintextKeyring(MemoryKeyring):
        priority = 0.5

    PlaintextKeyring.__module__ = "keyrings.alt.file"
    backend = PlaintextKeyring()
    chain = Keychain(backend)
    assert not chain.status().available
    assert not chain.save(KEY).available
    assert backend.store == {}


def test_a_keychain_that_refuses_says_why_without_the_key(user_dirs: Path) -> None:
    class LockedKeyring(MemoryKeyring):
        def set_password(self, service: str, username: str, password: str) -> None:
            raise keyring.errors.KeyringLocked(f"locked while storing {password}")

        def get_password(self, service: str, username: str) -> str | None:
            raise keyring.errors.KeyringLocked("locked")

    chain = Keychain(LockedKeyring())
    saved = chain.save(KEY)
    assert not saved.available
    assert "KeyringLocked" in saved.reason and KEY not in saved.reason
    assert chain.load() is None  # a locked keychain does not stop the app
    assert chain.forget_all() == 0
    assert _files_holding(user_dirs, KEY) == []
