"""Run `diagnose` and `fix` in-process the way a terminal would, and keep what they printed."""

from __future__ import annotations

import io
from contextlib import redirect_stderr
from typing import NamedTuple

from assistant.cli.fix import run_fix
from assistant.cli.main import UsageError, build_parser, gateway_factory, run_diagnose


class CliResult(NamedTuple):
    code: int
    out: str
    err: str


def cli(argv: list[str], env: dict[str, str] | None = None, stdin: str = "", *,
        command: str = "diagnose") -> CliResult:
    """`main.py diagnose ARGV` (or `fix ARGV`); a usage error is exit 2 with its sentence on
    stderr, as in main()."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stderr(err):
        try:
            args = build_parser().parse_args([command, *argv])
            if command == "fix":
                code = run_fix(args, stdin=io.StringIO(stdin), stdout=out, environ=env or {},
                               gateway_factory_for=gateway_factory)
            else:
                code = run_diagnose(args, stdin=io.StringIO(stdin), stdout=out, environ=env or {})
        except UsageError as usage:
            err.write(str(usage))
            code = 2
        except SystemExit as exit_:  # argparse refusing an option
            code = int(exit_.code or 0)
    return CliResult(code, out.getvalue(), err.getvalue())
