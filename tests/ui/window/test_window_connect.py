"""Issue 23 in the window: a connected account typed on the Connect step (every request carries
Stripe-Account), an acct_ customer in the customer field, over real HTTP."""

from __future__ import annotations

from support.practice import practice
from support.window import Recorder, make_window, paste_key, run_and_wait, sidebar_words, until

from assistant.diagnosis.model import Status

STUDIO = "acct_1SunLoftYoga7Kqz"
MEMBER = "acct_1Qy7MiraK4fRzPa2"


async def test_a_connected_account_typed_on_connect_is_what_every_request_acts_as(qtbot, tmp_path) -> None:
    with practice("connected_account") as (scenario, server):
        window = make_window(qtbot, tmp_path, api_base=server.base_url)
        page = window.connect_page
        paste_key(page.key_field, scenario.primary_key)
        page.connected_field.setText(STUDIO)
        assert window.state.inputs.connected_account == STUDIO
        assert page.connected_status.icon_name == "info" and STUDIO in page.connected_status.text()
        await run_and_wait(window)
        assert set(server.request_accounts) == {STUDIO}
        diagnosis = window.outcome.diagnosis
        assert diagnosis.connected_account == STUDIO
        assert diagnosis.check("portal.configuration").status is Status.FAIL  # type: ignore[union-attr]
        assert sidebar_words(window)["configuration"] == "1 problem"
        assert page.result.text() == (f"Connected to Sunrise Loft Yoga ({STUDIO}), TEST mode, the platform's "
                                      "key sk_test_…4242, acting as this connected account.")
        configuration = window.pages[window.step_index("configuration")]
        assert configuration.portal_settings_url() == (
            f"https://dashboard.stripe.com/{STUDIO}/test/settings/billing/portal")


async def test_a_practice_account_brings_its_connected_account(qtbot, tmp_path) -> None:
    window = make_window(qtbot, tmp_path)
    assert window.open_practice("connected_account", run=True)
    await until(lambda: window.outcome is not None and not window.controller.busy)
    assert window.connect_page.connected_field.text() == STUDIO
    assert window.outcome.diagnosis.connected_account == STUDIO


async def test_a_connected_account_that_is_not_an_id_stops_the_run_with_a_sentence(qtbot, tmp_path) -> None:
    with practice("connected_account") as (scenario, server):
        window = make_window(qtbot, tmp_path, api_base=server.base_url)
        page = window.connect_page
        paste_key(page.key_field, scenario.primary_key)
        page.connected_field.setText("Sunrise Loft")
        assert page.connected_status.icon_name == "fail"
        assert not window.run_all()
        assert page.result.text() == ("A connected account id starts with acct_ followed by letters and digits "
                                      "only (the platform's Dashboard shows it on the connected account's page).")
        assert server.request_log == []
        page.connected_field.setText("")
        await run_and_wait(window)
        assert set(server.request_accounts) == {None}


async def test_an_acct_customer_is_found_and_her_portal_opens_as_customer_account(qtbot, tmp_path) -> None:
    with practice("account_customer") as (scenario, server):
        opened = Recorder()
        window = make_window(qtbot, tmp_path, api_base=server.base_url, opener=opened.opener)
        paste_key(window.connect_page.key_field, scenario.primary_key)
        window.state.update_inputs(customer=MEMBER)
        await run_and_wait(window)
        found = window.outcome.diagnosis.check("customer.found")
        assert found is not None and found.status is Status.PASS
        assert "e-mail acct_" not in found.summary
        window.request_portal(MEMBER)
        await until(lambda: bool(opened.calls), what="the portal to open")
        [session] = server.sessions.values()
        assert session["customer_account"] == MEMBER
