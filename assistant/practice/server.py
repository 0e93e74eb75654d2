"""The practice Stripe API over HTTP on 127.0.0.1, for the real stripe SDK to talk to unchanged.

Threaded so that injected latency overlaps the way network latency does; faults let tests rehearse
rate limits, outages and broken connections without touching Stripe.
"""

from __future__ import annotations

import html
import json
import secrets
import socket
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from assistant.account.api_version import STRIPE_API_VERSION
from assistant.account.keys import mask_key
from assistant.practice.api import dispatch, key_from_header
from assistant.practice.faults import AFTER_THE_WRITE, Fault, FaultBook, error_for_status
from assistant.practice.params import decode_params
from assistant.practice.scenarios import Scenario
from assistant.practice.store import Store, StripeError

LogEntry = tuple[str, str, dict[str, Any], str]


class PracticeServer:
    """A stateful stand-in for api.stripe.com serving one scenario; use as a context manager."""

    def __init__(self, scenario: Scenario, *, latency: float = 0.0, host: str = "127.0.0.1", port: int = 0) -> None:
        self.scenario = scenario
        self.latency = latency
        self.store = Store(scenario)
        self.faults = FaultBook()
        self.request_log: list[LogEntry] = []
        # The `Stripe-Version` header each logged request carried (None: none), in the same order.
        self.request_versions: list[str | None] = []
        # The `Stripe-Account` header each logged request carried (None: none), in the same order.
        self.request_accounts: list[str | None] = []
        # Every write attempt, refused, failed or retried ones included: (method, path, idempotency key).
        self.write_attempts: list[tuple[str, str, str | None]] = []
        self._log_lock = threading.Lock()
        self._host, self._port = host, port
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    # lifecycle -------------------------------------------------------------------------------
    def start(self) -> str:
        if self._httpd is not None:
            return self.base_url
        self._stopping.clear()
        httpd = _HTTPServer((self._host, self._port), _Handler)
        httpd.practice = self
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"practice-server-{self.scenario.name}", daemon=True)
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self._stopping.set()
        httpd.shutdown()
        httpd.server_close()  # joins the request threads
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> PracticeServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("The practice server is not running; call start() first.")
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}" if isinstance(host, str) else f"http://{host.decode()}:{port}"

    # test hooks ------------------------------------------------------------------------------
    def inject_fault(self, path_prefix: str, *, status: int | None = None, times: int = 1, body: str | None = None,
                     headers: dict[str, str] | None = None, kind: str = "status", delay: float = 0.0,
                     method: str | None = None) -> None:
        """Make the next `times` requests whose path starts with `path_prefix` (and, if given,
        whose method is `method`) misbehave."""
        self.faults.add(Fault(path_prefix, kind, status, times, body, dict(headers or {}), delay, method))

    def reset(self) -> None:
        """Put the practice account back as its scenario describes it (every write undone)."""
        self.store.reset()
        self.faults.clear()

    @property
    def writes(self) -> list[tuple[str, str, str | None]]:
        """Every write that changed the account: (method, path, idempotency key)."""
        with self.store.lock:
            return list(self.store.writes)

    def clear_faults(self) -> None:
        self.faults.clear()

    @property
    def sessions(self) -> dict[str, dict[str, Any]]:
        with self.store.lock:
            return dict(self.store.sessions)

    def _log(self, entry: LogEntry, stripe_version: str | None = None, stripe_account: str | None = None) -> None:
        with self._log_lock:
            self.request_log.append(entry)
            self.request_versions.append(stripe_version)
            self.request_accounts.append(stripe_account)

    def _pause(self, seconds: float) -> None:
        if seconds > 0:
            self._stopping.wait(seconds)


