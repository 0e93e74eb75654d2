"""Account text is never rendered as rich text: the whole window walked on hostile accounts.

Customers edit their own names in the portal, and business, product, price and configuration
names are typed by people too; a name holding markup must show as typed. The hostile practice
account (`hostile_names`) holds markup, `file:` images, links, a fake "TEST MODE" line in big
green type, bidi overrides and zero-width characters in every name the app shows; the tests
here make variants of it (a 200 KB customer name, an archived product so a fix is offered, its
live key as the key pasted) and, on each, visit every step, open every dialog and message box
(History, the fix preview, the live-portal question, About, Team history, the user guide, the
glossary) and ask `support.rich_text.rich_sinks` for any label, tooltip, item tooltip or
message box that would interpret that markup. The same walk runs on every practice account.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt, QUrl
from PySide6.QtGui import QHelpEvent, QImage
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QToolTip, QWidget
from support.rich_text import rich_problems, rich_sinks
from support.window import make_window, settled, until

from assistant.practice.scenarios import Scenario, list_scenarios, load_scenario
from assistant.store.history import HistoryStore
from assistant.ui.practice.host import PracticeHost

HOSTILE = "hostile_names"
BIG_NAME_BYTES = 200 * 1024
BASIC = "prod_lAF4RGOA9Wwx6H"


class ServesOne(PracticeHost):
    """The window's practice host, serving a scenario the test made (whatever name is asked)."""

    def __init__(self, scenario: Scenario) -> None:
        super().__init__()
        self.scenario = scenario

    def open(self, name: str) -> Any:
        from assistant.practice.server import PracticeServer
        from assistant.ui.practice.host import PracticeAccount

        self.close()
        server = PracticeServer(self.scenario)
        base_url = server.start()
        self._server = server
        return PracticeAccount(self.scenario, base_url)


def variant(*, big_name: bool = False, archived: bool = False, live: bool = False) -> Scenario:
    """The hostile account, with a 200 KB customer name, its Basic plan archived (a fix is
    offered), or its live key pasted (the live-portal question)."""
    scenario = load_scenario(HOSTILE)
    data = copy.deepcopy({mode: dict(d) for mode, d in scenario.data.items()})
    customer = scenario.customer
    if big_name:
        [first] = [c for c in data["test"]["customers"] if c["id"] == customer]
        words = "Mallory <b>Big</b> name " * (BIG_NAME_BYTES // 24)
        first["name"] = f'<img src="file:///dev/zero">{words}'
    if archived:
        for mode in data.values():
            for product in mode["products"]:
                if product["id"] == BASIC:
                    product["active"] = False
    changes: dict[str, Any] = {"data": data}
    if live:
        changes |= {"primary_key": scenario.second_key, "second_key": scenario.primary_key,
                    "customer": data["live"]["customers"][0]["id"]}
    return replace(scenario, **changes)


def _top_levels() -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if w.isVisible()]


async def _visit_every_step(window: Any) -> None:
    for row in range(window.sidebar.count()):
        window.go_to_step(row)
        await until(lambda: True)
    window.flush_pages()


async def _open_every_dialog(window: Any, *, with_app_only: bool) -> None:
    """History (with this run in it) and the glossary; with `with_app_only`, also the dialogs
    that show no account data (About, Team history, the user guide): once is enough for them."""
    history = window.history_keeper.show(window, None, window.show_glossary, lambda _url: None)
    await until(lambda: not history.loading and history.current_diagnosis() is not None,
                what="the History window to read the run")
    if with_app_only:
        window.about_action.trigger()
        window.team_action.trigger()
        window.show_user_guide()
    outcome = window.outcome
    assert outcome is not None
    window.show_glossary(outcome.diagnosis.checks[0].id)


async def _walked(qtbot: Any, tmp_path: Any, scenario: Scenario | None, name: str) -> Any:
    host = ServesOne(scenario) if scenario is not None else PracticeHost()
    store = HistoryStore(tmp_path / "history.sqlite3", agent="<b>Sam</b>")
    window = make_window(qtbot, tmp_path, practice=host, history=store)
    assert window.open_practice(name, run=True)
    await until(lambda: window.outcome is not None and settled(window), 30, "the run")
    await _visit_every_step(window)
    await _open_every_dialog(window, with_app_only=scenario is not None)
    return window


