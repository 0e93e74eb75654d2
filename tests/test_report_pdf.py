"""The PDF printed from the HTML report: complete, literal, secret-free, on the right paper."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from support.report_samples import PLANTED_BODY, PLANTED_KEY, planted_diagnosis

from assistant.report.pdf import default_page_size, write_pdf
from assistant.report.render import render
from assistant.report.sample import HOSTILE_NAME, sample_diagnosis

PDFTOTEXT = shutil.which("pdftotext")
pytestmark = pytest.mark.skipif(PDFTOTEXT is None, reason="poppler-utils not installed")


def pdf_text(path: Path) -> str:
    out = subprocess.run([str(PDFTOTEXT), "-enc", "UTF-8", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    return " ".join(out.split())  # table cells wrap; compare words, not line breaks


def page_size_pts(path: Path) -> str:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return next(line for line in info.splitlines() if line.startswith("Page size"))


def test_pdf_contains_every_check_and_the_hostile_name_literally(qapp, tmp_path: Path) -> None:
    d = sample_diagnosis()
    path = tmp_path / "out" / "report.pdf"
    path.parent.mkdir()  # write_pdf makes no folder (issue 14: a missing one is the caller's error)
    write_pdf(render(d, "html"), path)
    text = pdf_text(path)
    for check in d.checks:
        assert check.title in text
    for label in ("PASS", "WARN", "FAIL", "SKIP", "ERROR"):
        assert label in text
    assert HOSTILE_NAME in text  # shown as typed, not interpreted as markup
    assert "&lt;" not in text and "&amp;" not in text  # and not double-escaped
    assert "req_8sHq3bXoLz1fKe" in text
    assert not list(path.parent.glob(".report-*"))  # no temporary file left behind


def test_pdf_never_contains_a_planted_key(qapp, tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    write_pdf(render(planted_diagnosis(), "html"), path)
    text = pdf_text(path)
    assert PLANTED_KEY not in text and PLANTED_BODY not in text
    assert PLANTED_BODY.encode() not in path.read_bytes()
    assert "sk_live_…6789" in text


def test_explicit_page_sizes(qapp, tmp_path: Path) -> None:
    html = render(sample_diagnosis(), "html")
    write_pdf(html, tmp_path / "a4.pdf", page_size="A4")
    write_pdf(html, tmp_path / "letter.pdf", page_size="Letter")
    assert "595 x 842" in page_size_pts(tmp_path / "a4.pdf")
    assert "612 x 792" in page_size_pts(tmp_path / "letter.pdf")
    with pytest.raises(ValueError):
        write_pdf(html, tmp_path / "x.pdf", page_size="B5")


@pytest.mark.parametrize(
    ("locale", "paper"),
    [("en_US", "Letter"), ("en_CA", "Letter"), ("es_MX", "Letter"), ("fil_PH", "Letter"),
     ("en_GB", "A4"), ("de_DE", "A4"), ("ja_JP", "A4"), ("C", "A4")],
)
def test_paper_follows_the_locale(locale: str, paper: str) -> None:
    assert default_page_size(QLocale(locale)) == paper


def test_default_paper_comes_from_the_system_locale(qapp, tmp_path: Path) -> None:
    previous = QLocale()
    QLocale.setDefault(QLocale("en_US"))
    try:
        write_pdf(render(sample_diagnosis(), "html"), tmp_path / "us.pdf")
    finally:
        QLocale.setDefault(previous)
    assert "612 x 792" in page_size_pts(tmp_path / "us.pdf")
