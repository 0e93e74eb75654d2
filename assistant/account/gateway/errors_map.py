"""Translate stripe-python's exceptions into ours, keeping Stripe's own words."""

from __future__ import annotations

from collections.abc import Mapping

import stripe

from assistant.account.errors import (
    AccountAccessRefused,
    AuthenticationFailed,
    EndpointMissing,
    ErrorFields,
    GatewayError,
    InvalidRequest,
    NetworkFailed,
    NotFound,
    PermissionMissing,
    RateLimited,
    ServerFailed,
)

_MAX_BODY_IN_MESSAGE = 120
# Stripe's code for a `Stripe-Account` the key may not act as (a 403, like a missing permission).
ACCOUNT_INVALID = "account_invalid"


def _error_code(err: stripe.StripeError) -> str | None:
    # For 403 the SDK leaves `code` empty and puts it in the error object.
    return err.code or getattr(getattr(err, "error", None), "code", None)


def _error_type(err: stripe.StripeError) -> str | None:
    """Stripe's `error.type` from the answer's body (None for an answer that is not Stripe's)."""
    found = getattr(getattr(err, "error", None), "type", None)
    return str(found) if isinstance(found, str) and found else None


def _is_stripe_json(err: stripe.StripeError) -> bool:
    # When a body is not JSON, stripe-python passes the response headers in the `json_body`
    # slot (and no headers), so "json_body is None" does not tell; Stripe's JSON has "error".
    return isinstance(err.json_body, dict) and "error" in err.json_body


def _request_id(err: stripe.StripeError) -> str | None:
    if err.request_id:
        return err.request_id
    misplaced = err.json_body if not _is_stripe_json(err) else None  # headers, see above
    try:
        found = misplaced.get("request-id") if isinstance(misplaced, Mapping) else None
    except Exception:
        return None
    return str(found) if found is not None else None


def _endpoint_missing(err: stripe.StripeError) -> bool:
    """A 404 for the URL itself, not for an object: a plain or HTML 404 page, or Stripe's own
    "Unrecognized request URL" (which carries no `code`, unlike a missing object's)."""
    if err.http_status != 404:
        return False
    if not _is_stripe_json(err):
        return True
    message = err.user_message or ""
    return message.startswith("Unrecognized request URL") and not _error_code(err)


def map_stripe_error(err: stripe.StripeError, request: str = "that request") -> GatewayError:
    """Our error for `err`; `request` ("GET /v1/...") names what was asked in sentences that
    have no Stripe wording to quote."""
    message = err.user_message or str(err) or "Stripe gave no message."
    common: ErrorFields = {
        "code": _error_code(err),
        "request_id": _request_id(err),
        "http_status": err.http_status,
        "param": getattr(err, "param", None),
        "error_type": _error_type(err),
    }
    if _endpoint_missing(err):
        return EndpointMissing(
            f"This server does not offer {request}: it answered 404, as for an address it does "
            "not know, so that part could not be checked.",
            **common,
        )
    if isinstance(err, stripe.AuthenticationError):
        return AuthenticationFailed(message, **common)
    if isinstance(err, stripe.PermissionError):
        if common.get("code") == ACCOUNT_INVALID:
            return AccountAccessRefused(message, **common)
        return PermissionMissing(message, **common)
    if isinstance(err, stripe.RateLimitError):
        return RateLimited(message, **common)
    if isinstance(err, stripe.InvalidRequestError):
        if err.http_status == 404 or common.get("code") == "resource_missing":
            return NotFound(message, **common)
        return InvalidRequest(message, **common)
    if isinstance(err, stripe.APIConnectionError):
        return NetworkFailed(_connection_message(err), **common)
    if not _is_stripe_json(err) and err.http_status is not None:
        return ServerFailed(_non_json_message(err), **common)
    if err.http_status is None or err.http_status >= 500:
        return ServerFailed(message, **common)
    return GatewayError(message, **common)


def _connection_message(err: stripe.APIConnectionError) -> str:
    text = err.user_message or ""
    if "timed out" in text.lower() or "timeout" in text.lower():
        return "The request timed out before Stripe answered."
    return "No connection to Stripe could be made (refused, reset, or no network)."


def _non_json_message(err: stripe.StripeError) -> str:
    body = err.http_body if isinstance(err.http_body, str) else ""
    snippet = " ".join(body.split())[:_MAX_BODY_IN_MESSAGE]
    looks_html = "<html" in body.lower() or "<!doctype" in body.lower()
    kind = "an HTML page" if looks_html else "a body that is not Stripe's JSON"
    return (
        f"HTTP {err.http_status} with {kind} (a proxy or an outage page, not Stripe's API)."
        + (f" It began: {snippet!r}" if snippet and not looks_html else "")
    )
