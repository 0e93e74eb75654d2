"""portal.return_url: where customers land after the portal, and whether Stripe accepts it."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from assistant.account.keys import is_live
from assistant.diagnosis.checks import messages as msg
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.checks.gates import configuration_gate, default_configuration
from assistant.diagnosis.checks.portal import (
    CONFIGURATION_MISSING,
    CONFIGURATION_NO_DEFAULT,
    configuration_subject,
)
from assistant.diagnosis.model import CheckResult, Finding, Status, Subject

CID = "portal.return_url"

# Finding codes, as declared in resources/checks.json: planners, pages and tests import these.
RETURN_URL_MISSING = "return_url.missing"
RETURN_URL_INVALID = "return_url.invalid"
RETURN_URL_LIVE_LOCALHOST = "return_url.live_localhost"
RETURN_URL_LIVE_HTTP = "return_url.live_http"
RETURN_URL_OK = "return_url.ok"
RETURN_URL_APP_VALUE = "return_url.app_value"
RETURN_URL_DEFAULT_VALUE = "return_url.default_value"
# What `url_verdict` holds against a URL: live customers could not use it, or Stripe refuses it.
LIVE_UNREACHABLE = (RETURN_URL_LIVE_LOCALHOST, RETURN_URL_LIVE_HTTP)
URL_PROBLEMS = (RETURN_URL_INVALID, *LIVE_UNREACHABLE)
# What makes Stripe refuse a portal session that names no configuration (as "Open customer
# portal" creates): no default configuration, or no return URL it accepts. The window explains
# a refused session with the first of these a run found.
SESSION_REFUSALS = (CONFIGURATION_MISSING, CONFIGURATION_NO_DEFAULT, RETURN_URL_MISSING, RETURN_URL_INVALID)

_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0"})


# Names no business's page lives at: the documentation domains (RFC 2606) and reserved or
# local-only names. A link there is a placeholder someone forgot to replace.
_PLACEHOLDER_DOMAINS = ("example.com", "example.org", "example.net")
_RESERVED_SUFFIXES = (".example", ".localhost", ".local", ".test", ".invalid", ".internal")
_RESERVED_NAMES = frozenset({"example", "localhost", "local", "test", "invalid"})


def placeholder_host(url: str) -> bool:
    """True when `url` points at a placeholder or private address: a documentation domain
    (example.com, example.org, example.net, *.example), a local or reserved name (localhost,
    .local, .test, .invalid) or an address only a private network reaches (127.*, 10.*,
    192.168.*, 172.16-31.*, ::1). Customers anywhere else cannot open it."""
    try:
        host = (urlsplit(url.strip()).hostname or "").lower().rstrip(".")
    except ValueError:
        return False
    if not host:
        return False
    if host in _RESERVED_NAMES or host in _LOCAL_HOSTS or host.endswith(_RESERVED_SUFFIXES):
        return True
    if any(host == d or host.endswith("." + d) for d in _PLACEHOLDER_DOMAINS):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_private or address.is_loopback or address.is_link_local or address.is_unspecified


def url_verdict(url: str, mode: str | None) -> tuple[str, Status]:
    """The finding code and status for one return URL in `mode`: the rule Stripe applies
    ("Not a valid URL": a full http(s) address with a host, no spaces, a real port), plus what
    real customers would hit in live mode. The return URL page checks typed text with this."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number up to 65535
    except ValueError:
        parts, host = None, ""
    if (parts is None or any(ch.isspace() for ch in url)
            or parts.scheme.lower() not in ("http", "https") or not host):
        return RETURN_URL_INVALID, Status.FAIL
    if is_live(mode):
        if host in _LOCAL_HOSTS or host.endswith(".localhost"):
            return RETURN_URL_LIVE_LOCALHOST, Status.WARN
        if parts.scheme.lower() == "http":
            return RETURN_URL_LIVE_HTTP, Status.WARN
    return RETURN_URL_OK, Status.PASS


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
        Finding(RETURN_URL_APP_VALUE, field="return_url", seen=given or None,
                facts={"url": given or "—"}),
        Finding(RETURN_URL_DEFAULT_VALUE, subject=config, field="default_return_url",
                seen=default or None, facts={"url": default or "—"}),
    ]
    if not given and not default:
        return msg.render(CID, mode, [
            Finding(RETURN_URL_MISSING, Status.FAIL, subject=config, field="default_return_url"),
            *evidence,
        ])
    if given:
        return msg.render(CID, mode, [_verdict(given, mode, "given"), *evidence])
    return msg.render(CID, mode, [_verdict(default, mode, "default", config), *evidence])


def _verdict(url: str, mode: str | None, source: str, config: Subject | None = None) -> Finding:
    code, status = url_verdict(url, mode)
    return Finding(code, status, subject=config,
                   field="default_return_url" if config else "return_url", seen=url,
                   facts={"url": url, "source": msg.label("url_sources", source), "from": source})


def check_url(url: str, mode: str | None) -> CheckResult:
    """This check's verdict on one return URL the app would pass, in its own words: what the
    return URL page shows while the agent types (no snapshot needed)."""
    return msg.render(CID, mode, [_verdict(url.strip(), mode, "given")])
