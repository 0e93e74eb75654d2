"""Render the app icon (assistant/resources/desktop/app.svg) into every file that ships it.

    .venv/bin/python scripts/make_icons.py

Writes, beside the SVG: app-<n>.png at 16, 32, 48, 64, 128 and 256 pixels (the hicolor sizes
`install-desktop` installs and the Linux bundle carries), app.ico (Windows: the executables'
icon, PNG-compressed entries of the same sizes) and app.icns (macOS: the .app's icon, PNG
entries up to 512 and their @2x variants). Qt's SVG renderer draws them; the ICO and ICNS
containers are written here (both are a small header and a table of PNGs), so no image library
is needed. The output is committed; run this after changing the SVG (tests/test_desktop.py
checks every size is there).
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

FOLDER = ROOT / "assistant" / "resources" / "desktop"
SIZES = (16, 32, 48, 64, 128, 256)
# ICNS entry types holding PNG data, by pixel size (Apple's icns types since macOS 10.7).
ICNS_TYPES = ((b"icp4", 16), (b"icp5", 32), (b"ic11", 32), (b"icp6", 64), (b"ic12", 64), (b"ic07", 128),
              (b"ic08", 256), (b"ic13", 256), (b"ic09", 512), (b"ic14", 512), (b"ic10", 1024))


def render_png(renderer: QSvgRenderer, size: int) -> bytes:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico(pngs: dict[int, bytes]) -> bytes:
    """ICONDIR, one ICONDIRENTRY per size (0 means 256), then the PNGs (Windows Vista and later)."""
    sizes = sorted(pngs)
    offset = 6 + 16 * len(sizes)
    head = struct.pack("<HHH", 0, 1, len(sizes))
    entries, blobs = b"", b""
    for size in sizes:
        png = pngs[size]
        side = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset + len(blobs))
        blobs += png
    return head + entries + blobs


def icns(pngs: dict[int, bytes]) -> bytes:
    body = b"".join(kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(FOLDER / "app.svg"))
    if not renderer.isValid():
        print(f"cannot read {FOLDER / 'app.svg'}", file=sys.stderr)
        return 1
    pngs = {size: render_png(renderer, size) for size in sorted({*SIZES, *(s for _, s in ICNS_TYPES)})}
    for size in SIZES:
        (FOLDER / f"app-{size}.png").write_bytes(pngs[size])
    (FOLDER / "app.ico").write_bytes(ico({s: pngs[s] for s in SIZES}))
    (FOLDER / "app.icns").write_bytes(icns(pngs))
    print(f"wrote {len(SIZES)} PNGs, app.ico and app.icns in {FOLDER.relative_to(ROOT)}")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
