"""Run `main.py ask` in-process against a practice server, the way a terminal would."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr
from typing import Any, NamedTuple

from assistant.cli.ask import run_ask
from assistant.cli.main import UsageError, build_parser, gateway_factory
from assistant.practice import PracticeServer

SESSIONS = "/v1/billing_portal/sessions"


class AskResult(NamedTuple):
    code: int
    out: str
    err: str

    def json(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.out)
        return data

    def asks(self) -> list[dict[str, Any]]:
        asks: list[dict[str, Any]] = self.json()["asks"]
        return asks


def ask_cli(argv: list[str], server: PracticeServer | None = None, key: str | None = None,
            env: dict[str, str] | None = None, *, customer: bool = True) -> AskResult:
    """`main.py ask ARGV --api-base SERVER` with the server's key and its practice customer
    (unless `customer` is False or ARGV names one); a usage error is exit 2 with its sentence
    on stderr, as in main()."""
    environ = dict(env or {})
    if server is not None:
        argv = [*argv, "--api-base", server.base_url]
        environ.setdefault("STRIPE_API_KEY", key or server.scenario.primary_key)
        if customer and "--customer" not in argv and server.scenario.customer:
            argv = [*argv, "--customer", server.scenario.customer]
        if "--connected-account" not in argv and server.scenario.connected_account:
            argv = [*argv, "--connected-account", server.scenario.connected_account]
    out, err = io.StringIO(), io.StringIO()
    with redirect_stderr(err):
        try:
            args = build_parser().parse_args(["ask", *argv])
            code = run_ask(args, stdin=io.StringIO(""), stdout=out, environ=environ,
                           gateway_factory_for=gateway_factory)
        except UsageError as usage:
            err.write(str(usage))
            code = 2
        except SystemExit as exit_:  # argparse refusing an option
            code = int(exit_.code or 0)
    return AskResult(code, out.getvalue(), err.getvalue())


def session_writes(server: PracticeServer) -> list[tuple[str, str, str | None]]:
    """Every write attempt the server saw (method, path, idempotency key)."""
    return list(server.write_attempts)


def by_flow(asks: list[dict[str, Any]], flow: str, price: str | None = None) -> dict[str, Any]:
    return next(a for a in asks if a["flow"] == flow and (price is None or a["price"] == price))
