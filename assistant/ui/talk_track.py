"""What to ask, say and watch out for at one step, shown above the step's results.

The words come from `resources/knowledge/talk_tracks.json`, so the panel only lays them out; it is
a collapsible group so an experienced agent can fold it away and keep the results in view.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from assistant.knowledge import KnowledgeBase, TalkTrack, default_knowledge
from assistant.ui.check_card import emitter

_SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard


def talk_track_html(track: TalkTrack) -> str:
    def section(label: str, items: tuple[str, ...]) -> str:
        if not items:
            return ""
        rows = "".join(f"<li>{html.escape(item, quote=False)}</li>" for item in items)
        return f"<p><b>{html.escape(label)}</b></p><ul>{rows}</ul>"

    return (section("Ask", track.ask) + section("Say", track.say)
            + section("Watch out", track.watch_out))


class TalkTrackPanel(QGroupBox):
    """Talk track of one step. Click the title's check box to fold it (`set_expanded`)."""

    glossary_requested = Signal(str)

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
        self.setCheckable(True)
        self.setChecked(True)
        self.setTitle(f"Talk track: {self._track.title}" if self._track else "Talk track")
        self.setToolTip("Untick to fold the talk track away")

        self._content = QWidget()
        self._text = QLabel()
        self._text.setWordWrap(True)
        self._text.setTextFormat(Qt.TextFormat.RichText)
        self._text.setTextInteractionFlags(_SELECTABLE)
        self._text.setText(talk_track_html(self._track) if self._track
                           else "No talk track for this step.")
        chips = QHBoxLayout()
        chips.setContentsMargins(0, 0, 0, 0)
        self._chips: list[QToolButton] = []
        if self._track and self._track.terms:
            chips.addWidget(QLabel("Terms:"))
            for term in self._track.terms:
                chip = QToolButton()
                chip.setText(term)
                chip.setToolTip(f"Explain “{term}” in the glossary")
                chip.clicked.connect(emitter(self.glossary_requested, term))
                chips.addWidget(chip)
                self._chips.append(chip)
            chips.addStretch(1)
        inner = QVBoxLayout(self._content)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(self._text)
        inner.addLayout(chips)
        outer = QVBoxLayout(self)
        outer.addWidget(self._content)
        # A checkable group box would only grey its children out; folding should hide them.
        self.toggled.connect(self._content.setVisible)

    @property
    def track(self) -> TalkTrack | None:
        return self._track

    def text(self) -> str:
        return self._text.text()

    def term_chips(self) -> list[QToolButton]:
        return list(self._chips)

    def is_expanded(self) -> bool:
        return self.isChecked()

    def set_expanded(self, expanded: bool) -> None:
        self.setChecked(expanded)
