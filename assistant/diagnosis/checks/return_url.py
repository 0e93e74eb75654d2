"""portal.return_url: where customers land after the portal, and whether Stripe accepts it."""

from __future__ import annotations

from urllib.parse import urlsplit

from assistant.diagnosis.checks import messages as msg
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.checks.gates import configuration_gate, default_configuration
from assistant.diagnosis.checks.portal import configuration_subject
from assistant.diagnosis.model import CheckResult, Finding, Status

CID = "portal.return_url"
_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0"})


def url_verdict(url: str, mode: str | None) -> tuple[str, Status]:
    """The finding code and status for one return URL in `mode` (the rule Stripe applies,
    plus what real customers would hit in live mode). The return URL page calls this too."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        parts, host = None, ""
    if parts is None or parts.scheme.lower() not in ("http", "https") or not host:
        return "return_url.invalid", Status.FAIL
    if mode == "live":
        if host in _LOCAL_HOSTS or host.endswith(".localhost"):
            return "return_url.live_localhost", Status.WARN
        if parts.scheme.lower() == "http":
            return "return_url.live_http", Status.WARN
    return "return_url.ok", Status.PASS


def check_return_url(ctx: CheckContext) -> CheckResult:
    snap = ctx.snapshot
    mode = snap.mode
    gate = configuration_gate(CID, snap)
    if gate is not None:
        return gate
    conf = default_configuration(snap)
    default = (conf.get("default_return_url") or "").strip()
    given = (ctx.return_url or "").strip()
    config = configuration_subject(conf)
    evidence = [
        Finding("return_url.app_value", field="return_url", seen=given or None,
                facts={"url": given or "—"}),
        Finding("return_url.default_value", subject=config, field="default_return_url",
                seen=default or None, facts={"url": default or "—"}),
    ]
    if not given and not default:
        return msg.render(CID, mode, [
            Finding("return_url.missing", Status.FAIL, subject=config, field="default_return_url"),
            *evidence,
        ])
    url = given or default
    source = "given" if given else "default"
    code, status = url_verdict(url, mode)
    return msg.render(CID, mode, [
        Finding(code, status, subject=None if given else config,
                field="return_url" if given else "default_return_url", seen=url,
                facts={"url": url, "source": msg.label("url_sources", source), "from": source}),
        *evidence,
    ])
