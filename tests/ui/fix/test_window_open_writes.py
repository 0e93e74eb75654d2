"""Issue 21, item 2 in the window: a write an earlier run left open (the process was killed while
its POST was in flight) is named on the status line at start and settled by the next run of the
account, off the Qt thread: Stripe made it, so it is recorded and Undo appears on the card. A
lost answer is said as "may have been changed — checked: …", never "Nothing was changed"."""

from __future__ import annotations

from PySide6.QtCore import Qt
from support.practice import practice
from support.window import make_window, paste_key, run_and_wait, until

from assistant.diagnosis.fixes.model import FieldChange, Fix, Request
from assistant.diagnosis.model import Status
from assistant.store.fix_log import FixLog
from assistant.store.history import HistoryStore

RETURN_URL = "https://app.practice.example/billing"
CONFIG = "/v1/billing_portal/configurations/"


def _left_open_by_a_killed_run(store: HistoryStore, server) -> None:
    """What a `fix --apply` killed while its POST was in flight leaves: the account changed,
    the intent open, no change recorded."""
    [conf] = [c for c in server.store.objects("test", "configurations") if c.get("is_default")]
    fix = Fix(id="portal.return_url.set_default", check="portal.return_url", title="Set the default return URL",
              kind="api", mode="test", summary="", requests=(Request("POST", CONFIG + conf["id"], {}),),
              changes=(FieldChange(conf["id"], "default_return_url", None, RETURN_URL),))
    FixLog(store).intend(fix, account_id=server.scenario.account["id"], masked_key="sk_test_…4242",
                         idempotency_key="killed-1")
    conf["default_return_url"] = RETURN_URL
    server.store.put("test", "configurations", conf)


async def test_an_open_write_is_named_at_start_and_recorded_by_the_next_run(qtbot, tmp_path) -> None:
    with practice("no_return_url") as (scenario, server):
        store = HistoryStore(tmp_path / "history.sqlite3", agent="Sam")
        _left_open_by_a_killed_run(store, server)
        window = make_window(qtbot, tmp_path, api_base=server.base_url, history=store)
        await until(lambda: "left open" in window.activity_label.text(), what="the start-up note")
        assert scenario.account["id"] in window.activity_label.text()

        paste_key(window.connect_page.key_field, scenario.primary_key)
        await run_and_wait(window)
        await until(lambda: "now recorded as change" in window.activity_label.text(), what="the settling")
        [change] = store.changes()
        assert change.after == RETURN_URL and store.open_intents() == []
        window.go_to_step(window.step_index("return_url"))
        window.flush_pages()
        card = window.pages[window.step_index("return_url")].cards["portal.return_url"]
        assert card.result.status is Status.PASS
        await until(lambda: card.undo_button().isVisible(), what="Undo on the card")
        qtbot.mouseClick(card.undo_button(), Qt.MouseButton.LeftButton)
        await until(lambda: card.result.status is Status.FAIL, what="the undo")
        assert store.change(change.change_uid).undone_by


async def test_a_lost_answer_in_the_window_says_what_reading_it_back_showed(qtbot, tmp_path) -> None:
    with practice("no_return_url") as (scenario, server):
        store = HistoryStore(tmp_path / "history.sqlite3", agent="Sam")
        window = make_window(qtbot, tmp_path, api_base=server.base_url, history=store)
        paste_key(window.connect_page.key_field, scenario.primary_key)
        await run_and_wait(window)
        window.go_to_step(window.step_index("return_url"))
        window.flush_pages()
        card = window.pages[window.step_index("return_url")].cards["portal.return_url"]
        opened: list = []
        window.fix_flow.dialog_opened.connect(opened.append)
        await until(lambda: card.fix_button().isVisible())
        card.fix_button().click()
        await until(lambda: bool(opened))
        qtbot.keyClicks(opened[0].input, RETURN_URL)
        server.inject_fault(CONFIG, kind="lost", status=500, times=3, method="POST")
        opened[0].apply_button.click()
        await until(lambda: card.result.status is Status.PASS, what="the card to pass")
        text = window.activity_label.text()
        assert "may have been changed — checked" in text and "Nothing was changed" not in text
        assert store.changes() and store.open_intents() == []
