"""The commit-msg hook (`.githooks/commit-msg`) holds docs/CONVENTIONS.md's rule for commit
messages: a subject of one line of at most 72 characters, a blank line, a body that says why."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HOOK = Path(__file__).resolve().parents[1] / ".githooks" / "commit-msg"


def run(message: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "COMMIT_EDITMSG"
    path.write_text(message, encoding="utf-8")
    return subprocess.run([sys.executable, str(HOOK), str(path)], capture_output=True, text=True)


def test_a_short_subject_with_a_body_passes(tmp_path: Path) -> None:
    message = "Keep Jinja2 out of the window's first paint\n\nIt cost 35 ms before the paint.\n# a comment\n"
    assert run(message, tmp_path).returncode == 0


@pytest.mark.parametrize(("message", "words"), [
    ("x" * 73 + "\n\nWhy.\n", "73 characters; at most 72"),
    ("Subject\nstill the subject\n\nWhy.\n", "one line"),
    ("Subject only\n", "the body is empty"),
    ("Subject\n\n# only comments\n", "the body is empty"),
    ("# nothing\n", "the message is empty"),
])
def test_a_message_that_breaks_the_rule_is_refused_with_the_reason(tmp_path: Path, message: str,
                                                                    words: str) -> None:
    result = run(message, tmp_path)
    assert result.returncode == 1 and words in result.stderr


def test_a_subject_of_72_characters_counts_characters_not_bytes(tmp_path: Path) -> None:
    assert run("é" * 72 + "\n\nWhy.\n", tmp_path).returncode == 0


def test_merges_keep_gits_own_words(tmp_path: Path) -> None:
    merge = "Merge branch 'i20-practice' into main, a subject git writes and may make long\n"
    assert len(merge) > 73 and run(merge, tmp_path).returncode == 0
