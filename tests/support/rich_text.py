"""Find every place in a window where Qt would interpret account text as rich text.

Qt renders a QLabel as HTML when its format is RichText (or AutoText and the text "might be rich
text"), and a tooltip whenever `Qt.mightBeRichText` says so. Account data that reaches such a
place unescaped draws bold or huge green type, a link that opens the browser, or an image that
Qt reads from disk on the UI thread (`file:///dev/zero`: the window stops). `rich_sinks` walks
every widget, item, action and message box below a root and lists each rich text that holds the
hostile account's markup (`resources/scenarios/hostile_names.json`) interpreted, as Qt would
render it: the raw markup in the source, and, in the rendered document, an image, a link that
is not one the app builds, or text drawn bold, italic, coloured or resized where the account's
markup asked for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtGui import QAction, QTextCharFormat, QTextDocument
from PySide6.QtGui import Qt as GuiQt  # mightBeRichText lives in QtGui's Qt namespace
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTextEdit,
    QWidget,
)

# The markup the hostile account's names hold (hostile_names.json), each as written there.
HOSTILE_MARKUP = (
    '<img src="file:///dev/zero">',
    '<a href="https://evil.example">',
    "<font size=7 color=green>",
    "<b>Basic</b>", "<b>Main</b>", "<b>Fresh</b>", "<b>mallory</b>", "<i>grace</i>", "Yearly <b>",
)
# Words the hostile markup would draw bold or italic if it were interpreted.
HOSTILE_EMPHASIS = ("Basic", "Main", "Fresh", "mallory", "grace")
SPOOF = "✔ TEST MODE customer"


def is_rich(text: str, text_format: Qt.TextFormat = Qt.TextFormat.AutoText) -> bool:
    """How Qt decides for a label of this format (a tooltip is AutoText)."""
    if text_format == Qt.TextFormat.PlainText:
        return False
    if text_format in (Qt.TextFormat.RichText, Qt.TextFormat.MarkdownText):
        return True
    return bool(GuiQt.mightBeRichText(text))


def _document(source: str, text_format: Qt.TextFormat) -> QTextDocument:
    doc = QTextDocument()
    if text_format == Qt.TextFormat.MarkdownText:
        doc.setMarkdown(source)
    else:
        doc.setHtml(source)
    return doc


def _fragments(doc: QTextDocument) -> Iterator[tuple[str, QTextCharFormat]]:
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.isValid():
                yield fragment.text(), fragment.charFormat()
            it += 1
        block = block.next()


def document_problems(doc: QTextDocument) -> list[str]:
    """What a rendered document shows that only interpreted account markup could have made."""
    found = []
    for text, fmt in _fragments(doc):
        if fmt.isImageFormat():
            found.append(f"an image ({fmt.toImageFormat().name()!r})")
        href = fmt.anchorHref() if fmt.isAnchor() else ""
        if href and ("evil.example" in href or href.lower().startswith("file:")):
            found.append(f"a link to {href!r}")
        styled = fmt.hasProperty(QTextCharFormat.Property.ForegroundBrush) or \
            fmt.hasProperty(QTextCharFormat.Property.FontSizeAdjustment)
        if SPOOF in text and "<font" not in text and styled:
            found.append(f"the spoof drawn as styled text: {text[:60]!r}")
        emphasised = fmt.fontWeight() > 500 or fmt.fontItalic()
        if emphasised and text.strip() in HOSTILE_EMPHASIS:
            found.append(f"account text drawn bold or italic: {text!r}")
    return found


def rich_problems(source: str, text_format: Qt.TextFormat = Qt.TextFormat.AutoText) -> list[str]:
    """Why `source`, shown in this format, interprets the hostile account's markup (or [])."""
    if not is_rich(source, text_format):
        return []
    found = [f"holds {m!r} unescaped" for m in HOSTILE_MARKUP if m in source]
    return found + document_problems(_document(source, text_format))


def _columns(model: QAbstractItemModel, parent: QModelIndex) -> int:
    """A list model keeps columnCount private (its one column)."""
    try:
        return int(model.columnCount(parent))
    except TypeError:
        return 1


def _item_tooltips(view: QAbstractItemView) -> Iterator[tuple[str, str]]:
    model = view.model()
    if model is None:
        return
    role = Qt.ItemDataRole.ToolTipRole
    for orientation in (Qt.Orientation.Horizontal, Qt.Orientation.Vertical):
        root = QModelIndex()
        count = _columns(model, root) if orientation == Qt.Orientation.Horizontal else model.rowCount(root)
        for section in range(count):
            tip = model.headerData(section, orientation, role)
            if tip:
                yield f"header{section}", str(tip)
    stack = [QModelIndex()]
    while stack:
        parent = stack.pop()
        for row in range(model.rowCount(parent)):
            for column in range(max(1, _columns(model, parent))):
                index = model.index(row, column, parent)
                tip = model.data(index, role)
                if tip:
                    yield f"item{row},{column}", str(tip)
                if column == 0 and model.rowCount(index) > 0:
                    stack.append(index)


def _tooltips(widget: QWidget) -> Iterator[tuple[str, str]]:
    """(place, text) of every tooltip the widget, its items and its actions show."""
    yield "toolTip", widget.toolTip()
    yield "whatsThis", widget.whatsThis()
    if isinstance(widget, QComboBox):
        for i in range(widget.count()):
            yield f"item{i}.toolTip", str(widget.itemData(i, Qt.ItemDataRole.ToolTipRole) or "")
    if isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView):  # its view's model
        for place, tip in _item_tooltips(widget):
            yield f"{place}.toolTip", tip
    for action in widget.actions():
        if isinstance(action, QAction):
            yield "action.toolTip", action.toolTip()


def _sinks(widget: QWidget) -> Iterator[tuple[str, str, Qt.TextFormat]]:
    """(where, text, format) for each text of this widget Qt may render as rich text."""
    where = f"{type(widget).__name__}#{widget.objectName() or '?'}"
    for place, tip in _tooltips(widget):
        if tip:
            yield f"{where}.{place}", tip, Qt.TextFormat.AutoText
    if isinstance(widget, QLabel):
        yield f"{where}.text", widget.text(), widget.textFormat()
    if isinstance(widget, QMessageBox):
        for name, text in (("text", widget.text()), ("informativeText", widget.informativeText())):
            yield f"{where}.{name}", text, widget.textFormat()


def rich_sinks(roots: Iterable[QWidget]) -> list[str]:
    """Every place under `roots` that renders the hostile account's markup as rich text."""
    found: list[str] = []
    seen: set[int] = set()
    for root in roots:
        for widget in (root, *root.findChildren(QWidget)):
            if id(widget) in seen:
                continue
            seen.add(id(widget))
            for where, text, text_format in _sinks(widget):
                found += [f"{where}: {p}" for p in rich_problems(text, text_format)]
            if isinstance(widget, QTextEdit):
                where = f"{type(widget).__name__}#{widget.objectName() or '?'}.document"
                found += [f"{where}: {p}" for p in document_problems(widget.document())]
    return found
