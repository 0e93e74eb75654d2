"""What to ask, say and watch out for at one step, shown above the step's results.

The words come from `resources/knowledge/talk_tracks.json`, so the panel only lays them out; it is
a collapsible group so an experienced agent can fold it away and keep the results in view.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from assistant.knowledge.base import KnowledgeBase, TalkTrack, default_knowledge
from assistant.ui.kit.flow_layout import FlowLayout
from assistant.ui.kit.widgets import Disclosure, TermLink
from assistant.ui.results.card import emitter

_SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse  # read, not acted on: no Tab stop


def talk_track_html(track: TalkTrack) -> str:
    def section(label: str, items: tuple[str, ...]) -> str:
        if not items:
            return ""
        rows = "".join(f"<li>{html.escape(item, quote=False)}</li>" for item in items)
        return f"<p><b>{html.escape(label)}</b></p><ul>{rows}</ul>"

    return (section("Ask", track.ask) + section("Say", track.say)
            + section("Watch out", track.watch_out))


class TalkTrackPanel(QWidget):
    """Talk track of one step, under a disclosure button that folds it to one line."""

    glossary_requested = Signal(str)
    toggled_by_agent = Signal(bool)  # only for clicks or key presses, not `set_expanded`

    def __init__(
        self,
        step_id: str,
        knowledge: KnowledgeBase | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._step_id = step_id
        self._knowledge = knowledge or default_knowledge()
        self._track = self._knowledge.talk_track(step_id)

        self._header = Disclosure(f"Talk track: {self._track.title}" if self._track else "Talk track",
                                  bold=True)
        self._header.setChecked(True)
        self._header.setToolTip("Show or fold what to ask and say at this step")
        self._header.setAccessibleName("Talk track")
        self._header.toggled.connect(self._fold)
        self._header.clicked.connect(self.toggled_by_agent)

        self._content = QFrame()
        self._content.setFrameShape(QFrame.Shape.StyledPanel)
        self._text = QLabel()
        self._text.setWordWrap(True)
        self._text.setTextFormat(Qt.TextFormat.RichText)
        self._text.setTextInteractionFlags(_SELECTABLE)
        self._text.setText(talk_track_html(self._track) if self._track
                           else "No talk track for this step.")
        chips_box = QWidget()
        chips = FlowLayout(chips_box)
        self._chips: list[QToolButton] = []
        if self._track and self._track.terms:
            chips.addWidget(QLabel("Terms:"))
            for term in self._track.terms:
                chip = TermLink(term)
                chip.clicked.connect(emitter(self.glossary_requested, term))
                chips.addWidget(chip)
                self._chips.append(chip)
        inner = QVBoxLayout(self._content)
        inner.addWidget(self._text)
        inner.addWidget(chips_box)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._header, 0, Qt.AlignmentFlag.AlignLeft)
        outer.addWidget(self._content)
        self._fold(True)

    def _fold(self, expanded: bool) -> None:
        self._content.setVisible(expanded)

    @property
    def track(self) -> TalkTrack | None:
        return self._track

    def text(self) -> str:
        return self._text.text()

    def term_chips(self) -> list[QToolButton]:
        return list(self._chips)

    def is_expanded(self) -> bool:
        return self._header.isChecked()

    def set_expanded(self, expanded: bool) -> None:
        self._header.setChecked(expanded)
