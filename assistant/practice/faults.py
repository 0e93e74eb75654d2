"""Failures a test can switch on for the next few matching requests (rate limits, outages, resets)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

# "lost": the request is carried out, then its answer is replaced by the fault's status (a
# connection that drops after Stripe applied a write): what idempotency keys are for.
# "held": the request is carried out, then its answer waits `delay` seconds (a write in flight
# while the client is killed); "dropped": carried out, then the connection is cut with no answer.
KINDS = ("status", "html", "malformed", "reset", "slow", "lost", "held", "dropped")
AFTER_THE_WRITE = ("lost", "held", "dropped")  # kinds that let the request be carried out first

# Stripe's own wording for the errors a test is most likely to ask for.
STATUS_ERRORS: dict[int, tuple[str, str | None, str]] = {
    400: ("invalid_request_error", None, "Invalid request (practice fault)."),
    401: ("invalid_request_error", None, "Invalid API Key provided."),
    402: ("card_error", "card_declined", "Your card was declined."),
    403: ("invalid_request_error", None, "The provided key does not have the required permissions for this endpoint."),
    404: ("invalid_request_error", "resource_missing", "No such object."),
    409: ("invalid_request_error", "lock_timeout",
          ("This object cannot be accessed right now because another API request or Stripe process is currently "
           "accessing it. If you see this error intermittently, retry the request.")),
    429: ("invalid_request_error", "rate_limit",
          "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits."),
    500: ("api_error", None, "An unknown error occurred"),
    502: ("api_error", None, "Bad gateway"),
    503: ("api_error", None, "Service unavailable"),
}


@dataclass
class Fault:
    path_prefix: str
    kind: str = "status"
    status: int | None = None
    times: int = 1
    body: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    method: str | None = None  # only requests with this method (None: any)


class FaultBook:
    """Thread-safe queue of faults; each matching request uses up one `times`."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> None:
        if fault.kind not in KINDS:
            raise ValueError(f"Unknown fault kind {fault.kind!r}; use one of {', '.join(KINDS)}.")
        if fault.kind in ("status", "lost") and fault.status is None:
            raise ValueError("A 'status' fault needs a status code.")
        if fault.times < 1:
            raise ValueError("times must be at least 1.")
        with self._lock:
            self._faults.append(fault)

    def take(self, path: str, method: str | None = None) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if path.startswith(fault.path_prefix) and fault.method in (None, method):
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._faults)


def error_for_status(status: int) -> dict[str, object]:
    etype, code, message = STATUS_ERRORS.get(
        status, ("api_error" if status >= 500 else "invalid_request_error", None, f"Practice fault {status}.")
    )
    err: dict[str, object] = {"type": etype, "message": message}
    if code:
        err["code"] = code
        err["doc_url"] = f"https://stripe.com/docs/error-codes/{code.replace('_', '-')}"
    return {"error": err}
