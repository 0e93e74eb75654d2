"""A TCP proxy in front of PostgreSQL that lets each connection log in, then stops forwarding.

What a team database behind a broken VPN or a wedged load balancer looks like: the connection is
accepted, the login completes (the proxy watches the server's first ReadyForQuery message), and
then nothing the client sends reaches the server and nothing comes back, while the TCP
connection itself stays healthy (the proxy's kernel acknowledges everything, so keepalives and
the kernel's retransmission limits see nothing wrong). Only a deadline on the client side helps.
"""

from __future__ import annotations

import contextlib
import socket
import threading

READY_FOR_QUERY = b"Z\x00\x00\x00\x05"  # the message header the server sends after the login


class StallingProxy:
    """`with StallingProxy(server_port) as proxy:` then connect to 127.0.0.1:`proxy.port`."""

    def __init__(self, target_port: int, *, stall: bool = True) -> None:
        self.target_port = target_port
        self.stall = stall
        self.logins = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._stopping = threading.Event()
        self._sockets: list[socket.socket] = []

    def __enter__(self) -> StallingProxy:
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopping.set()
        self._listener.close()
        for sock in self._sockets:
            with contextlib.suppress(OSError):
                sock.close()

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target_port))
            self._sockets += [client, server]
            logged_in = threading.Event()
            threading.Thread(target=self._pipe, args=(client, server, logged_in, False), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, logged_in, True), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, logged_in: threading.Event,
              from_server: bool) -> None:
        seen = b""
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                return
            if not data:
                return
            if self.stall and logged_in.is_set():
                continue  # swallowed: the client waits for an answer that never comes
            try:
                sink.sendall(data)
            except OSError:
                return
            if from_server and not logged_in.is_set():
                seen = (seen + data)[-4096:]
                if READY_FOR_QUERY in seen:
                    self.logins += 1
                    logged_in.set()
