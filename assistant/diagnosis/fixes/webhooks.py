"""webhooks.events: make an endpoint hear the portal events the owner's app misses.

With an enabled endpoint, its list grows by the missing events (Stripe replaces the list whole,
so the new one is the old one plus those: never fewer); an endpoint listening to `*` is never
touched. With a URL from the agent (or no enabled endpoint), a new endpoint is created; its
signing secret is in Stripe's answer only and the gateway drops it. An app that hears the portal
through an event destination (EventBridge, Event Grid) and has no endpoint gets a guided fix:
the owner adds the events to that destination in Workbench.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

from assistant.account.keys import is_live

# The module, not its names: `WEBHOOK_ENDPOINT` is a finding code there and an object kind here.
from assistant.diagnosis.checks import webhooks as events_check
from assistant.diagnosis.findings import Finding
from assistant.diagnosis.fixes import wording
from assistant.diagnosis.fixes.context import FixContext
from assistant.diagnosis.fixes.fields import WEBHOOK_ENDPOINT, object_path, params_for
from assistant.diagnosis.fixes.model import API, GUIDED, WEBHOOK_URL, FieldChange, Fix, Request
from assistant.knowledge.dashboard import dashboard_url

ADD, CREATE = "webhooks.events.add_events", "webhooks.events.create_endpoint"
DESTINATION = "webhooks.events.destination_events"
EVENTS = "enabled_events"
_LOCAL = ("localhost", "127.0.0.1", "::1", "0.0.0.0")


def plan(ctx: FixContext) -> tuple[Fix, ...]:
    head = ctx.result.headline
    if head is None or head.code not in (events_check.WEBHOOKS_EVENTS_MISSING,
                                         events_check.WEBHOOKS_NO_ENDPOINTS):
        return ()
    missing = _strings(head.fact("missing"))
    candidates = [f for f in ctx.result.with_code(events_check.WEBHOOK_ENDPOINT)
                  if f.fact("enabled") and not f.fact("all_events") and f.subject]
    url = (ctx.inputs.webhook_url or "").strip()
    if candidates and not url:
        return _add(ctx, max(candidates, key=lambda f: len(_strings(f.fact("receives")))), missing)
    destinations = [f for f in ctx.result.with_code(events_check.WEBHOOK_DESTINATION)
                    if f.fact("enabled") and f.fact("own_events") and f.subject]
    if destinations and not url:
        return (_destination(ctx, max(destinations, key=lambda f: len(_strings(f.fact("receives")))), missing),)
    return (_create(ctx, url, _strings(head.expected) or missing),)


def _destination(ctx: FixContext, chosen: Finding, missing: list[str]) -> Fix:
    """Guided: the assistant writes no event destination; the owner adds the events in Workbench."""
    facts = {"destination": chosen.text("said"), "missing": ", ".join(missing),
             "url": dashboard_url(ctx.mode, "webhooks")}
    return Fix(id=DESTINATION, check=ctx.result.id, title=wording.title(DESTINATION), kind=GUIDED, mode=ctx.mode,
               summary=wording.text(DESTINATION, "summary", **facts), dashboard_url=facts["url"],
               steps=wording.steps(DESTINATION, **facts))


def _strings(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, tuple) else []


def _add(ctx: FixContext, chosen: Finding, missing: list[str]) -> tuple[Fix, ...]:
    assert chosen.subject is not None
    endpoint_id = chosen.subject.id
    endpoint = next((e for e in ctx.snapshot.webhook_endpoints.value or [] if e.get("id") == endpoint_id), None)
    if endpoint is None:
        return ()
    before = [str(e) for e in endpoint.get(EVENTS) or []]
    added = [e for e in missing if e not in before]
    if not added:
        return ()
    after = [*before, *added]
    notes = tuple(wording.text(ADD, "star_untouched", url=f.text("url"))
                  for f in ctx.result.with_code(events_check.WEBHOOK_ENDPOINT) if f.fact("all_events"))
    return (Fix(
        id=ADD, check=ctx.result.id, title=wording.title(ADD), kind=API, mode=ctx.mode,
        summary=wording.text(ADD, "summary", added=", ".join(added), url=chosen.text("url")),
        requests=(Request("POST", object_path(endpoint_id), params_for([(EVENTS, after)])),),
        changes=(FieldChange(endpoint_id, EVENTS, before, after, WEBHOOK_ENDPOINT),),
        notes=notes,
    ),)


def url_problem(url: str, mode: str | None) -> str | None:
    """Why Stripe could not deliver to `url` (a `why` key of the wording), or None."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return "invalid"
    if parts.scheme.lower() not in ("http", "https") or not host or " " in url:
        return "invalid"
    if host in _LOCAL or host.endswith(".localhost"):
        return "local"
    if is_live(mode) and parts.scheme.lower() != "https":
        return "http_live"
    return None


def _create(ctx: FixContext, url: str, events: list[str]) -> Fix:
    mode = ctx.mode or "test"
    secret = wording.text(CREATE, "secret", webhooks=dashboard_url(ctx.mode, "webhooks"))
    base = Fix(id=CREATE, check=ctx.result.id, title=wording.title(CREATE), kind=API, mode=ctx.mode,
               summary=wording.text(CREATE, "summary", mode=mode, url=url, events=", ".join(events)),
               notes=(secret,), takes=(WEBHOOK_URL,))
    if not url:
        return replace(base, summary=wording.text(CREATE, "summary_needs", mode=mode), needs=(WEBHOOK_URL,))
    problem = url_problem(url, ctx.mode)
    if problem:
        why = wording.text(CREATE, "why", problem)
        return replace(base, problem=wording.text(CREATE, "problem", url=url, why=why))
    return replace(
        base,
        requests=(Request("POST", "/v1/webhook_endpoints", params_for([("url", url), (EVENTS, events)])),),
        changes=(FieldChange(None, "url", None, url, WEBHOOK_ENDPOINT),
                 FieldChange(None, EVENTS, None, events, WEBHOOK_ENDPOINT)),
    )