async def test_hostile_account_shows_every_name_as_text(qtbot, tmp_path) -> None:
    window = await _walked(qtbot, tmp_path, variant(big_name=True), HOSTILE)
    found = rich_sinks([window, *_top_levels()])
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("live", [False, True], ids=["test", "live"])
async def test_fix_preview_shows_hostile_names_as_text(qtbot, tmp_path, live: bool) -> None:
    """In live mode the preview also asks for the account's name, which it quotes."""
    window = await _walked(qtbot, tmp_path, variant(archived=True, live=live), HOSTILE)
    opened: list = []
    window.fix_flow.dialog_opened.connect(opened.append)
    window.go_to_step(window.step_index("products"))
    card = window.pages[window.step_index("products")].cards["portal.products"]
    await until(lambda: card.fix_button().isVisible(), what="Fix… on the products card")
    card.fix_button().click()
    await until(lambda: bool(opened), what="the fix preview")
    assert opened[0].confirm.isVisible() is live
    found = rich_sinks([window, *_top_levels()])
    assert found == [], "\n".join(found)


async def test_live_portal_question_is_plain_text_without_links(qtbot, tmp_path) -> None:
    scenario = variant(live=True)
    window = await _walked(qtbot, tmp_path, scenario, HOSTILE)
    window.request_portal(scenario.customer)
    box = window.findChild(QMessageBox, "liveConfirmation")
    assert box is not None and box.isVisible()
    assert "✔ TEST MODE customer" in box.text() and "<font size=7" in box.text()
    found = rich_sinks([box])
    assert found == [], "\n".join(found)
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert not box.textInteractionFlags() & Qt.TextInteractionFlag.LinksAccessibleByMouse
    box.button(QMessageBox.StandardButton.No).click()


def _hover(widget: QWidget) -> QWidget:
    """What Qt does when the pointer rests on `widget`: a ToolTip event; the tooltip it shows."""
    centre = widget.rect().center()
    QApplication.sendEvent(widget, QHelpEvent(QEvent.Type.ToolTip, centre, widget.mapToGlobal(centre)))
    tips = [w for w in QApplication.topLevelWidgets() if w.objectName() == "qtooltip_label" and w.isVisible()]
    assert tips, "no tooltip shown"
    return tips[0]


def test_hovering_the_status_line_loads_nothing_a_name_points_at(qtbot, tmp_path) -> None:
    """A name holding `<img src="file:///dev/zero">` read /dev/zero on the UI thread when the
    status line was hovered. An image file of 600 x 600 pixels shows the same thing safely: the
    tooltip stays one line of text, the markup as typed."""
    picture = QImage(600, 600, QImage.Format.Format_RGB32)
    picture.fill(0x00AA00)
    path = tmp_path / "big.png"
    assert picture.save(str(path))
    name = f'<img src="{QUrl.fromLocalFile(str(path)).toString()}">Mallory'
    window = make_window(qtbot, tmp_path)
    window.status_line.show_identity("test", f"{name} (acct_1HsT1LeNaMeS0x7Q)", None)
    window.activity_label.setText(f"Opened the portal for {name}")  # what the fix flow says
    for label in (window.account_label, window.activity_label):
        tip = _hover(label)
        assert tip.sizeHint().height() < 100, "the tooltip drew the image"
        assert isinstance(tip, QLabel)
        assert rich_problems(tip.text(), tip.textFormat()) == []
        QToolTip.hideText()


@pytest.mark.parametrize("name", [info.name for info in list_scenarios()])
async def test_every_practice_account_walks_clean(qtbot, tmp_path, name: str) -> None:
    window = await _walked(qtbot, tmp_path, None, name)
    found = rich_sinks([window, *_top_levels()])
    assert found == [], "\n".join(found)
