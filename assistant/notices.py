"""The licence notices of everything the app ships, read from the installed packages' metadata.

One source for two readers: Help → About shows them, and `scripts/build_bundle.py` writes them
into the bundle (`THIRD-PARTY-NOTICES.txt`) and copies the same distributions' metadata in, so
a bundle's About reads what a pip install's does. The list is the dependency tree of this
package as installed (requirements whose distribution is absent, e.g. Windows-only ones on
Linux, are skipped), not a hand-kept list that would drift from pyproject.toml.

Qt needs more than its metadata says: PySide6's wheels carry no licence file, and the LGPL asks
that the user be told where the source is and be able to swap the libraries, so that notice is
written here and the LGPL/GPL texts ship in `assistant/resources/licences/`.
"""

from __future__ import annotations

import platform
import re
import sys
import sysconfig
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from assistant import __version__
from assistant.resources import read_text

APP_DISTRIBUTION = "portal-setup-assistant"
_NAME = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?")
_EXTRA = re.compile(r"""extra\s*==\s*['"]([^'"]+)['"]""")
_LICENCE_FILE = re.compile(r"(LICEN[CS]E|COPYING|NOTICE|AUTHORS)", re.IGNORECASE)
QT_DISTRIBUTIONS = ("pyside6-essentials", "shiboken6")


@dataclass(frozen=True)
class Shipped:
    """One distribution in the app, with what its metadata says about its licence."""

    name: str
    version: str
    licence: str
    home: str
    texts: tuple[tuple[str, str], ...]  # (file name, text) of its licence files


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirements(dist: metadata.Distribution, extras: frozenset[str]) -> list[tuple[str, frozenset[str]]]:
    """Name and extras of each requirement that applies to the extras asked for. Markers other
    than `extra` are left to the installer: what it skipped is simply not installed."""
    found = []
    for line in dist.requires or []:
        spec, _, marker = line.partition(";")
        wanted = _EXTRA.search(marker)
        if wanted and wanted.group(1) not in extras:
            continue
        match = _NAME.match(spec)
        if match:
            sub = frozenset(e.strip() for e in (match.group(2) or "").split(",") if e.strip())
            found.append((match.group(1), sub))
    return found


def _field(dist: metadata.Distribution, name: str) -> str:
    values = dist.metadata.get_all(name)
    return str(values[0]) if values else ""


def _licence(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    expression = _field(dist, "License-Expression")
    if expression:
        return expression
    classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    if classifiers:
        return ", ".join(classifiers)
    return (_field(dist, "License") or "see its licence file").splitlines()[0][:80]


def _home(dist: metadata.Distribution) -> str:
    for entry in dist.metadata.get_all("Project-URL") or []:
        label, _, url = str(entry).partition(",")
        if label.strip().lower() in {"source", "source code", "repository", "homepage", "home"}:
            return url.strip()
    return _field(dist, "Home-page")


def _texts(dist: metadata.Distribution) -> tuple[tuple[str, str], ...]:
    texts = []
    for file in dist.files or []:
        parts = file.parts
        if parts and parts[0].endswith(".dist-info") and _LICENCE_FILE.search(file.name):
            body = dist.read_text(str(file.relative_to(parts[0])))  # relative to the .dist-info folder
            if body:
                texts.append((file.name, body.strip()))
    return tuple(texts)


def shipped(root: str = APP_DISTRIBUTION) -> list[Shipped]:
    """Every installed distribution the app depends on, directly or not, sorted by name."""
    found: dict[str, Shipped] = {}
    visited: set[tuple[str, frozenset[str]]] = set()
    todo: list[tuple[str, frozenset[str]]] = [(root, frozenset())]
    while todo:
        name, extras = todo.pop()
        key = normalise(name)
        if (key, extras) in visited:
            continue
        visited.add((key, extras))
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # not for this platform or Python: the installer skipped it
        if key != normalise(root) and key not in found:
            found[key] = Shipped(key, dist.version, _licence(dist), _home(dist), _texts(dist))
        todo.extend(_requirements(dist, extras))
    return sorted(found.values(), key=lambda s: s.name)


def qt_notice(items: list[Shipped]) -> str:
    version = next((s.version for s in items if s.name == "pyside6-essentials"), "6")
    series = ".".join(version.split(".")[:2])
    return (
        f"Qt {series} and Qt for Python (PySide6 {version}, shiboken6) are used under the GNU Lesser\n"
        "General Public License version 3 (LGPL-3.0; its text and the GPL-3.0 it builds on are at\n"
        "the end of this file). They are shipped unmodified as separate shared libraries and Python\n"
        "modules (in a bundle: the PySide6 and shiboken6 folders), so you may replace them with your\n"
        "own build of the same version. Their complete source code is available from The Qt Company:\n"
        f"  Qt:      https://download.qt.io/official_releases/qt/{series}/ (qt-everywhere-src-*)\n"
        "           and https://code.qt.io/cgit/qt/qt5.git (every module, tagged by version)\n"
        "  PySide6: https://download.qt.io/official_releases/QtForPython/pyside6/ (the sdist)\n"
        "           and https://code.qt.io/cgit/pyside/pyside-setup.git\n"
        "If you cannot download it, ask the person who gave you this program for a copy."
    )


def python_entry() -> Shipped:
    """The interpreter a bundle carries. Its licence file sits beside the standard library of an
    installed Python (so the build finds it); a bundle's About names it without the text."""
    texts: tuple[tuple[str, str], ...] = ()
    for folder in (Path(sysconfig.get_paths()["stdlib"]), Path(sys.base_prefix)):
        candidate = folder / "LICENSE.txt"
        if candidate.is_file():
            texts = (("LICENSE.txt", candidate.read_text(encoding="utf-8", errors="replace").strip()),)
            break
    return Shipped("python", platform.python_version(), "PSF-2.0",
                   "https://docs.python.org/3/license.html", texts)


def summary(items: list[Shipped] | None = None) -> list[str]:
    """One line per shipped distribution: name, version, licence."""
    items = shipped() if items is None else items
    return [f"{s.name} {s.version} — {s.licence}" for s in items]


def full_text(items: list[Shipped] | None = None) -> str:
    """The whole notice: this app, the Qt notice, each distribution with its licence texts, then
    the LGPL-3.0 and GPL-3.0."""
    items = [python_entry(), *(shipped() if items is None else items)]
    rule = "=" * 78
    out = [
        f"Portal Setup Assistant {__version__} (MIT licence) is built on the following software;",
        "its desktop bundle ships all of it.",
        "",
        *summary(items),
        "",
        rule,
        qt_notice(items),
    ]
    for item in items:
        out += ["", rule, f"{item.name} {item.version} — {item.licence}"]
        if item.home:
            out.append(item.home)
        if item.name in QT_DISTRIBUTIONS and not item.texts:
            out.append("Licence: LGPL-3.0 (text below); see the Qt notice above.")
        for file_name, text in item.texts:
            out += ["", f"--- {file_name} ---", text]
    for name in ("LGPL-3.0", "GPL-3.0"):
        out += ["", rule, f"{name}", "", read_text("licences", f"{name}.txt").strip()]
    return "\n".join(out) + "\n"
