"""Regenerate requirements-lock.txt: every distribution the app, its tests and the bundle install.

    uv pip install uv   (or pipx install uv: only needed here, never to install from the lock)
    python scripts/update_lock.py             # keep today's pins where pyproject.toml allows them
    python scripts/update_lock.py --upgrade   # move every pin to the newest allowed version

One lock for every platform the app is built on (Linux, Windows, macOS; Python 3.11 and newer):
uv resolves them all at once (`--universal`) and writes pip's requirements format with the
sha256 of every file PyPI holds for each pin, so plain pip installs it, with nothing else
(`pip install --require-hashes -r requirements-lock.txt`, what .ci/install and the bundle
workflow run). It covers the runtime dependencies, the `test` and `bundle` extras and the build
backend (setuptools, from [build-system]), so `pip install --no-build-isolation --no-deps -e .`
needs nothing unlocked. Why uv: docs/decisions.md.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK = "requirements-lock.txt"
INDEX = "https://pypi.org/simple"  # hashes of PyPI's own files, whatever mirror this machine uses
OLDEST_PYTHON = "3.11"


def uv_command(pyproject: dict[str, object], *, upgrade: bool) -> list[str]:
    project = pyproject["project"]
    assert isinstance(project, dict)
    extras = sorted(project.get("optional-dependencies", {}))
    uv = shutil.which("uv")
    command = [uv] if uv else [sys.executable, "-m", "uv"]
    command += ["pip", "compile", "pyproject.toml", "-", *(f"--extra={e}" for e in extras),
                "--universal", f"--python-version={OLDEST_PYTHON}", "--generate-hashes",
                f"--index-url={INDEX}", "--custom-compile-command=python scripts/update_lock.py",
                f"--output-file={LOCK}", "--quiet"]
    return command + (["--upgrade"] if upgrade else [])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upgrade", action="store_true", help="newest allowed versions, not today's pins")
    args = parser.parse_args(argv)
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    build_requires = "\n".join(pyproject["build-system"]["requires"]) + "\n"
    done = subprocess.run(uv_command(pyproject, upgrade=args.upgrade), input=build_requires, text=True, cwd=ROOT)
    if done.returncode == 0:
        print(f"wrote {LOCK}; run bash .ci/install to install it, then the tests")
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
