"""`install-desktop`: put the app in the Linux application menu (pipx install, bundle, checkout).

A pip/pipx install or the bundle folder puts programs on disk but nothing in the menu: desktops
list what they find in `$XDG_DATA_HOME/applications` (default ~/.local/share). This copies the
freedesktop entry, the AppStream metainfo and the icon (every hicolor size, and the SVG) there
for the current user, with `Exec` set to the absolute path of the windowed program that is
running this command, so the launcher works whatever the session's PATH is. `--remove` takes
them away again. Nothing needs root, and nothing outside those folders is touched.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from assistant import APP_ID
from assistant.resources import resource_path

ICON_SIZES = (16, 32, 48, 64, 128, 256)
WINDOW_PROGRAM = "portal-assistant"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = sub.add_parser("install-desktop", help="add the app to this user's application menu (Linux)")
    cmd.add_argument("--remove", action="store_true", help="take it out of the menu again")
    cmd.add_argument("--data-home", metavar="DIR", type=Path,
                     help="where to install (default: $XDG_DATA_HOME, else ~/.local/share)")


def data_home(environ: Mapping[str, str]) -> Path:
    """The XDG base directory for user data: $XDG_DATA_HOME when absolute, else ~/.local/share."""
    given = environ.get("XDG_DATA_HOME", "")
    if given and Path(given).is_absolute():
        return Path(given)
    return Path(environ.get("HOME") or Path.home()) / ".local" / "share"


def targets(home: Path) -> dict[Path, Path]:
    """Installed file -> shipped file."""
    folder = resource_path("desktop")
    hicolor = home / "icons" / "hicolor"
    out = {
        home / "applications" / f"{APP_ID}.desktop": folder / f"{APP_ID}.desktop",
        home / "metainfo" / f"{APP_ID}.metainfo.xml": folder / f"{APP_ID}.metainfo.xml",
        hicolor / "scalable" / "apps" / f"{APP_ID}.svg": folder / "app.svg",
    }
    for size in ICON_SIZES:
        out[hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png"] = folder / f"app-{size}.png"
    return out


def window_command(argv0: str, executable: str, frozen: bool) -> list[str]:
    """What the menu entry starts: the windowed program beside the one running now (the bundle's
    executable, or pip's script), else the one on PATH, else this Python with the checkout's
    main.py."""
    if frozen:
        return [str(Path(executable).absolute().with_name(WINDOW_PROGRAM))]
    beside = Path(argv0).absolute().with_name(WINDOW_PROGRAM)
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    found = shutil.which(WINDOW_PROGRAM)
    if found:
        return [str(Path(found).absolute())]
    main_py = Path(__file__).resolve().parents[2] / "main.py"
    return [str(Path(executable).absolute()), str(main_py)]


_PLAIN = re.compile(r"[A-Za-z0-9/._+-]+")


def exec_value(command: list[str]) -> str:
    """The command as a desktop entry's Exec key: arguments with other characters are quoted
    (the spec escapes ", `, $ and \\ inside quotes), then every backslash is doubled again as
    string values require, and % is written %%."""
    words = []
    for word in command:
        if not _PLAIN.fullmatch(word):
            word = '"' + re.sub(r'(["`$\\])', r"\\\1", word) + '"'
        words.append(word.replace("\\", "\\\\").replace("%", "%%"))
    return " ".join(words)


def entry_text(shipped: str, command: list[str]) -> str:
    """The shipped entry with Exec set, and TryExec (desktops hide the entry once the program
    is gone, e.g. after `pipx uninstall`)."""
    out = []
    for line in shipped.splitlines():
        if line.startswith("TryExec="):
            continue
        if line.startswith("Exec="):
            out.append("TryExec=" + command[0].replace("\\", "\\\\"))
            line = "Exec=" + exec_value(command)
        out.append(line)
    return "\n".join(out) + "\n"


def install(home: Path, command: list[str]) -> list[Path]:
    written = []
    for target, source in targets(home).items():
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.suffix == ".desktop":
            target.write_text(entry_text(source.read_text(encoding="utf-8"), command), encoding="utf-8")
        else:
            shutil.copyfile(source, target)
        written.append(target)
    return written


def remove(home: Path) -> list[Path]:
    gone = []
    for target in targets(home):
        if target.exists():
            target.unlink()
            gone.append(target)
    return gone


def run_install_desktop(args: argparse.Namespace, environ: Mapping[str, str], out: TextIO,
                        platform: str = sys.platform) -> int:
    if platform in ("win32", "darwin"):
        print("portal-assistant: install-desktop is for Linux desktops (freedesktop menus); "
              "on Windows and macOS use the bundle's own icon.", file=sys.stderr)
        return 2
    home = args.data_home.absolute() if args.data_home else data_home(environ)
    if args.remove:
        gone = remove(home)
        out.write(f"Removed {len(gone)} files from {home}: the app is no longer in the menu.\n")
        return 0
    command = window_command(sys.argv[0], sys.executable, bool(getattr(sys, "frozen", False)))
    written = install(home, command)
    out.write(f"Installed {len(written)} files under {home} (menu entry, metainfo, icons).\n"
              f"The menu entry starts: {' '.join(command)}\n"
              "Portal Setup Assistant is in the application menu now; if it is not listed yet, "
              "log out and back in.\n")
    return 0
