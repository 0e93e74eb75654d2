"""Is this Python environment exactly requirements-lock.txt? Say how it differs, or make it so.

    .venv/bin/python scripts/locked_env.py check    # differences, exit 1 if any
    .venv/bin/python scripts/locked_env.py sync     # remove what the lock does not list, mark the venv

`pip install -r requirements-lock.txt` installs and re-pins what the lock lists but leaves
anything else a venv already held; `sync` (run by .ci/install after it) removes those, then
writes the lock's sha256 into the venv (MARKER) so the test suite knows it runs in a venv
installed from this lock (tests/test_lock.py). The lock is universal: each pin's environment
marker decides whether it applies here. pip itself and this project are not in the lock.
Needs `packaging`, which the lock installs (pytest and PyInstaller depend on it).
"""

from __future__ import annotations

import argparse
import hashlib
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements-lock.txt"
MARKER = "portal-assistant-lock.sha256"  # in the venv (sys.prefix), written by `sync`
NOT_LOCKED = {"pip", "portal-setup-assistant"}
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def pins(lock_text: str, *, all_platforms: bool = False) -> dict[str, str]:
    """Canonical name -> locked version, for this interpreter (or every pin, `all_platforms`)."""
    found: dict[str, str] = {}
    for line in lock_text.splitlines():
        match = _PIN.match(line)
        if match is None:
            continue
        name, version, marker = match.groups()
        if all_platforms or marker is None or Marker(marker).evaluate():
            found[canonicalize_name(name)] = version
    return found


def installed() -> dict[str, str]:
    """Canonical name -> version of every distribution this interpreter sees (what pip freeze --all lists)."""
    return {canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions()
            if d.metadata["Name"]}


def differences(locked: dict[str, str], present: dict[str, str]) -> list[str]:
    out = []
    for name in sorted((set(locked) | set(present)) - NOT_LOCKED):
        want, have = locked.get(name), present.get(name)
        if want is None:
            out.append(f"{name} {have} is installed but not in the lock")
        elif have is None:
            out.append(f"{name} {want} is locked but not installed")
        elif want != have:
            out.append(f"{name} {have} is installed, the lock says {want}")
    return out


def lock_digest(lock: Path = LOCK) -> str:
    return hashlib.sha256(lock.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("check", "sync"))
    args = parser.parse_args(argv)
    locked = pins(LOCK.read_text(encoding="utf-8"))
    if args.action == "sync":
        extra = sorted(n for n in set(installed()) - set(locked) - NOT_LOCKED)
        if extra:
            subprocess.run([sys.executable, "-m", "pip", "uninstall", "--yes", "--quiet", *extra], check=True)
    found = differences(locked, installed())
    for line in found:
        print(f"not as locked: {line}", file=sys.stderr)
    if args.action == "sync" and not found:
        (Path(sys.prefix) / MARKER).write_text(lock_digest() + "\n", encoding="ascii")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
