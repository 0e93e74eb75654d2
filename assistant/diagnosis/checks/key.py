"""key.format, key.mode, key.accepted: is the pasted key one that can diagnose the portal?"""

from __future__ import annotations

from typing import Any

from assistant.account.errors import (
    AccountAccessRefused,
    AuthenticationFailed,
    GatewayError,
    PermissionMissing,
)
from assistant.account.keys import KeyKind, is_live
from assistant.account.snapshot import Fetched, Snapshot
from assistant.diagnosis.checks import messages as msg
from assistant.diagnosis.checks.common_codes import SKIPPED_KEY_UNUSABLE
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.checks.facts import display_name
from assistant.diagnosis.model import CheckResult, Finding, Status, Subject

CID_FORMAT, CID_MODE, CID_ACCEPTED = "key.format", "key.mode", "key.accepted"

# Finding codes, as declared in resources/checks.json: planners, pages and tests import these.
# key.format
KEY_MALFORMED = "key.malformed"
KEY_WELL_FORMED = "key.well_formed"
# key.mode
KEY_LIVE = "key.live"
KEY_TEST = "key.test"
# key.accepted
KEY_EXPIRED = "key.expired"
KEY_NOT_SECRET = "key.not_secret"
KEY_REJECTED = "key.rejected"
KEY_PERMISSION_MISSING = "key.permission_missing"
KEY_PERMISSIONS_MISSING = "key.permissions_missing"
KEY_PERMISSION_UNNAMED = "key.permission_unnamed"
KEY_WORKS = "key.works"
KEY_WORKS_WITHOUT_ACCOUNT = "key.works_without_account"
KEY_KIND = "key.kind"
ACCOUNT_IDENTIFIED = "account.identified"
ACCOUNT_RESTRICTED = "account.restricted"
ACCOUNT_UNREAD = "account.unread"
KEY_SECTION_REFUSED = "key.section_refused"
KEY_CONNECTED_ACCOUNT_REFUSED = "key.connected_account_refused"
ACCOUNT_CONNECTED = "account.connected"

# Sections the diagnosis cannot do without, in the order they are reported.
_NEEDED = ("configurations", "products", "prices", "webhook_endpoints")


def check_format(ctx: CheckContext) -> CheckResult:
    key = ctx.snapshot.key
    cid = CID_FORMAT
    if key.problem:
        return msg.render(cid, key.mode, [
            Finding(KEY_MALFORMED, Status.FAIL, seen=key.kind.value,
                    facts={"problem": key.problem, "kind": key.kind.value}),
        ])
    return msg.render(cid, key.mode, [
        Finding(KEY_WELL_FORMED, Status.PASS, seen=key.kind.value,
                facts={"kind": key.kind.value, "masked": key.masked}),
    ])


def check_mode(ctx: CheckContext) -> CheckResult:
    snap = ctx.snapshot
    cid = CID_MODE
    if not snap.key.usable:
        return msg.one(cid, snap.mode, SKIPPED_KEY_UNUSABLE, Status.SKIP, problem=snap.key.problem)
    if is_live(snap.mode):
        return msg.render(cid, snap.mode, [Finding(KEY_LIVE, Status.WARN, seen="live", expected="test")])
    return msg.render(cid, snap.mode, [Finding(KEY_TEST, Status.PASS, seen="test")])


def _sections(snap: Snapshot) -> list[tuple[str, Fetched[Any]]]:
    sections: list[tuple[str, Fetched[Any]]] = [(name, getattr(snap, name)) for name in _NEEDED]
    if snap.customer is not None:
        sections.append(("customer", snap.customer.matches))
        sections.append(("subscriptions", snap.customer.subscriptions))
    return sections


def _key_kind(snap: Snapshot) -> list[Finding]:
    """The key, and the connected account it acted as (if any): which account's settings count."""
    found = [Finding(KEY_KIND, facts={"kind": snap.key.kind.value, "masked": snap.key.masked})]
    if snap.connected_account:
        found.append(Finding(ACCOUNT_CONNECTED, subject=Subject("account", snap.connected_account),
                             facts={"connected_account": snap.connected_account}))
    return found


