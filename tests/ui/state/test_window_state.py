"""The window's parts talk through one WindowState: pages take what it holds when they attach, then
follow its signals; nobody replays state into a page or asks a page what it holds."""

from __future__ import annotations

from support.ui_outcomes import FakeClipboard, run_scenario

from assistant.ui.pages import registry as page_registry
from assistant.ui.pages.base import Page
from assistant.ui.state.window_state import PortalLink, PracticeAccount, WindowState


def _built(qtbot, step_id: str, state: WindowState, own: bool = True):  # type: ignore[no-untyped-def]
    kwargs = {"clipboard": FakeClipboard()} if step_id != "connect" else {}
    page = page_registry.build_page(step_id, **kwargs)
    if own:
        qtbot.addWidget(page)
    page.attach(state)
    return page


async def test_a_page_built_late_takes_the_state_it_missed(qtbot) -> None:
    outcome, scenario = await run_scenario("archived_product")
    state = WindowState()
    state.set_practice(PracticeAccount("archived_product", scenario.title, scenario.customer,
                                         "https://example.com/back"))
    state.set_outcome(outcome)
    state.set_portal_link(PortalLink("https://billing.stripe.com/p/session/test_x", 1e12, scenario.customer))
    state.set_busy(True)

    customer = _built(qtbot, "customer", state)
    assert customer.customer_query() == scenario.customer
    assert customer.customer_id() == scenario.customer  # the outcome, rendered
    assert customer.portal_link.text().endswith("test_x")
    assert not customer.find_button.isEnabled()  # busy
    return_url = _built(qtbot, "return_url", state)
    assert return_url.return_url() == "https://example.com/back"

    state.set_busy(False)
    assert customer.find_button.isEnabled()
    state.set_portal_link(None)
    assert customer.portal_link.text() == ""
    state.set_portal_link(PortalLink("https://billing.stripe.com/p/session/test_y", 1e12, "cus_other"))
    assert customer.portal_link.text() == ""  # someone else's link is never shown here


async def test_what_the_agent_types_goes_to_the_window_state_and_requests_go_through_it(qtbot) -> None:
    outcome, scenario = await run_scenario("archived_product")
    state = WindowState()
    state.set_outcome(outcome)
    customer = _built(qtbot, "customer", state)
    report = _built(qtbot, "report", state)
    customer.set_customer_query("sam@customer.example")
    report.ticket_field.setText("ZD-1")
    report.notes_field.setPlainText("called back")
    assert state.inputs.customer == "sam@customer.example"
    assert (state.inputs.ticket, state.inputs.notes) == ("ZD-1", "called back")

    with qtbot.waitSignal(state.run_requested) as run:
        customer.find_button.click()
    assert run.args == ["customer"]
    with qtbot.waitSignal(state.portal_requested) as portal:
        customer.open_portal_button.click()
    assert portal.args == [customer.customer_id()]
    with qtbot.waitSignal(state.notes_committed):
        report.copy_report()


async def test_a_hidden_page_renders_the_newest_outcome_when_shown(qtbot) -> None:
    from PySide6.QtWidgets import QStackedWidget

    first, _ = await run_scenario("healthy")
    second, _ = await run_scenario("archived_product")
    state = WindowState()
    stack = QStackedWidget()
    qtbot.addWidget(stack)
    connect = _built(qtbot, "connect", state, own=False)  # the stack owns them
    products = _built(qtbot, "products", state, own=False)
    stack.addWidget(connect)
    stack.addWidget(products)
    stack.show()
    seen: list[object] = []
    original = products.show_outcome
    products.show_outcome = lambda o: (seen.append(o), original(o))  # type: ignore[method-assign]
    state.set_outcome(first)
    state.set_outcome(second)
    assert seen == [] and products.outcome_pending
    stack.setCurrentWidget(products)
    assert seen == [second] and not products.outcome_pending


def test_every_page_meets_the_page_protocol(qtbot) -> None:
    state = WindowState()
    for spec in page_registry.STEPS:
        page = page_registry.build_page(spec.step_id)
        qtbot.addWidget(page)
        typed: Page = page  # what the window relies on, and nothing else
        typed.attach(state)
        assert typed.step_id == spec.step_id and typed.title == spec.title
        assert typed.check_ids == spec.check_ids
