"""The practice account's state: per-mode collections, created portal sessions, list paging and expansion."""

from __future__ import annotations

import copy
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any

from assistant.practice.scenarios import DATED_FROM_NOW, ConnectedData, Scenario, copied, date_from_now


class StripeError(Exception):
    """An API error to send back in Stripe's JSON error shape."""

    def __init__(self, status: int, message: str, *, type: str = "invalid_request_error",
                 code: str | None = None, param: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.type, self.code, self.param = status, message, type, code, param

    def body(self) -> dict[str, Any]:
        err: dict[str, Any] = {"type": self.type, "message": self.message}
        if self.code:
            err["code"] = self.code
            err["doc_url"] = f"https://stripe.com/docs/error-codes/{self.code.replace('_', '-')}"
        if self.param:
            err["param"] = self.param
        return {"error": err}


class V2Error(StripeError):
    """An error of a v2 endpoint, in v2's shape: `{"error": {"type", "code", "message"}}`."""

    def body(self) -> dict[str, Any]:
        return {"error": {"type": self.type, "code": self.code or "invalid_request", "message": self.message}}


_PREFIX_COLLECTION = {
    "cus_": "customers", "prod_": "products", "price_": "prices", "sub_": "subscriptions",
    "bpc_": "configurations", "we_": "webhook_endpoints", "pm_": "payment_methods",
    "sub_sched_": "subscription_schedules", "evt_": "events",
}


def new_id(prefix: str) -> str:
    return f"{prefix}_1Prc{secrets.token_urlsafe(18).replace('-', 'x').replace('_', 'y')[:20]}"


class Store:
    """Deep copy of the scenario's data that the server may change (sessions, the writes guided
    fixes send), guarded by one lock. `reset()` puts the scenario's data back.

    Each connected account of the scenario has a store of its own (`connected`), which a request
    with `Stripe-Account` reads and writes; it shares the platform's lock, its portal sessions,
    its idempotency book and its list of writes, as requests made with the platform's key."""

    def __init__(self, scenario: Scenario, *, own: ConnectedData | None = None, root: Store | None = None) -> None:
        self.scenario = scenario
        self._own = own
        self._root = root
        self.lock: threading.Lock = root.lock if root is not None else threading.Lock()
        self.started: int = root.started if root is not None else int(time.time())
        self.connected: dict[str, Store] = {}
        self.sessions: dict[str, dict[str, Any]] = {}
        # (api key, idempotency key) -> (method, path, params, payload): Stripe's replay book.
        self.idempotent: dict[tuple[str, str], tuple[str, str, str, dict[str, Any]]] = {}
        # Every write that changed the account: (method, path, idempotency key), for tests.
        self.writes: list[tuple[str, str, str | None]] = []
        self.reset()

    def reset(self) -> None:
        """The practice account as its scenario describes it: every write and session forgotten."""
        root = self._root
        source_account = self._own.account if self._own is not None else self.scenario.account
        source_data = self._own.data if self._own is not None else self.scenario.data
        if root is not None:
            self.started = root.started
        with self.lock:
            self.account = copy.deepcopy(dict(source_account))
            self.data: dict[str, dict[str, list[dict[str, Any]]]] = {
                mode: {c: copied(objs) for c, objs in cols.items()} for mode, cols in source_data.items()}
            for cols in self.data.values():
                for event in cols.get("events", []):
                    _date_event(event, self.started)
                for collection in DATED_FROM_NOW:
                    for obj in cols.get(collection, []):
                        date_from_now(obj, self.started)
            if root is not None:
                self.sessions, self.idempotent, self.writes = root.sessions, root.idempotent, root.writes
                return
            self.sessions = {}
            self.idempotent = {}
            self.writes = []
        self.connected = {account_id: Store(self.scenario, own=own, root=self)
                          for account_id, own in self.scenario.connected.items()}

    def as_account(self, account_id: str | None) -> Store | None:
        """The store a request with `Stripe-Account: account_id` acts on (this one without the
        header, or naming this account); None for an account that is not connected here."""
        if not account_id or account_id == self.account.get("id"):
            return self
        return self.connected.get(account_id)

    def objects(self, mode: str, collection: str) -> list[dict[str, Any]]:
        with self.lock:
            return copy.deepcopy(self.data[mode][collection])

    def page(self, mode: str, collection: str, keep: Callable[[dict[str, Any]], bool],
             params: dict[str, Any], url: str) -> dict[str, Any]:
        """One page of a list, copying only the objects on it: an account whose code made a
        configuration per visit holds thousands, and a list answers with 100 at most."""
        with self.lock:
            page = paginate([o for o in self.data[mode][collection] if keep(o)], params, url)
            page["data"] = copy.deepcopy(page["data"])
        return page

    def find(self, mode: str, collection: str, obj_id: str) -> dict[str, Any] | None:
        with self.lock:
            for obj in self.data[mode][collection]:
                if obj["id"] == obj_id:
                    return copy.deepcopy(obj)
        return None

    def wrote(self, method: str, path: str, idempotency_key: str | None) -> None:
        with self.lock:
            self.writes.append((method, path, idempotency_key))

    def put(self, mode: str, collection: str, obj: dict[str, Any]) -> None:
        """Store `obj` in place of the object with its id, or add it."""
        with self.lock:
            objs = self.data[mode][collection]
            for i, old in enumerate(objs):
                if old["id"] == obj["id"]:
                    objs[i] = copy.deepcopy(obj)
                    return
            objs.append(copy.deepcopy(obj))

    def remove(self, mode: str, collection: str, obj_id: str) -> bool:
        with self.lock:
            objs = self.data[mode][collection]
            kept = [o for o in objs if o["id"] != obj_id]
            self.data[mode][collection] = kept
            return len(kept) != len(objs)

    def find_by_prefix(self, mode: str, obj_id: str) -> dict[str, Any] | None:
        for prefix, collection in sorted(_PREFIX_COLLECTION.items(), key=lambda kv: -len(kv[0])):
            if obj_id.startswith(prefix):
                return self.find(mode, collection, obj_id)
        return None

    def create_session(self, mode: str, *, customer: str, configuration: str, return_url: str | None,
                       locale: str | None, base_url: str, flow: dict[str, Any] | None = None) -> dict[str, Any]:
        """`customer` names a Customer (cus_…) or a customer-configured Account (acct_…, the
        session's `customer_account`); `flow` is the deep link it opens (None: the home page)."""
        session = copy.deepcopy(self.scenario.templates["billing_portal.session"])
        sid = new_id("bps")
        account = customer if customer.startswith("acct_") else None
        session.update(
            id=sid, configuration=configuration, created=int(time.time()),
            customer=None if account else customer, customer_account=account, flow=copy.deepcopy(flow),
            livemode=mode == "live", locale=locale, on_behalf_of=None, return_url=return_url,
            url=f"{base_url}/portal/session/{sid}",
        )
        event = copy.deepcopy(self.scenario.templates["event"])
        event.update(id=new_id("evt"), created=session["created"], livemode=session["livemode"],
                     type="billing_portal.session.created", data={"object": copy.deepcopy(session)},
                     pending_webhooks=0)
        with self.lock:
            self.sessions[sid] = session
            self.data[mode].setdefault("events", []).append(event)
        return copy.deepcopy(session)

    def session(self, sid: str) -> dict[str, Any] | None:
        with self.lock:
            return copy.deepcopy(self.sessions.get(sid))


def _date_event(event: dict[str, Any], now: int) -> None:
    """Scenario events say how long ago they happened (`created_ago`, seconds), so "the last
    30 days" and "more than an hour ago" stay true whenever the practice account is served."""
    ago = event.pop("created_ago", None)
    if ago is None:
        return
    event["created"] = now - int(ago)
    obj = (event.get("data") or {}).get("object")
    if isinstance(obj, dict) and "created" in obj:
        obj["created"] = event["created"]


def paginate(objs: list[dict[str, Any]], params: dict[str, Any], url: str) -> dict[str, Any]:
    """Stripe list envelope, newest first, with limit / starting_after / ending_before."""
    objs = sorted(objs, key=lambda o: (o.get("created", 0), o["id"]), reverse=True)
    try:
        limit = int(params.get("limit", 10))
    except ValueError:
        raise StripeError(400, "Invalid integer: " + str(params.get("limit")), param="limit") from None
    if not 1 <= limit <= 100:
        raise StripeError(400, "This value must be greater than or equal to 1 and less than or equal to 100.",
                          code="parameter_invalid_integer", param="limit")
    ids = [o["id"] for o in objs]
    after, before = params.get("starting_after"), params.get("ending_before")
    if after:
        if after not in ids:
            raise StripeError(400, f"No such object: '{after}'", code="resource_missing", param="starting_after")
        rest = objs[ids.index(after) + 1:]
        page, has_more = rest[:limit], len(rest) > limit
    elif before:
        if before not in ids:
            raise StripeError(400, f"No such object: '{before}'", code="resource_missing", param="ending_before")
        rest = objs[:ids.index(before)]
        page, has_more = rest[-limit:], len(rest) > limit
    else:
        page, has_more = objs[:limit], len(objs) > limit
    return {"object": "list", "data": page, "has_more": has_more, "url": url}


def apply_expand(obj: dict[str, Any], paths: list[str], lookup: Callable[[str], dict[str, Any] | None]) -> None:
    """Replace id strings at the dotted paths with the objects they name; unknown paths are ignored."""
    for path in paths:
        _expand_path(obj, path.split("."), lookup)


def _expand_path(node: Any, parts: list[str], lookup: Callable[[str], dict[str, Any] | None]) -> None:
    if not parts:
        return
    if isinstance(node, list):
        for item in node:
            _expand_path(item, parts, lookup)
        return
    if not isinstance(node, dict) or parts[0] not in node:
        return
    head, rest = parts[0], parts[1:]
    value = node[head]
    if not rest:
        if isinstance(value, str):
            found = lookup(value)
            if found is not None:
                node[head] = found
        return
    _expand_path(value, rest, lookup)
