import os
from support.ui_outcomes import run_scenario
from assistant.ui.pages.return_url import ReturnUrlPage
from PySide6.QtWidgets import QLineEdit

S = os.environ.get("S", "")

async def test_a(qtbot) -> None:
    if "r" in S:
        outcome, _ = await run_scenario("archived_product")
    if "p" in S:
        page = ReturnUrlPage()
        qtbot.addWidget(page)
        field = page.url_field
    else:
        field = QLineEdit()
        qtbot.addWidget(field)
    if "k" in S:
        qtbot.keyClicks(field, "ab")
    if "s" in S:
        field.setText("ab")
    if "c" in S:
        field.clear()
    if "2" in S:
        qtbot.keyClicks(field, "  https://example.com/account")


async def test_b(qtbot) -> None:
    if "b" in S:
        outcome, _ = await run_scenario("live_key")
