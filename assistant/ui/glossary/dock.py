"""The glossary pane: search the owner's own words, read a term or a known problem, follow links.

Entries come from `assistant.knowledge.base` and are rendered by `assistant.knowledge.html`, whose links
(`term:NAME`, `trouble:ID`) navigate inside the pane; https links go to the window, which opens
them in the browser. Back returns to the previous entry, like a help browser.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QSplitter,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from assistant.diagnosis.checks.registry import CHECK_IDS
from assistant.knowledge import checklist
from assistant.knowledge.base import KnowledgeBase, SearchHit, default_knowledge
from assistant.knowledge.html import (
    parse_link,
    render_entry,
    render_term,
    term_href,
    trouble_href,
)
from assistant.ui.glossary.pane import GlossaryPane
from assistant.ui.kit.plain import plain_tooltip

_KIND = {"term": "Term", "trouble": "Problem"}
_KEY_ROLE = Qt.ItemDataRole.UserRole
RESULT_ROWS = 8  # the results list keeps room for this many rows (fewer when fewer are found)
PLACEHOLDER = "<p>Type what the owner said, or click a term on a result card.</p>"


class GlossaryDock(GlossaryPane):
    """Glossary and troubleshooting pane. `show_term(name)` / `show_reference(ref)` open an entry."""

    reference_shown = Signal(str)  # the reference now displayed ("term:…", "trouble:…", "check:…")

    def __init__(
        self,
        knowledge: KnowledgeBase | None = None,
        parent: QWidget | None = None,
        result_limit: int = 15,
    ) -> None:
        super().__init__("Glossary", parent)
        self.setObjectName("glossaryDock")
        self._kb = knowledge or default_knowledge()
        self._limit = result_limit
        self._history: list[str] = []
        self._current = ""
        self._found = False
        self._build_search()
        entry_box = self._build_entry()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.results)
        splitter.addWidget(entry_box)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(self.search_field)
        layout.addWidget(splitter, 1)
        self.setWidget(content)
        self.search_field.installEventFilter(self)  # Down: into the results
        self.results.installEventFilter(self)  # Up on the first result: back to the search
        self.watch_escape(self.search_field, self.results, self.view, self.back_button)
        self._search("")
        self.view.setHtml(PLACEHOLDER)

    # -- building ------------------------------------------------------------------------------
    def _build_search(self) -> None:
        """The search field (the owner's words) and the list of what it finds."""
        self.search_field = QLineEdit()
        self.search_field.setPlaceholderText("Search in the owner's words, e.g. “link expired”")
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setAccessibleName("Search the glossary")
        self.search_field.textChanged.connect(self._search)
        self.search_field.textEdited.connect(self._new_search)
        self.search_field.returnPressed.connect(self._open_first)

        self.results = QListWidget()
        self.results.setAccessibleName("Search results")
        self.results.setWordWrap(True)
        self.results.itemActivated.connect(self._open_item)
        self.results.itemClicked.connect(self._open_item)
        # Walking the results with the arrow keys shows each entry as it is reached: no Enter.
        self.results.currentItemChanged.connect(self._open_current)

    def _build_entry(self) -> QWidget:
        """The open entry under Back and where it is."""
        self.back_button = QToolButton()
        self.back_button.setText("← Back")
        self.back_button.setToolTip("Back to the previous entry")
        self.back_button.clicked.connect(self.back)
        self.back_button.setEnabled(False)
        self.location = QLabel("")
        self.location.setTextFormat(Qt.TextFormat.PlainText)  # the words the agent searched for
        self.location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Wrapped, so a long entry title never widens the pane (the page would be squeezed).
        self.location.setWordWrap(True)
        self.location.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        nav = QHBoxLayout()
        nav.setContentsMargins(0, 0, 0, 0)
        nav.addWidget(self.back_button)
        nav.addWidget(self.location, 1)

        self.view = QTextBrowser()
        self.view.setOpenLinks(False)
        self.view.setOpenExternalLinks(False)
        self.view.setAccessibleName("Glossary entry")
        self.view.anchorClicked.connect(self._on_anchor)

        entry_box = QWidget()
        entry_layout = QVBoxLayout(entry_box)
        entry_layout.setContentsMargins(0, 0, 0, 0)
        entry_layout.addLayout(nav)
        entry_layout.addWidget(self.view, 1)
        return entry_box

    # -- public --------------------------------------------------------------------------------
    # These are slots: they return None (PySide6 mishandles slots that return a bool).
    def show_term(self, name: str) -> None:
        """Open a term by name or synonym; when there is none, search for the words instead.

        A check id or a "trouble:"/"term:" link is passed on to `show_reference`, so a caller
        that only knows `show_term` still reaches the right entry.
        """
        if parse_link(name) is not None or name in CHECK_IDS or name.startswith("check:"):
            self.show_reference(name)
        else:
            self.show_reference(term_href(name))

    def show_reference(self, ref: str) -> None:
        """Open "term:NAME", "trouble:ID", a bare term name, or a check id (its problems)."""
        ref = (ref or "").strip()
        self._found = False
        if not ref:
            return
        html_text, canonical = self._render(ref)
        if html_text is None:
            link = parse_link(ref)
            words = link[1] if link else ref
            self.search_field.setText(words)
            self.view.setHtml(f"<p>No glossary entry for “{html.escape(words)}”; see the search "
                              "results above.</p>")
            self._reveal()
            return
        self._found = True
        self._go(canonical, html_text)

    def found(self) -> bool:
        """Whether the last show_term/show_reference found an entry."""
        return self._found

    def back(self) -> None:
        if not self._history:
            return
        ref = self._history.pop()
        html_text, canonical = self._render(ref)
        self._current = canonical
        self.view.setHtml(html_text or "")
        self._after_navigation()

    def current_reference(self) -> str:
        return self._current

    def entry_text(self) -> str:
        """The entry as plain text (what the agent reads)."""
        return self.view.toPlainText()

    def result_texts(self) -> list[str]:
        return [self.results.item(i).text() for i in range(self.results.count())]

    def search(self, query: str) -> None:
        self.search_field.setText(query)

    def focus_search(self) -> None:
        """The cursor in the search field with its words selected, so typing replaces them."""
        self.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.results and event.type() == QEvent.Type.Resize:
            self._fit_results()  # rows wrap to the new width: their height changes
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if watched is self.search_field and event.key() == Qt.Key.Key_Down:
                self._enter_results()
                return True
            if watched is self.results and event.key() == Qt.Key.Key_Up and self.results.currentRow() <= 0:
                self.focus_search()
                return True
        return super().eventFilter(watched, event)

    def _enter_results(self) -> None:
        first = next((i for i in range(self.results.count())
                      if self.results.item(i).flags() & Qt.ItemFlag.ItemIsEnabled), None)
        if first is None:
            return
        self.results.setFocus(Qt.FocusReason.TabFocusReason)
        self.results.setCurrentRow(first)

    # -- internals -----------------------------------------------------------------------------
    def _render(self, ref: str) -> tuple[str | None, str]:
        link = parse_link(ref)
        kind: str
        if link is not None:
            kind, key = link
        elif ref.startswith("check:") or ref in CHECK_IDS:
            kind, key = "check", ref.removeprefix("check:")
        else:
            kind, key = "term", ref
        if kind == "term":
            term = self._kb.term(key)
            return (render_term(term), term_href(term.name)) if term else (None, ref)
        if kind == "trouble":
            entry = self._kb.entry(key)
            return (render_entry(entry), trouble_href(entry.id)) if entry else (None, ref)
        entries = self._kb.entries_for_check(key)
        if not entries:
            return None, ref
        if len(entries) == 1:
            return render_entry(entries[0]), trouble_href(entries[0].id)
        rows = "".join(
            f'<li><a href="{html.escape(trouble_href(e.id), quote=True)}">{html.escape(e.title)}</a>'
            f": {html.escape(e.cause, quote=False)}</li>" for e in entries
        )
        return (f"<h3>Known causes: {html.escape(_check_title(key))}</h3><ul>{rows}</ul>",
                f"check:{key}")

    def _go(self, ref: str, html_text: str) -> None:
        if self._current and self._current != ref:
            self._history.append(self._current)
        self._current = ref
        self.view.setHtml(html_text)
        self._after_navigation()
        self._reveal()

    def _after_navigation(self) -> None:
        self.back_button.setEnabled(bool(self._history))
        self.location.setText(self._describe(self._current))
        self.reference_shown.emit(self._current)

    def _describe(self, ref: str) -> str:
        """"Term: Portal Session", "Problem: <title>" or "Known causes: <check title>" for the
        navigation bar (the check's title, never its id)."""
        link = parse_link(ref)
        if link is None:
            return f"Known causes: {_check_title(ref.removeprefix('check:'))}" if ref else ""
        kind, key = link
        if kind == "trouble":
            entry = self._kb.entry(key)
            return f"Problem: {entry.title if entry else key}"
        return f"Term: {key}"

    def _reveal(self) -> None:
        # Inside the window: make sure the pane is visible. A dock without a window (tests) stays put.
        if self.parentWidget() is not None and self.isHidden():
            self.show()
        if self.parentWidget() is not None:
            self.raise_()

    def _search(self, query: str) -> None:
        self.results.clear()
        if query.strip():
            hits = self._kb.search(query, self._limit)
        else:
            hits = [SearchHit("term", t.name, t.name, 0.0, "") for t in
                    sorted(self._kb.terms, key=lambda t: t.name.casefold())]
        if not hits:
            item = QListWidgetItem("No matches. Try the owner's own words, or a shorter phrase.")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.results.addItem(item)
            return
        for hit in hits:
            item = QListWidgetItem(f"{_KIND[hit.kind]}: {hit.title}")
            if hit.snippet:
                item.setToolTip(plain_tooltip(hit.snippet))
            href = term_href(hit.key) if hit.kind == "term" else trouble_href(hit.key)
            item.setData(_KEY_ROLE, href)
            self.results.addItem(item)
        self._fit_results()

    def _open_item(self, item: QListWidgetItem) -> None:
        ref = item.data(_KEY_ROLE)
        if ref:
            self.show_reference(str(ref))

    def _open_current(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None = None) -> None:
        if item is not None and self.results.hasFocus():
            self._open_item(item)

    def _new_search(self, _text: str) -> None:
        """The agent typed new words: the entry shown answered the old ones. It is cleared (and
        one Back away), so the pane never shows an entry its results no longer list."""
        if self._current:
            self._history.append(self._current)
        self._current = ""
        self.view.setHtml(PLACEHOLDER)
        self._after_navigation()

    def _fit_results(self) -> None:
        """Room for RESULT_ROWS rows (or all, when fewer): the list is what the agent reads first.
        Never more than a third of the screen, so the pane cannot make the window taller than it."""
        results = self.results
        rows = min(results.count(), RESULT_ROWS)
        results.doItemsLayout()  # the rows' heights at the list's width (words wrap)
        tall = sum(results.visualItemRect(results.item(r)).height() + 2 * results.spacing() for r in range(rows))
        screen = self.screen()
        cap = screen.availableGeometry().height() // 3 if screen is not None else tall  # a small screen
        results.setMinimumHeight(max(min(tall, cap) + 2 * results.frameWidth(), results.fontMetrics().height() * 2))

    def _open_first(self) -> None:
        if self.results.count():
            self._open_item(self.results.item(0))

    def _on_anchor(self, url: QUrl) -> None:
        href = url.toString(QUrl.ComponentFormattingOption.FullyEncoded)
        if parse_link(href) is not None:
            self.show_reference(href)
        elif url.scheme() == "https":
            self.open_url_requested.emit(href)


def _check_title(check_id: str) -> str:
    return checklist.check_title(check_id)
