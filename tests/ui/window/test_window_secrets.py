"""The secret key is shown only in the password-mode field: nowhere else on screen, in
tooltips, in accessible names, in the title, the status bar, the checklist or QSettings."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit
from support.practice import practice
from support.window import make_window, paste_key, run_and_wait, settled, until, visible_texts


def _leaks(window, tmp_path, *keys: str) -> list[str]:
    window.save_settings()
    found = []
    for where, text in visible_texts(window, tmp_path / "settings.ini"):
        for key in keys:
            if key and key in (text or ""):
                found.append(where)
    return found


async def test_no_key_leaks_after_a_run_on_every_step(qtbot, tmp_path) -> None:
    with practice("healthy") as (scenario, server):
        window = make_window(qtbot, tmp_path, api_base=server.base_url)
        page = window.connect_page
        paste_key(page.key_field, f" {scenario.primary_key} ")
        paste_key(page.second_field, scenario.second_key)
        await run_and_wait(window)
        for row in range(window.sidebar.count()):
            window.go_to_step(row)
            assert not _leaks(window, tmp_path, scenario.primary_key, scenario.second_key), row
        window.glossary.show()
        assert not _leaks(window, tmp_path, scenario.primary_key, scenario.second_key)
        # masked forms are what is shown
        assert "sk_test_…4242" in window.key_label.text()
        assert "sk_test_…4242" in page.result.text()
        assert page.key_field.echoMode() == QLineEdit.EchoMode.Password


async def test_no_key_leaks_from_a_refused_key_or_a_practice_account(qtbot, tmp_path) -> None:
    with practice("healthy") as (scenario, server):
        window = make_window(qtbot, tmp_path, api_base=server.base_url)
        rolled = "sk_test_practice_rolled_0000"  # known to the account, but expired
        paste_key(window.connect_page.key_field, rolled)
        await run_and_wait(window)
        assert window.sidebar.item_text(0).endswith(("1 problem", "problems"))
        assert not _leaks(window, tmp_path, rolled)

    window.open_practice("parity_mismatch")
    await until(lambda: window.outcome is not None and settled(window))
    from assistant.practice.scenarios import load_scenario

    keys = [k.key for k in load_scenario("parity_mismatch").keys]
    assert not _leaks(window, tmp_path, *keys)
    settings = (tmp_path / "settings.ini").read_text(encoding="latin-1")
    assert "parity_mismatch" in settings  # the last practice account is remembered
    assert "acct_" not in settings and "cus_" not in settings


async def test_revealing_is_explicit_and_reversible(qtbot, tmp_path) -> None:
    window = make_window(qtbot, tmp_path)
    field = window.connect_page.key_field
    paste_key(field, "sk_live_abcdefgh12345678")
    assert field.echoMode() == QLineEdit.EchoMode.Password
    field.reveal_action.trigger()
    assert field.echoMode() == QLineEdit.EchoMode.Normal
    assert field.reveal_action.toolTip() == "Hide the key"
    field.reveal_action.trigger()
    assert field.echoMode() == QLineEdit.EchoMode.Password
    assert not _leaks(window, tmp_path, "sk_live_abcdefgh12345678")
    assert "sk_live_abcdefgh12345678" not in window.windowTitle()


async def test_the_leak_finder_itself_finds_a_planted_key(qtbot, tmp_path) -> None:
    from PySide6.QtWidgets import QLabel

    window = make_window(qtbot, tmp_path)
    planted = QLabel("sk_test_planted_9999", window.pages[3])
    assert _leaks(window, tmp_path, "sk_test_planted_9999")
    planted.setText("")
    window.sidebar.item(2).setToolTip("sk_test_planted_9999")
    assert _leaks(window, tmp_path, "sk_test_planted_9999") == ["ChecklistSidebar#?.itemtip2"]
