"""The data shipped inside the package (wording, knowledge, practice accounts, templates, icons).

Everything is read through `importlib.resources`, so a wheel, a non-editable install and a
PyInstaller bundle find the same files a checkout does. Nothing outside the package is read.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path


def resource(*parts: str) -> Traversable:
    """One shipped file or folder."""
    return files(__name__).joinpath(*parts)


def read_text(*parts: str) -> str:
    return resource(*parts).read_text(encoding="utf-8")


def resource_path(*parts: str) -> Path:
    """A real path, for the few APIs that take one (Qt's icon loader, Jinja's file loader).

    The package is always installed as files (wheel, editable install or bundle folder), so the
    traversable is a path; a zip import would fail here loudly rather than read nothing."""
    found = resource(*parts)
    if not isinstance(found, Path):
        raise RuntimeError(f"resources must be installed as files, not in {type(found).__name__}")
    return found
