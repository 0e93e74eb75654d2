"""A small HTTP server on 127.0.0.1 whose every answer a test writes, for servers that lie."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple
from urllib.parse import parse_qs, urlsplit


class Seen(NamedTuple):
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]


class Answer(NamedTuple):
    status: int
    body: bytes
    content_type: str = "application/json"


Responder = Callable[[Seen], Answer]


def json_answer(payload: Any, status: int = 200) -> Answer:
    return Answer(status, json.dumps(payload).encode())


class HostileServer:
    """`with HostileServer(respond) as server:` then point the gateway at `server.base_url`."""

    def __init__(self, respond: Responder) -> None:
        self.respond = respond
        self.seen: list[Seen] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                self._answer("GET")

            def do_POST(self) -> None:
                self._answer("POST")

            def _answer(self, method: str) -> None:
                parts = urlsplit(self.path)
                seen = Seen(method, parts.path, parse_qs(parts.query), dict(self.headers.items()))
                owner.seen.append(seen)
                answer = owner.respond(seen)
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(answer.body)))
                self.send_header("Request-Id", f"req_hostile{len(owner.seen)}")
                self.end_headers()
                self.wfile.write(answer.body)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
