"""Write the sample report as Markdown, HTML and PDF plus a PNG of page 1 into docs/screenshots/.

Run: QT_QPA_PLATFORM=offscreen python scripts/render_report_sample.py [--page-size A4|Letter]
Needs poppler-utils (pdftoppm) for the PNG.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from assistant.report.pdf import write_pdf
from assistant.report.redaction import RedactionOptions
from assistant.report.render import render
from assistant.report.sample import sample_diagnosis


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--page-size", default=None, help="A4 or Letter (default: from locale)")
    args = parser.parse_args(argv)

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    # A plain product name: the sample shows an agent what a report looks like (escaping a
    # hostile name is the tests' business, not the README's picture).
    diagnosis = sample_diagnosis(product_name="Pro")
    options = RedactionOptions(mask_emails=True)
    (out / "report-sample.md").write_text(render(diagnosis, "markdown", options=options), "utf-8")
    html = render(diagnosis, "html", options=options)
    (out / "report-sample.html").write_text(html, "utf-8")
    pdf = out / "report-sample.pdf"
    write_pdf(html, pdf, page_size=args.page_size)
    print(f"wrote {out / 'report-sample.md'}, {out / 'report-sample.html'}, {pdf}")

    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        print("pdftoppm not found; skipped the PNG", file=sys.stderr)
        return 0
    stem = out / "report-pdf-page1"
    subprocess.run(
        [pdftoppm, "-png", "-r", "90", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
        check=True,
    )
    print(f"wrote {stem}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
