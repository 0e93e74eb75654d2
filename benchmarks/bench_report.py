"""Report generation time for a full 13-check diagnosis (from a practice run), median of 50.

    python benchmarks/bench_report.py [--runs 50] [--scenario archived_product]

Markdown, HTML and, when the window's PDF writer is present, PDF (QT_QPA_PLATFORM=offscreen).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from assistant.account.gateway import StripeGateway
from assistant.diagnosis.run import Diagnoser, DiagnosisRequest
from assistant.practice.scenarios import load_scenario
from assistant.practice.server import PracticeServer
from assistant.report.redaction import RedactionOptions
from assistant.report.render import render


def practice_diagnosis(name: str):
    scenario = load_scenario(name)
    with PracticeServer(scenario) as server:
        diagnoser = Diagnoser(lambda key: StripeGateway(key, api_base=server.base_url))
        request = DiagnosisRequest(key=scenario.primary_key, second_key=scenario.second_key,
                                   customer=scenario.customer, return_url=scenario.return_url)
        return asyncio.run(diagnoser.run(request))


def median_ms(fn, runs: int) -> tuple[float, float]:
    fn()  # warm-up: template compilation, fonts
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, max(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--scenario", default="archived_product")
    args = parser.parse_args()
    diagnosis = practice_diagnosis(args.scenario)
    assert len(diagnosis.checks) == 13
    options = RedactionOptions()
    rows = [
        ("markdown", lambda: render(diagnosis, "markdown", options=options)),
        ("html", lambda: render(diagnosis, "html", options=options)),
    ]
    pdf_path = Path(tempfile.mkdtemp()) / "report.pdf"
    try:
        from assistant.report.pdf import write_pdf
    except ImportError:
        write_pdf = None
    if write_pdf is not None:
        html = render(diagnosis, "html", options=options)
        rows.append(("pdf (from html)", lambda: write_pdf(html, pdf_path)))
        rows.append(("html + pdf", lambda: write_pdf(render(diagnosis, "html", options=options), pdf_path)))
    print(f"Report of {args.scenario} (13 checks), median of {args.runs} runs")
    print(f"{'format':<18}{'median ms':>11}{'max ms':>9}")
    for name, fn in rows:
        med, worst = median_ms(fn, args.runs)
        print(f"{name:<18}{med:>11.2f}{worst:>9.2f}")
    if write_pdf is None:
        print("pdf: assistant/report/pdf.py not importable, not measured")
    else:
        print(f"pdf size: {pdf_path.stat().st_size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
