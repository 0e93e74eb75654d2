"""Print the HTML report to PDF with Qt alone, so no browser or extra dependency is needed.

QTextDocument understands only a subset of HTML/CSS; the report template is written for it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QLocale, QMarginsF
from PySide6.QtGui import (
    QFont,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPdfWriter,
    QTextDocument,
)

# CLDR's US-Letter territories; everyone else prints on A4.
LETTER_TERRITORIES = frozenset(
    {"US", "CA", "MX", "PH", "BZ", "CL", "CO", "CR", "GT", "NI", "PA", "PR", "SV", "VE"}
)
_PAGE_SIZES = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}
_RESOLUTION = 300
_MARGIN_MM = 0.0  # QTextDocument.print_ adds its own 2 cm margin (and the page number) inside this

_app: QGuiApplication | None = None  # kept alive for the life of the process if we made it


def default_page_size(locale: QLocale | None = None) -> str:
    """"Letter" where that is the paper in the tray, "A4" everywhere else."""
    locale = locale or QLocale()
    code = QLocale.territoryToCode(locale.territory())
    return "Letter" if code.upper() in LETTER_TERRITORIES else "A4"


def _ensure_gui_app() -> None:
    """Fonts and text layout need a QGuiApplication; the CLI has none, so make one."""
    global _app
    instance = QGuiApplication.instance()
    if instance is None:
        _app = QGuiApplication([])
    elif not isinstance(instance, QGuiApplication):
        raise RuntimeError("write_pdf needs a QGuiApplication, but a QCoreApplication is running.")


def _plain_font(font: QFont) -> QFont:
    """No ligatures: with them "configuration" prints as "conﬁguration", and searching or
    copying from the PDF then fails."""
    font = QFont(font)
    for tag in ("liga", "clig", "dlig"):
        font.setFeature(QFont.Tag(tag), 0)
    return font


def _page_size(page_size: str | QPageSize | None) -> QPageSize:
    if isinstance(page_size, QPageSize):
        return page_size
    name = (page_size or default_page_size()).strip().lower()
    if name not in _PAGE_SIZES:
        raise ValueError(f"Unknown page size {page_size!r}; use 'A4' or 'Letter'.")
    return QPageSize(_PAGE_SIZES[name])


def write_pdf(html: str, path: Path, *, page_size: str | QPageSize | None = None) -> None:
    """Render `html` into a PDF at `path`; written to a temporary file first, so a crash never
    leaves half a report under the real name. The folder must exist."""
    _ensure_gui_app()
    path = Path(path)
    size = _page_size(page_size)
    # No folder is made: a missing one is the caller's FileNotFoundError to report. mkstemp
    # creates the file 0600, so the report is private from its first byte.
    fd, tmp_name = tempfile.mkstemp(prefix=".report-", suffix=".pdf", dir=path.parent)
    os.close(fd)
    try:
        writer = QPdfWriter(tmp_name)
        writer.setResolution(_RESOLUTION)
        writer.setTitle("Portal Setup Assistant report")
        writer.setCreator("Portal Setup Assistant")
        writer.setPageLayout(
            QPageLayout(
                size,
                QPageLayout.Orientation.Portrait,
                QMarginsF(_MARGIN_MM, _MARGIN_MM, _MARGIN_MM, _MARGIN_MM),
                QPageLayout.Unit.Millimeter,
            )
        )
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(_plain_font(doc.defaultFont()))
        doc.setHtml(html)
        doc.print_(writer)
        del writer  # finishes and closes the file
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
