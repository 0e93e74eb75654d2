"""key.format, key.mode, key.accepted: is the pasted key one that can diagnose the portal?"""

from __future__ import annotations

from assistant.diagnosis.checks import messages as msg
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.model import CheckResult, Status
from assistant.account.errors import AuthenticationFailed, GatewayError, PermissionMissing
from assistant.account.keys import KeyKind
from assistant.account.snapshot import Fetched, Snapshot

# Sections the diagnosis cannot do without, in the order they are reported.
_NEEDED = ("configurations", "products", "prices", "webhook_endpoints")


def check_format(ctx: CheckContext) -> CheckResult:
    key = ctx.snapshot.key
    cid = "key.format"
    if key.problem:
        return msg.render(
            cid, "problem", Status.FAIL, key.mode,
            details=[msg.note(cid, "kind", key.mode, kind=key.kind.value)],
            problem=key.problem,
        )
    return msg.render(
        cid, "pass", Status.PASS, key.mode,
        details=[msg.note(cid, "masked", key.mode, masked=key.masked)],
        kind=key.kind.value,
    )


def check_mode(ctx: CheckContext) -> CheckResult:
    snap = ctx.snapshot
    cid = "key.mode"
    if not snap.key.usable:
        return msg.render(cid, "skip_key_unusable", Status.SKIP, snap.mode, problem=snap.key.problem)
    if snap.mode == "live":
        return msg.render(cid, "live", Status.WARN, snap.mode)
    return msg.render(cid, "test", Status.PASS, snap.mode)


def _sections(snap: Snapshot) -> list[tuple[str, Fetched]]:  # type: ignore[type-arg]
    sections: list[tuple[str, Fetched]] = [(name, getattr(snap, name)) for name in _NEEDED]  # type: ignore[type-arg]
    if snap.customer is not None:
        sections.append(("customer", snap.customer.matches))
        sections.append(("subscriptions", snap.customer.subscriptions))
    return sections


def check_accepted(ctx: CheckContext) -> CheckResult:
    snap = ctx.snapshot
    cid = "key.accepted"
    mode = snap.mode
    if not snap.key.usable:
        return msg.render(cid, "skip_key_unusable", Status.SKIP, mode, problem=snap.key.problem)
    auth = snap.auth_error
    if auth is not None:
        if not (isinstance(auth, AuthenticationFailed) or auth.http_status == 401):
            return msg.error_result(cid, mode, auth, "account")
        outcome = {"api_key_expired": "expired", "secret_key_required": "not_secret"}.get(
            auth.code or "", "rejected"
        )
        details = [msg.note(cid, "kind_mode", mode, kind=snap.key.kind.value, masked=snap.key.masked)]
        if auth.request_id:
            details.append(msg.note(cid, "request_id", mode, request_id=auth.request_id))
        return msg.render(
            cid, outcome, Status.FAIL, mode, details=details,
            stripe_error=auth.info, stripe_message=auth.message,
        )

    details = [msg.note(cid, "kind_mode", mode, kind=snap.key.kind.value, masked=snap.key.masked)]
    account = snap.account
    if account.ok:
        acct = account.value or {}
        name = ((acct.get("settings") or {}).get("dashboard") or {}).get("display_name") or (
            (acct.get("business_profile") or {}).get("name")
        )
        details.append(msg.note(cid, "account", mode, account_id=acct.get("id"), name=name or "—"))
    elif isinstance(account.error, PermissionMissing) and snap.key.kind is KeyKind.RESTRICTED:
        details.append(msg.note(cid, "account_restricted", mode))
    elif account.error is not None:
        details.append(msg.note(cid, "account_unread", mode, error_summary=account.error.summary))

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
        for name, err in refused:
            details.append(msg.note(
                cid, "refused", mode, what=msg.label("sections", name),
                permission=err.permission or msg.label("sections", "unnamed_permission"),
            ))
        unnamed = [msg.label("sections", n) for n, e in refused if not e.permission]
        if missing:
            outcome = "missing_permission" if len(missing) == 1 else "missing_permissions"
        else:
            outcome = "missing_permission_unnamed"
        return msg.render(
            cid, outcome, Status.FAIL, mode, details=details,
            stripe_error=refused[0][1].info,
            permissions=", ".join(f"'{p}'" for p in missing),
            sections=", ".join(unnamed) or ", ".join(msg.label("sections", n) for n, _ in refused),
        )
    # Products and prices are placeholders (empty, "ok") when no configuration was read, so
    # they are no evidence that Stripe answered.
    read_any = account.ok or any(
        f.ok for name, f in _sections(snap) if name not in ("products", "prices")
    )
    if not read_any and other_errors:
        name, err = other_errors[0]
        return msg.error_result(cid, mode, err, name, details)
    outcome = "pass" if account.ok else "pass_no_account"
    return msg.render(cid, outcome, Status.PASS, mode, details=details, kind=snap.key.kind.value)
