"""What Stripe said when it refused a request, in one shape for every renderer.

The agent quotes these to the owner or to Stripe support, so every view shows the same fields
under the same names: the message in Stripe's own words, then the code, the parameter, the
request id and the HTTP status, each only when Stripe gave it. A permission the message names
(`rak_webhook_read`) is said as the Dashboard shows it ("Webhook Endpoints: Read"): that is
the row the owner changes; the JSON report keeps the message exactly as Stripe sent it.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.account.errors import StripeErrorInfo
from assistant.account.permissions import in_dashboard_words

HEADING = "Stripe said"


@dataclass(frozen=True)
class SaidField:
    label: str  # "Message", "Code", "Param", "Request ID", "HTTP status"
    value: str
    literal: bool  # an identifier to show as code (code, param, request id), not prose


def stripe_said(err: StripeErrorInfo) -> list[SaidField]:
    """The fields Stripe gave, message first."""
    fields = [SaidField("Message", in_dashboard_words(err.message), False)]
    for label, value in (("Code", err.code), ("Param", err.param), ("Request ID", err.request_id)):
        if value:
            fields.append(SaidField(label, value, True))
    if err.http_status:
        fields.append(SaidField("HTTP status", str(err.http_status), False))
    return fields


def stripe_said_line(err: StripeErrorInfo) -> str:
    """One line for plain text: `Stripe said: <message> (code x, param y, request req_z)`."""
    extra = ", ".join(f"{f.label.lower().replace('request id', 'request')} {f.value}"
                      for f in stripe_said(err) if f.literal)
    return f"{HEADING}: {in_dashboard_words(err.message)}" + (f" ({extra})" if extra else "")
