"""The seven checklist steps, in order. The only place that imports the step pages, so a page
that is missing or broken degrades to a placeholder instead of stopping the window.

Importing this module imports no step page: the window builds Connect for its first paint and
the others when they are first needed (`build_page`); `preload()` imports their modules (and
what they pull in: the diagnosis, the knowledge base, Jinja2) on a worker thread meanwhile.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from assistant.knowledge import checklist
from assistant.ui.kit.plain import plain_tooltip
from assistant.ui.pages.base import StepPage

if TYPE_CHECKING:
    from assistant.diagnosis.run import RunOutcome

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StepSpec:
    """A declared step and the page that renders it (module `assistant.ui.pages.<step id>`,
    class named by the module's `PAGE`)."""

    step_id: str
    title: str
    module: str
    cls: str
    check_ids: tuple[str, ...]


def _spec(step: checklist.Step) -> StepSpec:
    return StepSpec(step.id, step.title, f"{PAGES_PACKAGE}.{step.id}", "PAGE",
                    checklist.checks_for_step(step.id))


PAGES_PACKAGE = "assistant.ui.pages"
# The steps as declared in resources/checks.json, in checklist order.
STEPS: tuple[StepSpec, ...] = tuple(_spec(s) for s in checklist.steps())
STEP_IDS: tuple[str, ...] = tuple(s.step_id for s in STEPS)


class PlaceholderPage(StepPage):
    """Stands in for a step page that could not be loaded; says so plainly."""

    def __init__(self, spec: StepSpec, reason: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.step_id = spec.step_id
        heading = QLabel(f"<h2>{spec.title}</h2>", self)
        body = QLabel(
            "This step's page is not available in this build. Its checks still run, and their "
            "results appear in the checklist and the report.",
            self,
        )
        body.setWordWrap(True)
        self.setToolTip(plain_tooltip(reason))
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(body)
        layout.addStretch(1)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)

    def show_outcome(self, outcome: RunOutcome | None) -> None:
        pass


PageFactory = Callable[[StepSpec], StepPage]


def _import_page(spec: StepSpec, **kwargs: object) -> StepPage:
    try:
        module = importlib.import_module(spec.module)
        cls = getattr(module, spec.cls)
    except Exception as err:  # not written yet, or broken: the shell still opens
        log.warning("step page %s unavailable: %s", spec.step_id, type(err).__name__)
        return PlaceholderPage(spec, f"{spec.module}.{spec.cls} could not be loaded ({type(err).__name__}).")
    try:
        page: StepPage = cls(**kwargs) if kwargs else cls()
    except Exception as err:
        log.warning("step page %s failed to build: %s", spec.step_id, type(err).__name__)
        return PlaceholderPage(spec, f"{spec.cls} could not be built ({type(err).__name__}).")
    if page.step_id != spec.step_id:
        log.warning("step page %s declares step %r", spec.step_id, page.step_id)
        return PlaceholderPage(spec, f"{spec.module} renders step {page.step_id!r}, not {spec.step_id!r}.")
    return page


def build_page(step_id: str, **kwargs: object) -> StepPage:
    """One step's page (a placeholder if its module is missing or broken)."""
    return _import_page(spec_for(step_id), **kwargs)


def spec_for(step_id: str) -> StepSpec:
    return next(s for s in STEPS if s.step_id == step_id)


# Modules the later pages, talk tracks and the glossary need, heaviest first. Importing them is
# pure Python work (no Qt objects are created), so a worker thread can do it after the first paint.
PRELOAD_MODULES: tuple[str, ...] = (
    "assistant.diagnosis.run",
    "assistant.ui.results.talk_track",
    "assistant.ui.glossary.dock",
    *(s.module for s in STEPS if s.step_id != "connect"),
)


def preload() -> None:
    """Import every page's module and load the knowledge base (call on a worker thread)."""
    for name in PRELOAD_MODULES:
        try:
            importlib.import_module(name)
        except Exception as err:  # the page will say so when it is built
            log.debug("preloading %s failed: %s", name, type(err).__name__)
    try:
        from assistant.knowledge.base import default_knowledge

        default_knowledge()
    except Exception as err:
        log.debug("preloading the knowledge base failed: %s", type(err).__name__)


def build_pages(connect_kwargs: dict[str, object] | None = None) -> list[StepPage]:
    """The seven pages in checklist order. `connect_kwargs` goes to ConnectPage only."""
    pages: list[StepPage] = []
    for spec in STEPS:
        kwargs = (connect_kwargs or {}) if spec.step_id == "connect" else {}
        pages.append(_import_page(spec, **kwargs))
    return pages


def check_ids_for(page: StepPage) -> tuple[str, ...]:
    """The checks a page's sidebar entry sums up (empty for the report = every check)."""
    return checklist.checks_for_step(page.step_id)


def check_ids_for_step(step_id: str, page: StepPage | None = None) -> tuple[str, ...]:
    """The same for a step whose page may not be built yet."""
    return checklist.checks_for_step(step_id)


def make_talk_track(step_id: str) -> QWidget | None:
    """The shared talk-track panel for a step, or None when it is not available."""
    try:
        from assistant.ui.results.talk_track import TalkTrackPanel

        return TalkTrackPanel(step_id)
    except Exception as err:
        log.warning("talk track unavailable: %s", type(err).__name__)
        return None
