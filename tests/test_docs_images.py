"""Every picture the README and the docs show is in the tree.

What a reader would notice: a broken image where the README's screenshot table or the user
guide promises one (a screenshot renamed or removed while the text kept its old name).
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")


def _pages() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_every_image_the_docs_show_exists() -> None:
    missing = [f"{page.relative_to(ROOT)}: {target}" for page in _pages()
               for target in IMAGE.findall(page.read_text("utf-8"))
               if not target.startswith(("http://", "https://")) and not (page.parent / target).is_file()]
    assert not missing, "images the docs show but the tree lacks:\n" + "\n".join(missing)


def test_the_screenshot_table_shows_the_ask_stripe_pictures() -> None:
    shown = {Path(t).name for page in _pages() for t in IMAGE.findall(page.read_text("utf-8"))}
    assert {"step-6-customer-sees-light.png", "step-6-customer-asked-light.png"} <= shown
