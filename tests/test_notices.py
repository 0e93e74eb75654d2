"""The licence notices come from the installed metadata: every runtime dependency (direct or
not) with its licence text, none of the test tools, and Qt's LGPL notice with its source."""

from __future__ import annotations

from assistant import notices


def test_the_runtime_tree_is_listed_and_the_test_tools_are_not() -> None:
    names = {s.name for s in notices.shipped()}
    direct = {"pyside6-essentials", "stripe", "keyring", "qasync", "platformdirs", "jinja2"}
    assert direct <= names
    assert {"shiboken6", "httpx", "markupsafe"} <= names  # reached through PySide6, stripe[async], jinja2
    assert not names & {"pytest", "mypy", "ruff", "hypothesis", "import-linter", "pyinstaller"}


def test_every_library_but_qt_brings_its_own_licence_text() -> None:
    for item in notices.shipped():
        assert item.licence, item.name
        if item.name not in notices.QT_DISTRIBUTIONS:
            assert item.texts, f"{item.name} has no licence file in its metadata"


def test_the_full_text_has_the_qt_notice_and_the_lgpl() -> None:
    text = notices.full_text()
    assert "Portal Setup Assistant" in text.splitlines()[0]
    assert "you may replace them" in text  # the LGPL: the user can swap the Qt libraries
    assert "https://download.qt.io/official_releases/QtForPython/pyside6/" in text
    assert text.count("GNU LESSER GENERAL PUBLIC LICENSE") >= 1
    assert "Version 3, 29 June 2007" in text
    assert "\npython 3." in text  # the interpreter a bundle carries
