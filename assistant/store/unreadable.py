"""One sentence for a case history that cannot be opened or written, naming the file.

A damaged file (or one that is not a history at all) used to cost the run its record in
silence; the agent needs to know the run was not kept and which file is at fault, and nothing
of theirs is deleted to "repair" it.
"""

from __future__ import annotations

from pathlib import Path


def _said(err: BaseException) -> str:
    return str(getattr(err, "orig", None) or err).lower()


def history_busy(err: BaseException) -> bool:
    """Another program holds the file's lock: the same write works once it lets go."""
    text = _said(err)
    return "locked" in text or "busy" in text


def history_problem(err: BaseException, path: Path) -> str:
    text = _said(err)
    if any(word in text for word in ("not a database", "malformed", "corrupt", "disk image")):
        return (f"{path} is damaged or is not a case history file; move it away (nothing in it "
                "is deleted) and the next run starts a new one")
    if history_busy(err):
        return f"{path} is in use by another program; close other copies of the assistant"
    if isinstance(err, PermissionError) or "readonly" in text or "read-only" in text:
        return f"{path} cannot be written (no permission, or a read-only disk)"
    if isinstance(err, OSError) and err.strerror:
        return f"{path} cannot be written: {err.strerror}"
    return f"{path} could not be written ({type(err).__name__})"
