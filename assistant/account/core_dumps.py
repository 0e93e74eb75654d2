"""No core dump of a process that holds the owner's key.

The key lives only in memory; a crash (or `kill -SEGV`, or `gcore`) used to write that memory to
a core file any process of the agent's could read, or that a crash reporter uploads. Every entry
point calls `forbid_core_dumps()` first: the core size limit goes to zero, and on Linux the
process is also marked not dumpable (which also keeps other processes of the same user from
attaching a debugger to read it). Best effort: a system without either still runs the app.
"""

from __future__ import annotations

import sys

PR_GET_DUMPABLE, PR_SET_DUMPABLE = 3, 4  # <linux/prctl.h>


def forbid_core_dumps() -> bool:
    """True when both safeguards the platform offers are in place."""
    done = True
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):  # Windows has no resource module
        done = sys.platform == "win32"
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            done = libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0 and done
        except (OSError, AttributeError):
            done = False
    return done


def dumpable() -> bool | None:
    """Linux: whether the process may still be dumped (None elsewhere); for the tests."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    return bool(ctypes.CDLL(None).prctl(PR_GET_DUMPABLE, 0, 0, 0, 0))
