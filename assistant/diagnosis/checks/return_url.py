"""portal.return_url: where customers land after the portal, and whether Stripe accepts it."""

from __future__ import annotations

from urllib.parse import urlsplit

from assistant.diagnosis.checks import messages as msg
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.checks.gates import configuration_gate, default_configuration
from assistant.diagnosis.model import CheckResult, Status

CID = "portal.return_url"
_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0"})


def check_return_url(ctx: CheckContext) -> CheckResult:
    snap = ctx.snapshot
    mode = snap.mode
    gate = configuration_gate(CID, snap)
    if gate is not None:
        return gate
    default = (default_configuration(snap).get("default_return_url") or "").strip()
    given = (ctx.return_url or "").strip()
    details = [
        msg.note(CID, "given", mode, url=given or "—"),
        msg.note(CID, "default", mode, url=default or "—"),
    ]
    if not given and not default:
        return msg.render(CID, "missing", Status.FAIL, mode, details=details)
    url = given or default
    source = msg.label("url_sources", "given" if given else "default")
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        parts, host = None, ""
    if parts is None or parts.scheme.lower() not in ("http", "https") or not host:
        return msg.render(CID, "invalid", Status.FAIL, mode, details=details, url=url, source=source)
    if mode == "live":
        if host in _LOCAL_HOSTS or host.endswith(".localhost"):
            return msg.render(CID, "live_localhost", Status.WARN, mode, details=details,
                              url=url, source=source)
        if parts.scheme.lower() == "http":
            return msg.render(CID, "live_http", Status.WARN, mode, details=details,
                              url=url, source=source)
    return msg.render(CID, "pass", Status.PASS, mode, details=details, url=url, source=source)
