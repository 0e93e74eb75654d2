"""The call's commands that act on a step from anywhere in the window, one key each: Fix the
first problem… (Ctrl+Shift+F), Check again (Ctrl+Shift+R) and Open customer portal
(Ctrl+Shift+P). Each does what its button on a page does, so the agent never has to Tab to it.
"""

from __future__ import annotations

from collections.abc import Callable

from assistant.diagnosis.checks.customer import CID_FOUND, chosen_id
from assistant.knowledge import checklist
from assistant.ui.state.window_state import WindowState
from assistant.ui.window.actions import WindowActions


class StepCommands:
    """`current_row` says which step is on screen (the checklist's row); `go_to_step` shows one; `say` answers when
    there is nothing to do, so a key is never pressed in vain."""

    def __init__(self, state: WindowState, actions: WindowActions, *, current_row: Callable[[], int],
                 go_to_step: Callable[[str], None], check_again: Callable[[], None],
                 open_portal: Callable[[str], None], say: Callable[[str], None]) -> None:
        self._state = state
        actions.check_again.triggered.connect(self.check_again)
        actions.fix_first.triggered.connect(self.fix_first)
        actions.open_portal.triggered.connect(self.open_portal)
        self._current_row = current_row
        self._go_to_step = go_to_step
        self._check_again = check_again
        self._open_portal = open_portal
        self._say = say

    def first_fixable(self) -> str | None:
        """The check whose fix one key opens: the step on screen's first, else the checklist's."""
        fixes = self._state.fixes
        if fixes is None or fixes.plan is None or fixes.working:
            return None
        here = checklist.checks_for_step(checklist.step_ids()[max(0, self._current_row())])
        ordered = list(here) + [cid for cid in checklist.check_ids() if cid not in here]
        return next((cid for cid in ordered if fixes.fix_for(cid) is not None), None)

    # Slots return None (PySide6 mishandles slots that return a bool).
    def fix_first(self, *_args: object) -> None:
        if self._state.busy:  # as the cards' Fix… buttons: the plan belongs to the run before
            self._say("Wait for the checks to finish, then fix.")
            return
        check_id = self.first_fixable()
        if check_id is None:
            self._say("No fix to offer now: run the checks, or wait for the change under way.")
            return
        self._go_to_step(checklist.step_of(check_id))
        self._state.request_fix(check_id)

    def check_again(self, *_args: object) -> None:
        self._check_again()

    def open_portal(self, *_args: object) -> None:
        """On the customer step, where the session link (or why Stripe refused) is shown."""
        customer = self.customer_found()
        self._go_to_step("customer")
        if self._state.busy:  # as the page's button: who the portal is for may be changing
            self._say("Wait for the checks to finish, then open the portal.")
            return
        if customer is None:
            self._say("No customer to open the portal for: type the customer's e-mail or cus_ id, then Find.")
            return
        self._open_portal(customer)

    def customer_found(self) -> str | None:
        """The customer the last run chose (the one the portal opens for)."""
        outcome = self._state.outcome
        found = outcome.diagnosis.check(CID_FOUND) if outcome is not None else None
        return chosen_id(found) if found is not None else None
