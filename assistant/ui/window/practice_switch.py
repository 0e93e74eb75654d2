"""Practice accounts in the window: serve one on 127.0.0.1, send the runs there, fill in its
keys, customer and return URL; and leave it (server stopped, runs sent to Stripe again) once
the agent types a key of their own."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings

from assistant.ui.fix.controller import FixController
from assistant.ui.pages.connect import ConnectPage
from assistant.ui.practice.host import PracticeHost
from assistant.ui.state.run_controller import RunController
from assistant.ui.state.window_state import PracticeAccount, WindowState
from assistant.ui.window.support import FactoryMaker

LAST_PRACTICE = "practice/last"  # the settings key: the picker offers it first next time


class PracticeSwitch:
    """Opens and leaves practice accounts for the window; `run` starts the checks."""

    def __init__(self, host: PracticeHost, runs: RunController, fixes: FixController, state: WindowState,
                 connect: ConnectPage, settings: QSettings, factory_maker: FactoryMaker,
                 api_base: str | None, *, clear_results: Callable[[], None], run: Callable[[], object],
                 identity_changed: Callable[[], None]) -> None:
        self._host, self._runs, self._fixes, self._state = host, runs, fixes, state
        self._connect, self._settings = connect, settings
        self._factory_maker, self._api_base = factory_maker, api_base
        self._clear_results, self._run, self._identity_changed = clear_results, run, identity_changed

    @property
    def active(self) -> bool:
        """A practice account is served and its keys are the ones in the fields."""
        return self._connect.practice_active and self._host.server is not None

    def open(self, name: str, *, run: bool = True) -> bool:
        """Serve a practice account locally, fill its keys in and (by default) run every check.
        Opening one again starts it afresh: every fix made on it is gone."""
        if self._runs.busy or self._fixes.busy:
            return False
        try:
            account = self._host.open(name)
        except LookupError as err:
            self._connect.show_failure(str(err))
            return False
        except OSError as err:
            self._connect.show_failure(f"The practice account could not start ({type(err).__name__}).")
            return False
        scenario = account.scenario
        self._runs.set_gateway_factory(self._factory_maker(account.base_url))
        self._state.set_practice(PracticeAccount(name, scenario.title, scenario.customer, scenario.return_url,
                                                 scenario.connected_account))
        self._connect.select_scenario(name)
        self._connect.set_practice(scenario.title, scenario.primary_key, scenario.second_key)
        self._settings.setValue(LAST_PRACTICE, name)
        self._clear_results()
        if run:
            self._run()
        return True

    def save_portal_settings(self, mode: str) -> bool:
        """The practice server plays the owner pressing Save on the portal settings (guided fix)."""
        return self.active and self._host.save_portal_settings(mode)

    def leave(self) -> None:
        self._host.close()
        self._state.set_practice(None)
        self._runs.set_gateway_factory(self._factory_maker(self._api_base))
        self._identity_changed()

    def leave_if_typed_over(self) -> None:
        """The agent typed a key of their own over the practice account's: stop serving it."""
        if not self._connect.practice_active and self._host.server is not None:
            self.leave()
