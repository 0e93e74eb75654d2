"""PLACEHOLDER (issue 21, branch i21-ui) for the sentence said when the team database does not
answer in time.

Issue 21 asks the History window to time out with the same sentence as the command line. The
store's own timeouts and the command line's sentence come from another branch (i21-core); until
they are joined, the window says this one. Joining them: make `team_did_not_answer` return the
command line's sentence (or import it here), so both front ends say the same words.
"""

from __future__ import annotations


def team_did_not_answer(where: str) -> str:
    """The team database at `where` (user@host:port/db) took too long to answer a read."""
    return f"The team database {where} did not answer in time."


def history_did_not_answer(path: object) -> str:
    """This computer's history file took too long to answer a read (a stalled network drive)."""
    return f"The case history {path} did not answer in time; press F5 to try again."
