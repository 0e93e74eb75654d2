"""Return URL step: the owner's URL is judged as it is typed, and handed to the next run."""

from __future__ import annotations

from support.ui_outcomes import run_scenario

from assistant.ui.pages.return_url import ReturnUrlPage, assess_return_url


async def test_field_flags_bad_url_and_accepts_good_one(qtbot) -> None:
    outcome, _ = await run_scenario("archived_product")
    page = ReturnUrlPage()
    qtbot.addWidget(page)
    page.show_outcome(outcome)
    assert page.default_url.text() == "https://app.practice.example/account"

    seen: list[str] = []
    page.return_url_changed.connect(lambda url: seen.append(url))
    qtbot.keyClicks(page.url_field, "ftp://x")
    assert seen[-1] == "ftp://x"
    assert page.verdict_word.text() == "INVALID"
    assert "https://" in page.verdict.text()
    assert not page.verdict_icon.pixmap().isNull()

    page.url_field.clear()
    qtbot.keyClicks(page.url_field, "  https://example.com/account")
    assert page.verdict_word.text() == "OK"
    assert page.return_url() == "https://example.com/account"


async def test_live_mode_warns_for_http_and_localhost(qtbot) -> None:
    outcome, _ = await run_scenario("live_key")
    page = ReturnUrlPage()
    qtbot.addWidget(page)
    page.show_outcome(outcome)
    page.set_return_url("http://example.com/account")
    assert page.verdict_word.text() == "WARNING"
    assert "http://" in page.verdict.text()
    page.set_return_url("https://localhost:3000/account")
    assert page.verdict_word.text() == "WARNING"
    assert "localhost" in page.verdict.text()


def test_assess_rules() -> None:
    assert assess_return_url("", "test").status is None
    assert assess_return_url("example.com/account", "test").status.value == "fail"
    assert assess_return_url("https://exa mple.com", "test").status.value == "fail"
    assert assess_return_url("https://", "test").status.value == "fail"
    assert assess_return_url("http://localhost:3000", "test").status.value == "pass"
    assert assess_return_url("https://[::1", "live").status.value == "fail"


async def test_enter_asks_for_a_run_with_the_url(qtbot) -> None:
    outcome, _ = await run_scenario("no_return_url")
    page = ReturnUrlPage()
    qtbot.addWidget(page)
    page.show_outcome(outcome)
    assert "None set" in page.default_url.text()
    assert page.cards["portal.return_url"].result.status.value == "fail"
    page.set_return_url("https://example.com/account")
    with qtbot.waitSignal(page.rerun_requested) as rerun:
        qtbot.keyClick(page.url_field, "\r")
    assert rerun.args == ["return_url"]
    fixed, _ = await run_scenario("no_return_url", return_url=page.return_url())
    page.show_outcome(fixed)
    assert page.cards["portal.return_url"].result.status.value == "pass"
