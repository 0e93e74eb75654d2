"""Run `diagnose` in-process the way a terminal would, and keep what it printed."""

from __future__ import annotations

import io
from contextlib import redirect_stderr
from typing import NamedTuple

from assistant.cli.main import UsageError, build_parser, run_diagnose


class CliResult(NamedTuple):
    code: int
    out: str
    err: str


def cli(argv: list[str], env: dict[str, str] | None = None, stdin: str = "") -> CliResult:
    """`main.py diagnose ARGV`; a usage error is exit 2 with its sentence on stderr, as in main()."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stderr(err):
        try:
            args = build_parser().parse_args(["diagnose", *argv])
            code = run_diagnose(args, stdin=io.StringIO(stdin), stdout=out, environ=env or {})
        except UsageError as usage:
            err.write(str(usage))
            code = 2
        except SystemExit as exit_:  # argparse refusing an option
            code = int(exit_.code or 0)
    return CliResult(code, out.getvalue(), err.getvalue())
