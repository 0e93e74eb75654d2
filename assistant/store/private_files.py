"""Files that hold customer data are readable by the agent only: 0600 files in 0700 folders.

The case history (and its outbox of runs waiting for the team database), the log and saved
reports are created through here, so a shared machine's other users never read what an owner's
account looked like. Files are opened with the mode (never made private by a chmod afterwards,
which a kill at the wrong moment would skip for good). On systems without POSIX permissions
(Windows) the profile folder's ACLs already do this.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, Any

_POSIX = os.name == "posix"


def private_dir(path: Path) -> Path:
    """Create `path` (and parents) if needed and make the folder 0700. A folder shared on
    purpose (sticky like /tmp, or someone else's) is left as it is."""
    path = Path(path)
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):  # each folder made here is 0700, not only the last one
        folder.mkdir(mode=0o700, exist_ok=True)
    if _POSIX:
        info = path.stat()
        if info.st_uid == os.getuid() and not info.st_mode & 0o1000:
            os.chmod(path, 0o700)
    return path


def private_file(path: Path) -> Path:
    """Make sure `path` exists as a 0600 file in a 0700 folder (an existing file keeps its data)."""
    path = Path(path)
    private_dir(path.parent)
    if _POSIX:
        fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
        try:
            if os.fstat(fd).st_mode & 0o077:  # a file an older version made readable to others
                os.fchmod(fd, 0o600)
        finally:
            os.close(fd)
    else:
        path.touch(exist_ok=True)
    return path


def open_private(path: Path, mode: str = "a", encoding: str | None = "utf-8") -> IO[Any]:
    """`open(path, mode)` for appending or writing, creating the file 0600 (the log)."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if "a" in mode else os.O_TRUNC)
    fd = os.open(path, flags, 0o600)
    return open(fd, mode, encoding=None if "b" in mode else encoding)


def not_a_file(path: Path) -> bool:
    """Whether `path` exists as something other than a regular file (a device, a FIFO, a
    socket, a folder; a link is judged by what it points to), which a report must not replace."""
    return Path(path).exists() and not Path(path).is_file()


def write_private(path: Path, data: str | bytes) -> None:
    """Write a whole file (a saved report) as 0600, atomically: a temporary 0600 file in the
    same folder renamed over the target, so a crash never leaves half a report. A folder that
    does not exist is not created: FileNotFoundError, for the caller to say so. A target that
    is not a regular file is never replaced: OSError (EINVAL), nothing written."""
    import errno
    import tempfile  # not at import time: the log (set up at start) needs only open_private

    path = Path(path)
    if not_a_file(path):
        raise OSError(errno.EINVAL, "not a regular file", str(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with open(fd, "wb") as out:
            out.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
