"""The `fix` command's options (argparse only: the window's start-up builds this parser too)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def add_parser(sub: Any, add_account_options: Callable[[argparse.ArgumentParser], None],
               history_url_option: Callable[[argparse.ArgumentParser], None]) -> None:
    fix = sub.add_parser("fix", help="plan, apply or undo the fixes the diagnosis calls for")
    add_account_options(fix)
    fix.add_argument("--format", choices=("text", "json"), default="text")
    fix.add_argument("--apply", metavar="SEL", action="append", default=[],
                     help="apply a fix: a check id (its fixes), a fix id from the plan, or 'all'; repeatable")
    fix.add_argument("--undo", metavar="CHANGE_ID", help="undo one applied change (its id from the apply)")
    fix.add_argument("--yes", action="store_true", help="really write to the Stripe account")
    fix.add_argument("--live-confirm", metavar="ACCOUNT_ID",
                     help="in live mode, the account's id (acct_…), to confirm the change")
    fix.add_argument("--return-url", metavar="URL",
                     help="the default return URL to set (portal.return_url)")
    fix.add_argument("--webhook-url", metavar="URL",
                     help="the owner's webhook handler, to create an endpoint (webhooks.events)")
    fix.add_argument("--privacy-url", metavar="URL",
                     help="the privacy policy link the portal shows (portal.business_profile)")
    fix.add_argument("--terms-url", metavar="URL",
                     help="the terms of service link the portal shows (portal.business_profile)")
    history_url_option(fix)
