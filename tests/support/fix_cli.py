"""Run `main.py fix` in-process against a practice server, the way a terminal would."""

from __future__ import annotations

import io
from contextlib import redirect_stderr

from assistant.cli.fix import run_fix
from assistant.cli.main import UsageError, build_parser, gateway_factory
from assistant.practice import PracticeServer


def fix_cli(argv: list[str], server: PracticeServer | None = None, key: str | None = None,
            env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """`main.py fix ARGV --api-base SERVER` with the server's key; a usage error is exit 2 with
    its sentence on stderr, as in main()."""
    environ = dict(env or {})
    if server is not None:
        argv = [*argv, "--api-base", server.base_url]
        environ.setdefault("STRIPE_API_KEY", key or server.scenario.primary_key)
    out, err = io.StringIO(), io.StringIO()
    args = build_parser().parse_args(["fix", *argv])
    with redirect_stderr(err):
        try:
            code = run_fix(args, stdin=io.StringIO(""), stdout=out, environ=environ,
                           gateway_factory_for=gateway_factory)
        except UsageError as usage:
            err.write(str(usage))
            code = 2
    return code, out.getvalue(), err.getvalue()
