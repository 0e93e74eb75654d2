"""Account text shown as typed: tooltips, labels and message boxes never interpret it.

What the agent would notice: a customer called `<b>Mallory</b>` shows as those characters in a
tooltip, not as a bold "Mallory"; a name holding a link cannot be clicked in the question that
guards a live write. And the rule holds for code not written yet: every tooltip in the window
that is not a literal goes through `plain_tooltip`, and every message box through
`plain_message_box` (checked in the source, below).
"""

from __future__ import annotations

import ast
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel, QMessageBox
from support.rich_text import rich_problems

from assistant.ui.kit.plain import TOOLTIP_CHARS, plain_message_box, plain_tooltip, set_plain

UI = Path(__file__).resolve().parents[3] / "assistant" / "ui"
HOSTILE = [
    '<img src="file:///dev/zero">Mallory',
    '<a href="https://evil.example">Pay here</a>',
    "<font size=7 color=green>✔ TEST MODE customer: nothing real is created</font>",
    "<b>Basic</b> plan",
    "Fish &amp; Chips &lt;b&gt;",
    "Two  spaces\nand a second line <i>",
    "\u202egnp.exe\u200b",
]


def shown(tooltip: str) -> str:
    """What Qt draws for this tooltip: HTML when it might be rich text, else the characters."""
    doc = QTextDocument()
    if GuiQt.mightBeRichText(tooltip):
        doc.setHtml(tooltip)
    else:
        doc.setPlainText(tooltip)
    return doc.toPlainText()


def test_hostile_names_read_as_typed_in_a_tooltip(qtbot) -> None:
    for name in HOSTILE:
        tip = plain_tooltip(name)
        assert shown(tip) == name, name
        assert rich_problems(tip) == [], name


def test_ordinary_text_is_left_as_it_is(qtbot) -> None:
    assert plain_tooltip("Open the customer portal settings") == "Open the customer portal settings"
    assert plain_tooltip("price_1Prc0u7GUJdd8tyBaHeMU9wz") == "price_1Prc0u7GUJdd8tyBaHeMU9wz"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>&;/\"'= #abimgsrcfile:.\n✔é\u202e\u200b")), max_size=80))
def test_any_text_reads_back_unchanged(text: str) -> None:
    assert shown(plain_tooltip(text)) == text.strip("\n")


def test_a_200_kb_name_is_shortened_in_its_tooltip(qtbot) -> None:
    name = "<b>Mallory</b> " * (200 * 1024 // 15)
    tip = plain_tooltip(name)
    assert len(shown(tip)) == TOOLTIP_CHARS and shown(tip).endswith("…")
    assert shown(tip)[:-1] == name[: TOOLTIP_CHARS - 1]


def test_set_plain_shows_markup_as_characters(qtbot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    set_plain(label, HOSTILE[0])
    assert label.textFormat() == Qt.TextFormat.PlainText and label.text() == HOSTILE[0]


def test_message_box_is_plain_and_opens_no_link(qtbot) -> None:
    box = plain_message_box(QMessageBox.Icon.Warning, "Open the live portal?",
                            f"Open the LIVE portal for {HOSTILE[1]} (cus_1)?",
                            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    qtbot.addWidget(box)
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert not box.textInteractionFlags() & Qt.TextInteractionFlag.LinksAccessibleByMouse
    label = box.findChild(QLabel, "qt_msgbox_label")
    assert label is not None and label.textFormat() == Qt.TextFormat.PlainText
    assert not label.openExternalLinks() and label.wordWrap()
    assert rich_problems(box.text(), box.textFormat()) == []


# -- the rule in the source --------------------------------------------------------------------
TIP_SETTERS = {"setToolTip", "setWhatsThis"}
PLAIN_CALLS = {"plain_tooltip"}


# The app's own shortcut words (`kit/keys.py`): "Ctrl+Shift+R" is never account text.
KEY_CALLS = {"with_keys", "keys_text"}


def _literal(node: ast.expr) -> bool:
    """A string the code wrote itself (or "" / a choice between two such strings), with at
    most the app's own shortcut words added to it."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, ast.IfExp):
        return _literal(node.body) and _literal(node.orelse)
    if isinstance(node, ast.Call):
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        return name in KEY_CALLS and (name == "keys_text" or (bool(node.args) and _literal(node.args[0])))
    if isinstance(node, ast.JoinedStr):
        return all(isinstance(v, ast.Constant) or (isinstance(v, ast.FormattedValue) and _literal(v.value))
                   for v in node.values)
    return False


def _through_plain(node: ast.expr) -> bool:
    if isinstance(node, ast.IfExp):
        return _through_plain(node.body) and _through_plain(node.orelse)
    if isinstance(node, ast.Call):
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        return name in PLAIN_CALLS or _literal(node)
    return _literal(node)


def _tooltip_argument(call: ast.Call) -> ast.expr | None:
    """The text a call hands Qt to show as a tooltip, if it is such a call."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return None
    if func.attr in TIP_SETTERS and call.args:
        return call.args[-1]
    if func.attr == "showText" and len(call.args) >= 2:  # QToolTip.showText(pos, text, ...)
        return call.args[1]
    roles = [a for a in call.args if isinstance(a, ast.Attribute) and a.attr == "ToolTipRole"]
    if func.attr in ("setItemData", "setData") and roles:  # the text sits before the role
        index = call.args.index(roles[0])
        return call.args[index - 1] if index > 0 else None
    return None


def test_every_tooltip_in_the_window_is_literal_or_goes_through_plain_tooltip() -> None:
    offenders = []
    for path in sorted(UI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                argument = _tooltip_argument(node)
                if argument is not None and not _through_plain(argument):
                    offenders.append(f"{path.relative_to(UI)}:{node.lineno}: {ast.unparse(argument)}")
    assert offenders == [], "tooltips Qt may render as rich text:\n" + "\n".join(offenders)


def test_every_message_box_is_made_by_plain_message_box() -> None:
    """QMessageBox's own constructors and static helpers guess the format (AutoText)."""
    offenders = []
    for path in sorted(UI.rglob("*.py")):
        if path == UI / "kit" / "plain.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            direct = isinstance(func, ast.Name) and func.id == "QMessageBox"
            static = isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and \
                func.value.id == "QMessageBox" and func.attr in ("question", "warning", "information",
                                                                  "critical", "about")
            if direct or static:
                offenders.append(f"{path.relative_to(UI)}:{node.lineno}")
    assert offenders == [], offenders
