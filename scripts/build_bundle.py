"""Build the desktop bundle (PyInstaller, one folder) and check what went into it.

    bash .ci/install                            # the locked versions, PyInstaller included
    .venv/bin/python scripts/build_bundle.py    # -> dist/portal-assistant/

The same command builds on Linux, Windows and macOS (.github/workflows/bundle.yml). It refuses
an environment that is not exactly requirements-lock.txt (scripts/locked_env.py; --unlocked to
build anyway, for trying newer versions), so a bundle can be rebuilt as it was. It runs
scripts/bundle.spec, writes THIRD-PARTY-NOTICES.txt beside the executables (the licences of
everything shipped, from assistant/notices.py: what About shows) and, on Linux, the desktop entry,
metainfo and icons under share/, then refuses a bundle that lacks a resource, a desktop file or a
needed Qt plugin, or carries Qt parts the app never loads. It prints the bundle's size. Bundles and
build folders (dist/, build/) are git-ignored.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant import __version__, notices

NAME = "portal-assistant"
EXE_SUFFIX = ".exe" if os.name == "nt" else ""
# Qt that must be there (by platform) and Qt that must not (anywhere).
NEEDED_PLUGINS = {
    "linux": ("platforms/libqxcb", "platforms/libqoffscreen", "platforms/libqwayland", "iconengines/libqsvgicon",
              "imageformats/libqsvg"),
    "win32": ("platforms/qwindows", "platforms/qoffscreen", "iconengines/qsvgicon", "imageformats/qsvg"),
    "darwin": ("platforms/libqcocoa", "platforms/libqoffscreen", "iconengines/libqsvgicon", "imageformats/libqsvg"),
}
UNWANTED = re.compile(r"(Qt6?(Qml|Quick|WebEngine|Pdf|VirtualKeyboard|Designer|Multimedia|3D|Network)[^\\/]*$"
                      r"|[\\/]translations[\\/]|[\\/]qml[\\/])", re.IGNORECASE)


def build(dist: Path, work: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(dist), "--workpath", str(work), str(ROOT / "scripts" / "bundle.spec")],
        check=True, cwd=ROOT,
    )
    return dist / NAME


def link_cli(bundle: Path) -> None:
    """Outside Windows the one executable is both programs: the CLI name is a relative link."""
    if os.name != "nt":
        link = bundle / f"{NAME}-cli"
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(NAME)


def add_desktop_files(bundle: Path) -> list[Path]:
    """Linux: the menu entry, metainfo and icons under share/, laid out as in ~/.local/share (or
    /usr/local/share), for `portal-assistant install-desktop` or a packager to use as they are."""
    from assistant.cli.desktop import targets

    copied = []
    for target, source in targets(bundle / "share").items():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        copied.append(target)
    return copied


def write_notices(bundle: Path) -> Path:
    target = bundle / "THIRD-PARTY-NOTICES.txt"
    target.write_text(notices.full_text(), encoding="utf-8")
    return target


def _missing_data(rel: list[str]) -> list[str]:
    """The package's data files (resources, migrations) the bundle lacks."""
    found: list[str] = []
    package = ROOT / "assistant"
    on_disk = [*(package / "resources").rglob("*"), *(package / "store" / "migrations").rglob("*.py"),
               *(package / "store" / "migrations").rglob("*.mako")]
    for src in on_disk:
        if src.is_file() and src.suffix != ".pyc" and "__pycache__" not in src.parts:
            if src.suffix == ".py" and "migrations" not in src.parts:
                continue  # the resources' loader: compiled into the archive, not a data file
            want = "assistant/" + src.relative_to(package).as_posix()
            if not any(r.endswith(want) for r in rel):
                found.append(f"data file missing: {want}")
    return found


def problems(bundle: Path) -> list[str]:
    """What makes this bundle unfit to ship; empty when it is fine."""
    found: list[str] = []
    files = [p for p in bundle.rglob("*") if p.is_file()]
    rel = [p.relative_to(bundle).as_posix() for p in files]
    for exe in (NAME, f"{NAME}-cli"):
        if not (bundle / f"{exe}{EXE_SUFFIX}").exists():
            found.append(f"no executable {exe}{EXE_SUFFIX}")
    found += _missing_data(rel)
    if not any(r.endswith("stripe/data/ca-certificates.crt") for r in rel):
        found.append("stripe's CA bundle is missing")
    platform = "linux" if sys.platform.startswith("linux") else sys.platform
    for plugin in NEEDED_PLUGINS.get(platform, ()):
        if not any(f"plugins/{plugin}" in r for r in rel):
            found.append(f"Qt plugin missing: {plugin}")
    if platform == "linux":
        from assistant.cli.desktop import targets

        found += [f"desktop file missing: {t.relative_to(bundle).as_posix()}"
                  for t in targets(bundle / "share") if not t.is_file()]
    found += [f"unused Qt part shipped: {r}" for r in rel if UNWANTED.search(r)]
    for name in ("pyside6_essentials", "stripe", "keyring", "qasync", "platformdirs", "jinja2"):
        if not any(re.search(rf"{name}-[^/]+\.dist-info/", r, re.IGNORECASE) for r in rel):
            found.append(f"metadata (licence) of {name} is missing")
    return found


def lock_problems() -> list[str]:
    """How this environment differs from requirements-lock.txt (empty: it is the lock)."""
    from locked_env import LOCK, differences, installed, pins  # scripts/, beside this file

    return differences(pins(LOCK.read_text(encoding="utf-8")), installed())


def size_mb(folder: Path) -> float:
    """On disk: the links PyInstaller makes to libraries it already holds are not counted twice."""
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) / 1_000_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the bundle folder goes")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "bundle", help="PyInstaller's work folder")
    parser.add_argument("--unlocked", action="store_true",
                        help="build even when the installed versions are not the lock's")
    args = parser.parse_args(argv)
    unlocked = lock_problems()
    for line in unlocked:
        print(f"{'note' if args.unlocked else 'PROBLEM'}: not as locked: {line}", file=sys.stderr)
    if unlocked and not args.unlocked:
        print("install the lock first (bash .ci/install, or see .github/workflows/bundle.yml)", file=sys.stderr)
        return 2
    bundle = build(args.dist, args.work)
    link_cli(bundle)
    write_notices(bundle)
    if sys.platform.startswith("linux"):
        add_desktop_files(bundle)
    found = problems(bundle)
    files = sum(1 for p in bundle.rglob("*") if p.is_file() and not p.is_symlink())
    print(f"bundle: {bundle} (Portal Setup Assistant {__version__}, {sys.platform})")
    print(f"size: {size_mb(bundle):.1f} MB in {files} files")
    plugins = sorted(p.relative_to(bundle).as_posix().split("plugins/", 1)[1]
                     for p in bundle.rglob("*") if "plugins" in p.parts and p.is_file())
    print("Qt plugins: " + ", ".join(plugins))
    for line in found:
        print(f"PROBLEM: {line}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
