"""The app in a Linux application menu: the desktop entry, the AppStream metainfo, the icons, and
`install-desktop`, which puts them in this user's menu.

The validators are the freedesktop tools themselves (`desktop-file-validate` from
desktop-file-utils, `appstreamcli` from appstream), installed by .ci/install. Where they are
missing the validation tests skip, except under .ci/run (PORTAL_ASSISTANT_CI=1), where they fail.
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import assistant
from assistant import APP_ID
from assistant.cli.desktop import ICON_SIZES, data_home, entry_text, exec_value, window_command

FOLDER = Path(assistant.__file__).resolve().parent / "resources" / "desktop"
ENTRY = FOLDER / f"{APP_ID}.desktop"
METAINFO = FOLDER / f"{APP_ID}.metainfo.xml"


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        message = f"{name} is not installed (.ci/install installs it)"
        if os.environ.get("PORTAL_ASSISTANT_CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def validate_entry(path: Path) -> None:
    done = subprocess.run([tool("desktop-file-validate"), str(path)], capture_output=True, text=True)
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def entry_keys(text: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)


# --- what ships --------------------------------------------------------------------------------

def test_the_desktop_entry_validates() -> None:
    validate_entry(ENTRY)


def test_the_metainfo_validates() -> None:
    done = subprocess.run([tool("appstreamcli"), "validate", "--no-net", str(METAINFO)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_entry_metainfo_icon_and_window_name_the_same_app_and_version() -> None:
    keys = entry_keys(ENTRY.read_text(encoding="utf-8"))
    assert keys["Icon"] == APP_ID and keys["Exec"] == "portal-assistant"
    assert keys["StartupWMClass"] == "Portal Setup Assistant"  # the window's WM_CLASS (QApplication's name)
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == ENTRY.name
    assert root.findtext("name") == keys["Name"]
    releases = [r.get("version") for r in root.iter("release")]
    assert releases[0] == assistant.__version__, "add this version's <release> to the metainfo"
    assert {b.text for b in root.iter("binary")} == {"portal-assistant", "portal-assistant-cli"}


def test_the_icon_ships_at_every_usual_size_and_for_windows_and_macos() -> None:
    for size in ICON_SIZES:
        assert png_size((FOLDER / f"app-{size}.png").read_bytes()) == (size, size)
    ico = (FOLDER / "app.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind, count) == (0, 1, len(ICON_SIZES))
    sides = []
    for n in range(count):
        side, _, _, _, _, _, length, offset = struct.unpack("<BBBBHHII", ico[6 + 16 * n: 22 + 16 * n])
        sides.append(png_size(ico[offset: offset + length])[0])
        assert sides[-1] == (side or 256)
    assert sides == list(ICON_SIZES)
    icns = (FOLDER / "app.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)
    found, at = {}, 8
    while at < len(icns):
        kind, length = icns[at: at + 4], struct.unpack(">I", icns[at + 4: at + 8])[0]
        found[kind] = png_size(icns[at + 8: at + length])[0]
        at += length
    assert found[b"ic07"] == 128 and found[b"ic08"] == 256 and found[b"ic09"] == 512 and found[b"icp4"] == 16


# --- install-desktop ---------------------------------------------------------------------------

CLI = Path(os.path.abspath(sys.executable)).with_name("portal-assistant-cli")  # as pip/pipx installed it


def run_cli(home: Path, *argv: str) -> tuple[int, str]:
    """The installed console script, as an agent types it after `pipx install`."""
    done = subprocess.run([str(CLI), "install-desktop", *argv], capture_output=True, text=True,
                          env={**os.environ, "XDG_DATA_HOME": str(home)}, timeout=60)
    return done.returncode, done.stdout + done.stderr


def test_install_desktop_puts_the_entry_metainfo_and_icons_in_the_users_data_folder(tmp_path) -> None:
    home = tmp_path / "data"
    code, out = run_cli(home)
    assert code == 0 and str(home) in out, out
    entry = home / "applications" / f"{APP_ID}.desktop"
    keys = entry_keys(entry.read_text(encoding="utf-8"))
    program = keys["Exec"]
    assert program == str(CLI.with_name("portal-assistant")) and os.access(program, os.X_OK)
    assert keys["TryExec"] == program and f"starts: {program}" in out
    validate_entry(entry)
    assert (home / "metainfo" / f"{APP_ID}.metainfo.xml").read_bytes() == METAINFO.read_bytes()
    for size in ICON_SIZES:
        icon = home / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert png_size(icon.read_bytes()) == (size, size)
    assert (home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").exists()

    code, out = run_cli(home, "--remove")
    assert code == 0 and "Removed 9 files" in out
    assert not [p for p in home.rglob("*") if p.is_file()]


def test_install_desktop_follows_xdg_and_refuses_outside_linux(tmp_path) -> None:
    assert data_home({"XDG_DATA_HOME": str(tmp_path), "HOME": "/home/x"}) == tmp_path
    assert data_home({"XDG_DATA_HOME": "relative/ignored", "HOME": "/home/x"}) == Path("/home/x/.local/share")
    assert data_home({"HOME": "/home/x"}) == Path("/home/x/.local/share")
    from argparse import Namespace

    from assistant.cli.desktop import run_install_desktop

    args = Namespace(remove=False, data_home=tmp_path)
    assert run_install_desktop(args, {}, io.StringIO(), platform="win32") == 2
    assert not list(tmp_path.iterdir())


def test_the_menu_entry_starts_the_program_beside_the_one_running(tmp_path) -> None:
    """pipx: ~/.local/bin/portal-assistant-cli -> the entry starts ~/.local/bin/portal-assistant;
    the bundle: its one executable's folder; a path with spaces is quoted as the spec says."""
    folder = tmp_path / "Portal Assistant $HOME"
    folder.mkdir()
    for name in ("portal-assistant", "portal-assistant-cli"):
        (folder / name).write_text("#!/bin/sh\n")
        (folder / name).chmod(0o755)
    command = window_command(str(folder / "portal-assistant-cli"), "/usr/bin/python3", frozen=False)
    assert command == [str(folder / "portal-assistant")]
    assert window_command("x", str(folder / "portal-assistant"), frozen=True) == command
    value = exec_value(command)
    assert value == '"' + str(folder).replace("$", "\\\\$") + '/portal-assistant"'
    text = entry_text(ENTRY.read_text(encoding="utf-8"), command)
    path = tmp_path / f"{APP_ID}.desktop"
    path.write_text(text, encoding="utf-8")
    validate_entry(path)
