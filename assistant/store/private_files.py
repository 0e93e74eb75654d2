"""Files that hold customer data are readable by the agent only: 0600 files in 0700 folders.

The case history (and its outbox of runs waiting for the team database) is created through
here, so a shared machine's other users never read what an owner's account looked like.
On systems without POSIX permissions (Windows) the profile folder's ACLs already do this.
"""

from __future__ import annotations

import os
from pathlib import Path

_POSIX = os.name == "posix"


def private_dir(path: Path) -> Path:
    """Create `path` (and parents) if needed and make the folder 0700. A folder shared on
    purpose (sticky like /tmp, or someone else's) is left as it is."""
    path = Path(path)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
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
        os.close(fd)
        os.chmod(path, 0o600)
    else:
        path.touch(exist_ok=True)
    return path