def _json_body(body: str) -> dict[str, Any]:
    """A v2 request body: JSON (v1 bodies are form-encoded)."""
    try:
        value = json.loads(body) if body.strip() else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = True
    allow_reuse_address = True
    # The default backlog of 5 drops the SYNs of a concurrent burst (a diagnosis opens up to 8
    # connections at once) and the client only retries after a second.
    request_queue_size = 128
    practice: PracticeServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client hanging up mid-response is normal here (fault tests); stay quiet."""


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.0"
    timeout = 10
    server_version = "nginx"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    # -----------------------------------------------------------------------------------------
    def _serve(self, method: str) -> None:
        practice = self.server.practice
        parts = urlsplit(self.path)
        path = parts.path
        params = decode_params(parts.query)
        if method == "POST":
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
            params.update(_json_body(body) if path.startswith("/v2/") else decode_params(body))
        key = key_from_header(self.headers.get("Authorization"))
        practice._log((method, path, params, mask_key(key) if key else ""), self.headers.get("Stripe-Version"),
                      self.headers.get("Stripe-Account"))
        if method in ("POST", "DELETE"):
            with practice._log_lock:
                practice.write_attempts.append((method, path, self.headers.get("Idempotency-Key")))
        practice._pause(practice.latency)

        fault = practice.faults.take(path, method)
        if fault is not None and fault.kind not in AFTER_THE_WRITE and self._fault(fault):
            return
        if method == "GET" and path.startswith("/portal/session/"):
            self._portal_page(path.rsplit("/", 1)[-1])
            return
        base_url = practice.base_url if practice._httpd else ""
        try:
            status, payload = 200, dispatch(practice.store, method, path, params, key, base_url,
                                            self.headers.get("Idempotency-Key"),
                                            stripe_account=self.headers.get("Stripe-Account"))
        except StripeError as err:
            status, payload = err.status, err.body()
        if fault is not None and fault.kind == "lost":  # done, but the answer never arrives
            status, payload = fault.status or 500, error_for_status(fault.status or 500)
        elif fault is not None and fault.kind == "held":  # done; the answer waits (or never comes)
            practice._pause(fault.delay)
        elif fault is not None and fault.kind == "dropped":  # done; the connection is cut
            self._reset()
            return
        self._send(status, json.dumps(payload, indent=2).encode())

    def _fault(self, fault: Fault) -> bool:
        """Answer with the fault; False means carry on normally (a slow fault only delays)."""
        if fault.kind == "slow":
            self.server.practice._pause(fault.delay)
            return False
        if fault.kind == "status":
            body = fault.body if fault.body is not None else json.dumps(error_for_status(fault.status or 500), indent=2)
            self._send(fault.status or 500, body.encode(), extra=fault.headers)
        elif fault.kind == "html":
            page = ("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway"
                    "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
            self._send(fault.status or 502, (fault.body or page).encode(), content_type="text/html",
                       extra=fault.headers)
        elif fault.kind == "malformed":
            self._send(fault.status or 200, (fault.body or '{"object": "list", "data": [{"id": "cus_').encode(),
                       extra=fault.headers)
        elif fault.kind == "reset":
            self._reset()
        return True

    def _reset(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "4096")
        self.end_headers()
        self.wfile.write(b'{"object": "list", "da')
        self.wfile.flush()
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()  # RST instead of FIN
        self.close_connection = True

    def _portal_page(self, session_id: str) -> None:
        session = self.server.practice.store.session(session_id)
        if session is None:
            page = "<!doctype html><title>Not found</title><h1>This portal session does not exist.</h1>"
            self._send(404, page.encode(), content_type="text/html; charset=utf-8", stripe=False)
            return
        mode = "live" if session["livemode"] else "test"
        customer = self.server.practice.store.find(mode, "customers", session["customer"] or "") or {}
        who = customer.get("name") or customer.get("email") or session["customer"] or session["customer_account"] or ""
        esc = html.escape
        page = (
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>Practice customer portal</title></head><body>"
            f"<h1>Practice customer portal for {esc(who)}</h1>"
            f"<p>Session {esc(session['id'])} ({esc(mode)} mode), configuration {esc(session['configuration'])}.</p>"
            f"<p><a href=\"{esc(session['return_url'] or '', quote=True)}\">Return to the merchant</a></p>"
            "</body></html>"
        )
        self._send(200, page.encode(), content_type="text/html; charset=utf-8", stripe=False)

    def _send(self, status: int, body: bytes, *, content_type: str = "application/json",
              extra: dict[str, str] | None = None, stripe: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if stripe:
            self.send_header("Request-Id", "req_" + secrets.token_hex(7))
            # The practice accounts are shaped as this one version is, whatever the request
            # asked for, so the answer names it (Stripe names the version it rendered).
            self.send_header("Stripe-Version", STRIPE_API_VERSION)
            if self.headers.get("Idempotency-Key"):
                self.send_header("Idempotency-Key", self.headers["Idempotency-Key"])
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
