"""customer.found, customer.email: is there a customer the portal can open for, and can they log in?

The helpers here (which customer the portal opens for, and the skip when there is none) are
shared with customer.subscriptions in `subscriptions.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.account.errors import NotFound
from assistant.account.snapshot import Snapshot, StripeObject
from assistant.diagnosis.checks import messages as msg
from assistant.diagnosis.checks.common_codes import SKIPPED_CUSTOMER_DELETED, SKIPPED_NO_CUSTOMER
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.checks.facts import describe_customer, object_id, said_customer, timestamp_text
from assistant.diagnosis.checks.gates import key_gate
from assistant.diagnosis.model import CheckResult, Finding, Status, Subject
from assistant.knowledge.dashboard import dashboard_url

CID_FOUND, CID_EMAIL = "customer.found", "customer.email"

# Finding codes, as declared in resources/checks.json: planners, pages and tests import these.
# customer.found
CUSTOMER_NO_QUERY = "customer.no_query"
CUSTOMER_IN_OTHER_MODE = "customer.in_other_mode"
CUSTOMER_NO_SUCH_ID = "customer.no_such_id"
CUSTOMER_DELETED = "customer.deleted"
CUSTOMER_NO_SUCH_EMAIL = "customer.no_such_email"
CUSTOMER_EMAIL_SHARED = "customer.email_shared"
CUSTOMER_EMAIL_SHARED_NONE_ACTIVE = "customer.email_shared_none_active"
CUSTOMER_IDENTIFIED = "customer.identified"
CUSTOMER_MATCH = "customer.match"
CUSTOMER_MATCH_CHOSEN = "customer.match_chosen"
CUSTOMER_RECORD = "customer.record"
# customer-configured Accounts (Accounts v2): an acct_… id in the customer field
CUSTOMER_NO_SUCH_ACCOUNT = "customer.no_such_account"
CUSTOMER_ACCOUNT_NOT_CUSTOMER = "customer.account_not_customer"
CUSTOMER_ACCOUNT_RECORD = "customer.account_record"
# customer.email
CUSTOMER_EMAIL_MISSING = "customer.email_missing"
CUSTOMER_EMAIL_PRESENT = "customer.email_present"


def customer_subject(customer: StripeObject) -> Subject:
    return Subject("customer", object_id(customer),
                   str(customer.get("email") or customer.get("name") or ""))


def _account_facts(customer: StripeObject) -> dict[str, str]:
    """A customer-configured Account as the checks name it (see account/customer_accounts.py)."""
    return {**_customer_facts(customer), "account_id": object_id(customer)}


def _customer_facts(customer: StripeObject) -> dict[str, str]:
    return {
        "customer": describe_customer(customer), "customer_id": object_id(customer),
        "customer_said": said_customer(customer),
        "name": str(customer.get("name") or "—"), "email": str(customer.get("email") or "—"),
        "created": timestamp_text(customer.get("created")),
    }


def check_found(ctx: CheckContext) -> CheckResult:
    snap = ctx.snapshot
    cid = CID_FOUND
    mode = snap.mode
    lookup = snap.customer
    if lookup is None:
        return msg.one(cid, mode, CUSTOMER_NO_QUERY, Status.SKIP)
    gate = key_gate(cid, snap)
    if gate is not None:
        return gate
    err = lookup.matches.error
    not_found = CUSTOMER_NO_SUCH_EMAIL if lookup.by_email else CUSTOMER_NO_SUCH_ID
    if lookup.is_account:
        not_found = CUSTOMER_NO_SUCH_ACCOUNT
    if isinstance(err, NotFound):
        if err.other_mode:
            return msg.render(cid, mode, [
                Finding(CUSTOMER_IN_OTHER_MODE, Status.FAIL, seen=err.other_mode, expected=mode,
                        facts={"query": lookup.query, "found_mode": err.other_mode}),
            ], stripe_error=err.info)
        return msg.render(cid, mode, [Finding(not_found, Status.FAIL, facts={"query": lookup.query})],
                          stripe_error=err.info)
    if err is not None:
        return msg.error_result(cid, mode, err, "customer_account" if lookup.is_account else "customer")
    if lookup.is_account:
        return _account_found(cid, mode, lookup.chosen)
    deleted = lookup.deleted
    if deleted is not None:
        return msg.render(cid, mode, [
            Finding(CUSTOMER_DELETED, Status.FAIL, subject=Subject("customer", object_id(deleted)),
                    field="deleted", seen=True, expected=False,
                    facts={"query": lookup.query, "customer_id": object_id(deleted)}),
        ])
    matches = lookup.matches.value or []
    if not matches:
        return msg.one(cid, mode, not_found, Status.FAIL, query=lookup.query)
    chosen = lookup.chosen
    if lookup.by_email and len(matches) > 1:
        chosen_id = object_id(chosen) if chosen else ""
        evidence = [
            Finding(CUSTOMER_MATCH_CHOSEN if object_id(m) == chosen_id else CUSTOMER_MATCH,
                    subject=customer_subject(m), facts=_customer_facts(m))
            for m in sorted(matches, key=lambda m: m.get("created") or 0, reverse=True)
        ]
        ids = tuple(object_id(m) for m in matches)
        if chosen:
            return msg.render(cid, mode, [
                Finding(CUSTOMER_EMAIL_SHARED, Status.WARN, subject=customer_subject(chosen),
                        facts={"query": lookup.query, "ids": ids, "chosen_id": chosen_id,
                               "count": len(ids)}),
                *evidence,
            ])
        return msg.render(cid, mode, [
            Finding(CUSTOMER_EMAIL_SHARED_NONE_ACTIVE, Status.WARN,
                    facts={"query": lookup.query, "ids": ids, "count": len(ids)}),
            *evidence,
        ])
    customer = chosen or matches[0]
    return msg.render(cid, mode, [
        Finding(CUSTOMER_IDENTIFIED, Status.PASS, subject=customer_subject(customer),
                facts={**_customer_facts(customer), "query": lookup.query}),
        Finding(CUSTOMER_RECORD, subject=customer_subject(customer), facts=_customer_facts(customer)),
    ])


def _account_found(cid: str, mode: str | None, account: StripeObject | None) -> CheckResult:
    """A customer-configured Account: found, or found without the customer configuration that
    lets the portal open for it."""
    assert account is not None  # collection chose the Account it read
    facts = _account_facts(account)
    record = Finding(CUSTOMER_ACCOUNT_RECORD, subject=customer_subject(account), facts=facts)
    if not account.get("customer_configured"):
        return msg.render(cid, mode, [
            Finding(CUSTOMER_ACCOUNT_NOT_CUSTOMER, Status.FAIL, subject=customer_subject(account),
                    field="applied_configurations", expected="customer", facts=facts),
            record,
        ])
    return msg.render(cid, mode, [
        Finding(CUSTOMER_IDENTIFIED, Status.PASS, subject=customer_subject(account),
                facts={**facts, "query": object_id(account)}),
        record,
    ])


def chosen_customer(snap: Snapshot) -> StripeObject | None:
    """The customer the portal opens for: the one asked for, or the login link's pick among
    customers sharing the e-mail; None without an accepted key or a single answer."""
    lookup = snap.customer
    if lookup is None or not snap.key.usable or snap.auth_error is not None or lookup.deleted:
        return None
    if lookup.chosen is not None:
        return lookup.chosen
    matches = lookup.matches.value or []
    if lookup.matches.error is None and len(matches) == 1:
        return matches[0]
    return None


def skip_without_customer(cid: str, snap: Snapshot) -> CheckResult | None:
    """The customer checks need an accepted key and a customer the portal would open for."""
    if snap.customer is not None:
        gate = key_gate(cid, snap)
        if gate is not None:
            return gate
        deleted = snap.customer.deleted
        if deleted is not None:
            return msg.one(cid, snap.mode, SKIPPED_CUSTOMER_DELETED, Status.SKIP,
                           customer_id=object_id(deleted))
    customer = chosen_customer(snap)
    if customer is None or customer.get("customer_configured") is False:
        return msg.one(cid, snap.mode, SKIPPED_NO_CUSTOMER, Status.SKIP)
    return None


def check_email(ctx: CheckContext) -> CheckResult:
    snap = ctx.snapshot
    cid = CID_EMAIL
    mode = snap.mode
    skip = skip_without_customer(cid, snap)
    if skip is not None:
        return skip
    customer = chosen_customer(snap)
    assert customer is not None
    cus_id = object_id(customer)
    email = (customer.get("email") or "").strip()
    if not email:
        # A customer-configured Account keeps its e-mail as `contact_email`, edited on the
        # Account (the customer list finds it), not on a Customer's page.
        is_account = snap.customer is not None and snap.customer.is_account
        return msg.render(cid, mode, [
            Finding(CUSTOMER_EMAIL_MISSING, Status.WARN, subject=customer_subject(customer),
                    field="contact_email" if is_account else "email", seen=None,
                    facts={"customer_id": cus_id, "customer_said": said_customer(customer),
                           "url": dashboard_url(mode, "customers", *(() if is_account else (cus_id,)))}),
        ])
    return msg.render(cid, mode, [
        Finding(CUSTOMER_EMAIL_PRESENT, Status.PASS, subject=customer_subject(customer),
                field="email", seen=email, facts={"customer_id": cus_id, "email": email}),
    ])


# -- what the customer page shows ---------------------------------------------------------------

# The customers a lookup found, one finding each; and the headlines that say whom the portal opens for.
CUSTOMER_MATCHES = (CUSTOMER_MATCH, CUSTOMER_MATCH_CHOSEN, CUSTOMER_RECORD, CUSTOMER_ACCOUNT_RECORD)
CUSTOMER_PICKS = (CUSTOMER_IDENTIFIED, CUSTOMER_EMAIL_SHARED)
# Findings that name a customer: the window looks up a customer's name (else e-mail) in these.
NAMING_A_CUSTOMER = (*CUSTOMER_PICKS, *CUSTOMER_MATCHES)


@dataclass(frozen=True)
class MatchRow:
    customer_id: str
    name: str
    email: str
    created: str
    chosen: bool  # the portal (and the no-code login link) opens for this one


def match_rows(result: CheckResult) -> list[MatchRow]:
    """The customers the lookup found, newest first, as the check reported them."""
    chosen = chosen_id(result)
    return [
        MatchRow(f.text("customer_id"), f.text("name", "—"), f.text("email", "—"), f.text("created", "—"),
                 f.text("customer_id") == chosen)
        for f in result.with_code(*CUSTOMER_MATCHES)
    ]


def chosen_id(result: CheckResult) -> str | None:
    """The customer the portal would open for, per the check (None when there is none)."""
    head = result.headline
    if head is None or head.code not in CUSTOMER_PICKS or head.subject is None:
        return None
    return head.subject.id


def chosen_email(result: CheckResult) -> str:
    """The chosen customer's e-mail ("" when there is none)."""
    chosen = chosen_id(result)
    for f in result.with_code(*CUSTOMER_MATCHES):
        if f.text("customer_id") == chosen and f.text("email") not in ("", "—"):
            return f.text("email")
    return ""