def _account_evidence(snap: Snapshot) -> list[Finding]:
    account = snap.account
    if account.ok:
        acct = account.value or {}
        name = display_name(acct)
        return [Finding(ACCOUNT_IDENTIFIED,
                        subject=Subject("account", str(acct.get("id") or ""), name or ""),
                        facts={"account_id": acct.get("id"), "name": name or "—"})]
    if isinstance(account.error, PermissionMissing) and snap.key.kind is KeyKind.RESTRICTED:
        return [Finding(ACCOUNT_RESTRICTED)]
    if account.error is not None:
        return [Finding(ACCOUNT_UNREAD, facts={"error_summary": account.error.summary})]
    return []


def check_accepted(ctx: CheckContext) -> CheckResult:
    snap = ctx.snapshot
    cid = CID_ACCEPTED
    mode = snap.mode
    if not snap.key.usable:
        return msg.one(cid, mode, SKIPPED_KEY_UNUSABLE, Status.SKIP, problem=snap.key.problem)
    auth = snap.auth_error
    if isinstance(auth, AccountAccessRefused):
        return msg.render(cid, mode, [
            Finding(KEY_CONNECTED_ACCOUNT_REFUSED, Status.FAIL,
                    subject=Subject("account", snap.connected_account or ""),
                    facts={"connected_account": snap.connected_account or "", "stripe_message": auth.message}),
            *_key_kind(snap),
            *msg.request_id_finding(auth.request_id),
        ], stripe_error=auth.info)
    if auth is not None:
        if not (isinstance(auth, AuthenticationFailed) or auth.http_status == 401):
            return msg.error_result(cid, mode, auth, "account")
        code = {"api_key_expired": KEY_EXPIRED, "secret_key_required": KEY_NOT_SECRET}.get(
            auth.code or "", KEY_REJECTED
        )
        return msg.render(cid, mode, [
            Finding(code, Status.FAIL, facts={"stripe_message": auth.message, "stripe_code": auth.code}),
            *_key_kind(snap),
            *msg.request_id_finding(auth.request_id),
        ], stripe_error=auth.info)

    evidence = [*_key_kind(snap), *_account_evidence(snap)]
    missing: list[str] = []
    refused: list[tuple[str, PermissionMissing]] = []
    other_errors: list[tuple[str, GatewayError]] = []
    for name, fetched in _sections(snap):
        err = fetched.error
        if isinstance(err, PermissionMissing):
            refused.append((name, err))
            if err.permission and err.permission not in missing:
                missing.append(err.permission)
        elif err is not None:
            other_errors.append((name, err))
    if refused:
        evidence += [
            Finding(KEY_SECTION_REFUSED, Status.FAIL, field=name, expected=err.permission,
                    facts={"section": name, "what": msg.label("sections", name),
                           "permission": err.permission or msg.label("sections", "unnamed_permission"),
                           "permission_words": msg.permission_words(err.permission)})
            for name, err in refused
        ]
        unnamed = [msg.label("sections", n) for n, e in refused if not e.permission]
        if missing:
            code = KEY_PERMISSION_MISSING if len(missing) == 1 else KEY_PERMISSIONS_MISSING
        else:
            code = KEY_PERMISSION_UNNAMED
        headline = Finding(code, Status.FAIL, expected=tuple(missing), facts={
            "permissions": ", ".join(msg.permission_words(p) for p in missing),
            "missing": tuple(missing),
            "sections": ", ".join(unnamed) or ", ".join(msg.label("sections", n) for n, _ in refused),
        })
        return msg.render(cid, mode, [headline, *evidence], stripe_error=refused[0][1].info)
    # Products and prices are placeholders (empty, "ok") when no configuration was read, so
    # they are no evidence that Stripe answered.
    read_any = snap.account.ok or any(
        f.ok for name, f in _sections(snap) if name not in ("products", "prices")
    )
    if not read_any and other_errors:
        name, err = other_errors[0]
        return msg.error_result(cid, mode, err, name, evidence)
    code = KEY_WORKS if snap.account.ok else KEY_WORKS_WITHOUT_ACCOUNT
    return msg.render(cid, mode, [Finding(code, Status.PASS, facts={"kind": snap.key.kind.value}),
                                  *evidence])
