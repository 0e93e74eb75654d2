"""The `ask` command's options (argparse only: the window's start-up builds this parser too)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def add_parser(sub: Any, add_account_options: Callable[[argparse.ArgumentParser], None],
               history_url_option: Callable[[argparse.ArgumentParser], None]) -> None:
    ask = sub.add_parser("ask", help="ask Stripe itself, flow by flow, what a customer can do in the portal "
                                     "(creates portal sessions, opens none)")
    add_account_options(ask)
    ask.add_argument("--subscription", metavar="SUB_ID",
                     help="ask only about this subscription of the customer (needed with --price when they have "
                          "several)")
    ask.add_argument("--configuration", metavar="BPC_ID",
                     help="the portal configuration to ask with (default: the one the integration's newest portal "
                          "session used, else the default)")
    ask.add_argument("--price", dest="prices", metavar="PRICE_ID", nargs="+", action="extend", default=[],
                     help="also ask to confirm a switch to each of these prices (one item, quantity unchanged)")
    ask.add_argument("--return-url", metavar="URL",
                     help="the return URL, when the configuration has no default redirect link")
    ask.add_argument("--live-confirm", metavar="ACCOUNT_ID",
                     help="in live mode, the account's id (acct_…): the asks create real portal sessions")
    ask.add_argument("--format", choices=("text", "json"), default="text")
    ask.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                     help="text: colour the verdicts (auto: on a terminal, unless NO_COLOR is set)")
    history_url_option(ask)
