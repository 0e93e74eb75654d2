"""The project's own error types. Only the gateway raises them; everything else reads them.

Each keeps Stripe's message, code, param and request id so the agent can quote Stripe exactly.
Messages are scrubbed of anything that looks like a key before they are stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypedDict, Unpack

from assistant.account.keys import KEY_LIKE
from assistant.account.secret_pieces import mask_pieces


@dataclass(frozen=True)
class StripeErrorInfo:
    """Stripe's own words for a failed request, kept verbatim for the agent and the report."""

    message: str
    code: str | None = None
    param: str | None = None
    request_id: str | None = None
    http_status: int | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "message": self.message,
            "code": self.code,
            "param": self.param,
            "request_id": self.request_id,
            "http_status": self.http_status,
        }


def scrub(text: str) -> str:
    """Replace any key-shaped token, and any piece of a key this process has read, so an error
    can be shown or logged safely."""
    text = mask_pieces(text or "")
    return KEY_LIKE.sub(lambda m: m.group(0)[: m.group(0).index("_", 3) + 1] + "…", text)


class ErrorFields(TypedDict, total=False):
    """What Stripe says about a failed request besides the message (GatewayError's keywords)."""

    code: str | None
    param: str | None
    request_id: str | None
    http_status: int | None
    error_type: str | None


class GatewayError(Exception):
    """A request to Stripe that did not succeed. `summary` is one line an agent can read out."""

    summary_prefix = "Stripe refused the request"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        param: str | None = None,
        request_id: str | None = None,
        http_status: int | None = None,
        error_type: str | None = None,
    ) -> None:
        self.message = scrub(message)
        self.code = code
        self.param = param
        self.request_id = request_id
        self.http_status = http_status
        # Stripe's `error.type` (invalid_request_error, idempotency_error, ...), when it sent one.
        self.error_type = error_type
        super().__init__(self.message)

    @property
    def info(self) -> StripeErrorInfo:
        return StripeErrorInfo(
            self.message, self.code, self.param, self.request_id, self.http_status
        )

    @property
    def summary(self) -> str:
        return f"{self.summary_prefix}: {self.message}"


class AuthenticationFailed(GatewayError):
    """401: the key is wrong, expired, rolled, or not a secret key."""

    summary_prefix = "Stripe did not accept the key"


class PermissionMissing(GatewayError):
    """403: a restricted key lacks a permission; `permission` is the name Stripe gave."""

    summary_prefix = "The restricted key lacks a permission"

    def __init__(self, message: str, *, permission: str | None = None, **kw: Unpack[ErrorFields]) -> None:
        super().__init__(message, **kw)
        self.permission = permission or permission_from_message(message)

    @property
    def dashboard_words(self) -> str | None:
        """The permission as the Dashboard's restricted key page names it ("Customer portal: Write")."""
        from assistant.account.permissions import dashboard_words

        return dashboard_words(self.permission)

    @property
    def summary(self) -> str:
        if self.permission:
            words = self.dashboard_words
            named = words or f"'{self.permission}'"
            return f"The restricted key lacks the {named} permission."
        return f"The restricted key lacks a permission: {self.message}"


class AccountAccessRefused(GatewayError):
    """403 `account_invalid`: the key may not act as the connected account named in
    `Stripe-Account` (not connected to this platform, access revoked, or no such account)."""

    summary_prefix = "Stripe refused the key access to the connected account"


class NotFound(GatewayError):
    """404 / resource_missing. `other_mode` is set when Stripe says it exists in the other mode."""

    summary_prefix = "Not found"

    @property
    def other_mode(self) -> str | None:
        m = re.search(r"exists in (test|live) mode", self.message)
        return m.group(1) if m else None


class InvalidRequest(GatewayError):
    """400: Stripe understood the request and said no (bad URL, no configuration, ...)."""


class RateLimited(GatewayError):
    """429 after our retries ran out."""

    summary_prefix = "Stripe kept answering 'too many requests' (429)"


class ServerFailed(GatewayError):
    """5xx, or a response that is not Stripe's JSON, after retries."""

    summary_prefix = "Stripe (or a proxy on the way) answered with an error"


class NetworkFailed(GatewayError):
    """Nothing usable came back: refused, reset, DNS, TLS, or timed out."""

    summary_prefix = "Could not reach Stripe"


_PERMISSION = re.compile(r"'(rak_[a-z0-9_]+)' permission")


def permission_from_message(message: str) -> str | None:
    m = _PERMISSION.search(message or "")
    return m.group(1) if m else None


class MalformedAnswer(GatewayError):
    """The server answered, but not with what Stripe's API documents for that request (a list
    without `data`, an object without `id`, a field of the wrong type, pages that never end).
    The message is the whole sentence: there is no Stripe wording to quote."""

    summary_prefix = "The answer was not Stripe's"

    @property
    def summary(self) -> str:
        return self.message


class EndpointMissing(MalformedAnswer):
    """404 for the endpoint itself (an HTML or plain-text 404 page, or Stripe's "Unrecognized
    request URL"): the server at the API address does not offer that request at all."""


class DeadlineExceeded(GatewayError):
    """The request was still waiting when the whole run's time limit ran out."""

    summary_prefix = "No answer in time"

    @property
    def summary(self) -> str:
        return self.message
