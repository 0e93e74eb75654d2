"""The composition root: `python main.py`, `python -m assistant` and the installed scripts.

Commands run headless from `assistant.cli`; with no command the window opens. Only this module
knows both, so the command line never imports Qt and the window never parses arguments.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import MutableMapping, Sequence

from assistant.cli.main import main as cli_main


def apply_history_url(args: argparse.Namespace, environ: MutableMapping[str, str]) -> None:
    """`--history-url` given to the window: as on every command it wins over the variable and
    Settings, so it becomes the variable the window's history reads (only this process's)."""
    url = getattr(args, "history_url", None)
    if url:
        from assistant.store.team_url import ENV_URL

        environ[ENV_URL] = url


def open_window(args: argparse.Namespace, environ: os._Environ[str] | dict[str, str]) -> int:
    from assistant.ui.app import run_app  # Qt is imported only when a window is wanted

    apply_history_url(args, environ)
    return run_app(demo=args.demo, api_base=args.api_base or environ.get("STRIPE_API_BASE"))


def main(argv: Sequence[str] | None = None) -> int:
    return cli_main(argv, open_window=open_window)


if __name__ == "__main__":
    sys.exit(main())
