"""Links stay readable under the system's dark palette (issue 22, item 11).

Under a dark system theme (GTK's Adwaita:dark through Qt's gtk3 platform theme) the window
follows the system's colours, but the theme leaves the link colour of labels, tool buttons and
text views at Qt's default blue (#0000ff), about 2:1 against its dark grey: the glossary term
links on every card could not be read. The palette is applied in a separate process, the way a
system theme is, so no other test sees it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from PySide6.QtGui import QColor

from assistant.ui.kit.palette import contrast

# What Qt's gtk3 theme gives under Adwaita:dark (read from it under Xvfb, 2026-12-06): the
# application palette, and per-class palettes whose links are Qt's defaults.
PROBE = textwrap.dedent("""
    import json
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QApplication, QLabel, QTextBrowser
    from assistant.ui.app import make_application

    app = make_application(["test"])

    def dark(link):
        p = QPalette()
        for role, colour in (("Window", "#323232"), ("WindowText", "#ffffff"), ("Base", "#323232"),
                             ("Text", "#ffffff"), ("Button", "#323232"), ("ButtonText", "#ffffff"),
                             ("Link", link), ("LinkVisited", "#ff00ff")):
            p.setColor(getattr(QPalette.ColorRole, role), QColor(colour))
        return p

    for name in ("QLabel", "QToolButton", "QTextEdit", "QTextControl", "QAbstractItemView"):
        app.setPalette(dark("#0000ff"), name)
    app.setPalette(dark("#308cc6"))  # the theme's own application palette comes last
    app.processEvents()

    from assistant.ui.kit.widgets import TermLink
    term, label, view = TermLink("Portal Session"), QLabel('<a href="x">x</a>'), QTextBrowser()
    R = QPalette.ColorRole
    print(json.dumps({
        "term link": [term.palette().color(R.ButtonText).name(), term.palette().color(R.Window).name()],
        "label link": [label.palette().color(R.Link).name(), label.palette().color(R.Window).name()],
        "visited": [label.palette().color(R.LinkVisited).name(), label.palette().color(R.Window).name()],
        "glossary link": [view.palette().color(R.Link).name(), view.palette().color(R.Base).name()],
        "text": [label.palette().color(R.WindowText).name(), label.palette().color(R.Window).name()],
    }))
""")


def test_links_are_readable_under_a_dark_system_palette() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=60,
                          check=False)
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout.strip().splitlines()[-1])
    for what, (fore, back) in shown.items():
        assert contrast(QColor(fore), QColor(back)) >= 4.5, f"{what}: {fore} on {back}"
    # the system's own choices are kept: the background and the text stay dark and white
    assert shown["text"] == ["#ffffff", "#323232"]


def test_contrast_is_the_wcag_ratio() -> None:
    assert round(contrast(QColor("#000000"), QColor("#ffffff")), 1) == 21.0
    assert round(contrast(QColor("#0000ff"), QColor("#323232")), 1) < 2.5
    assert contrast(QColor("#777777"), QColor("#777777")) == 1.0
