"""A fix that clears the check must also answer the complaint (issue 22, item 2). On Lumen
Newsletter Tools (`inactive_price`) customers cannot move to the yearly plan because "Pro Yearly"
is archived; on Fernhill Fitness (`archived_product`) the Basic product is. Fix… offers each way
to repair it as a choice, with what it means for the customers, restoring first and chosen: after
Apply the check passes *and* the plan is offered again; Undo archives it again.

Driven through the real window over real HTTP; what the account holds is read from the practice
server."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from support.fix_window import open_preview, window_on_card
from support.practice import practice
from support.window import until

from assistant.diagnosis.model import Status


def _offered(server, price_id: str) -> bool:
    """The price is active and on the plan list of the default configuration: customers can pick it."""
    conf = next(c for c in server.store.objects("test", "configurations") if c["is_default"])
    listed = {p for e in conf["features"]["subscription_update"]["products"] for p in e["prices"]}
    price = server.store.find("test", "prices", price_id) or {}
    return price_id in listed and price.get("active") is True


async def _products_card(qtbot, tmp_path, server, scenario):
    return await window_on_card(qtbot, tmp_path, server, scenario, "products", "portal.products")


def _texts(preview) -> str:
    return "\n".join(w.text() for w in preview.findChildren(QWidget) if hasattr(w, "text") and callable(w.text))


async def test_the_archived_yearly_price_is_restored_not_just_taken_off_the_list(qtbot, tmp_path) -> None:
    with practice("inactive_price") as (scenario, server):
        pro_yearly = scenario.data["test"]["prices"][3]["id"]
        assert scenario.data["test"]["prices"][3]["nickname"] == "Pro Yearly" and not _offered(server, pro_yearly)
        window, card, opened = await _products_card(qtbot, tmp_path, server, scenario)
        assert card.result.status is Status.FAIL

        # The agent accepts what Fix… offers first.
        preview = await open_preview(qtbot, card, opened)
        qtbot.mouseClick(preview.apply_button, Qt.MouseButton.LeftButton)
        await until(lambda: card.result.status is Status.PASS and card.undo_button().isVisible()
                    and not window.fix_controller.busy, what="the check to pass after the fix")
        assert _offered(server, pro_yearly), "the check passes but customers still cannot go yearly"
        assert [w[:2] for w in server.writes] == [("POST", f"/v1/prices/{pro_yearly}")]

        qtbot.mouseClick(card.undo_button(), Qt.MouseButton.LeftButton)
        await until(lambda: card.result.status is Status.FAIL and not window.fix_controller.busy,
                    what="the undo")
        assert (server.store.find("test", "prices", pro_yearly) or {}).get("active") is False


async def test_each_way_to_repair_it_is_a_choice_with_what_it_means_for_customers(qtbot, tmp_path) -> None:
    with practice("inactive_price") as (scenario, server):
        pro_yearly = scenario.data["test"]["prices"][3]["id"]
        window, card, opened = await _products_card(qtbot, tmp_path, server, scenario)
        preview = await open_preview(qtbot, card, opened)
        assert [c.id for c in preview.choices] == ["portal.products.restore_price", "portal.products.remove_price"]
        assert preview.choice_list.isVisible() and preview.choice_list.buttons[0].isChecked()
        await until(lambda: QApplication.focusWidget() is preview.choice_list.buttons[0], timeout=3,
                    what="the cursor on the first choice")
        shown = _texts(preview)
        assert "Customers can move to Pro Yearly (290.00 USD / year) again" in shown
        assert "customers can no longer move to Pro Yearly" in shown
        # The preview speaks the owner's words: the price by name and amount, its id in the details.
        assert preview.changes.item(0, 0).text() == "Price Pro Yearly — 290.00 USD / year"
        assert [preview.changes.item(0, c).text() for c in (1, 2)] == ["archived", "active (customers can choose it)"]
        assert pro_yearly in preview.findChild(QWidget, "fixDetails").text()
        preview.reject()
        assert server.writes == []


async def test_choosing_to_take_the_price_off_shows_it_marked_removed_and_sends_only_that(qtbot, tmp_path) -> None:
    with practice("inactive_price") as (scenario, server):
        pro_yearly = scenario.data["test"]["prices"][3]["id"]
        window, card, opened = await _products_card(qtbot, tmp_path, server, scenario)
        preview = await open_preview(qtbot, card, opened)
        remove = [c.id for c in preview.choices].index("portal.products.remove_price")
        qtbot.mouseClick(preview.choice_list.buttons[remove], Qt.MouseButton.LeftButton)
        assert preview.fix.id == "portal.products.remove_price"
        before = [preview.changes.item(r, 1).text() for r in range(preview.changes.rowCount())]
        after = [preview.changes.item(r, 2).text() for r in range(preview.changes.rowCount())]
        assert "− Pro: Pro Yearly — 290.00 USD / year (removed)" in before
        assert "Pro: Pro Yearly — 290.00 USD / year" not in " ".join(after)
        assert "Pro: Pro Monthly — 29.00 USD / month" in before and "Pro: Pro Monthly — 29.00 USD / month" in after
        assert "price_" not in " ".join(before + after)  # ids only in the detail line
        assert pro_yearly in preview.findChild(QWidget, "fixDetails").text()
        qtbot.mouseClick(preview.apply_button, Qt.MouseButton.LeftButton)
        await until(lambda: card.result.status is Status.PASS and not window.fix_controller.busy, what="the apply")
        [write] = server.writes
        assert write[1].startswith("/v1/billing_portal/configurations/")
        assert (server.store.find("test", "prices", pro_yearly) or {}).get("active") is False


async def test_the_archived_product_is_restored_and_offered_again(qtbot, tmp_path) -> None:
    with practice("archived_product") as (scenario, server):
        basic = scenario.data["test"]["products"][0]["id"]
        window, card, opened = await _products_card(qtbot, tmp_path, server, scenario)
        preview = await open_preview(qtbot, card, opened)
        assert [c.id for c in preview.choices] == ["portal.products.restore_product", "portal.products.remove_product"]
        assert preview.fix.id == "portal.products.restore_product"
        assert preview.changes.item(0, 0).text() == "Product Basic"
        qtbot.mouseClick(preview.apply_button, Qt.MouseButton.LeftButton)
        await until(lambda: card.result.status is Status.PASS and card.undo_button().isVisible()
                    and not window.fix_controller.busy, what="the check to pass after the restore")
        assert (server.store.find("test", "products", basic) or {}).get("active") is True
        qtbot.mouseClick(card.undo_button(), Qt.MouseButton.LeftButton)
        await until(lambda: card.result.status is Status.FAIL and not window.fix_controller.busy, what="the undo")
        assert (server.store.find("test", "products", basic) or {}).get("active") is False
