"""A local HTTP server for the fetching tests and bench-ingest: a thread on 127.0.0.1.

Routes map a path to a Route (status, headers, body, and how to send it: slowly, or
in pieces). Every request is recorded (path and headers), so a test can assert what
was asked, and that nothing was. Given a server-side ``ssl.SSLContext`` it speaks HTTPS.

    with FixtureServer() as server:
        server.route("/a", Route(body=b"<html>...</html>"))
        server.url("/a")  # http://127.0.0.1:PORT/a
"""

from __future__ import annotations

import dataclasses
import http.server
import socket
import ssl
import sys
import threading
import time


@dataclasses.dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    # Seconds to wait between pieces of the body (a slow server); 0 sends it at once.
    dribble: float = 0.0
    pieces: int = 1
    # A 304 when the request's If-None-Match equals this ETag.
    etag: str | None = None


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802 - the standard library's name
        self.server.requests.append((self.path, dict(self.headers.items())))
        route = self.server.routes.get(self.path)
        if route is None:
            route = Route(status=404, body=b"<html><body>not here</body></html>")
        if route.etag and self.headers.get("If-None-Match") == route.etag:
            self.send_response(304)
            self.send_header("ETag", route.etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(route.status)
        if route.content_type:
            self.send_header("Content-Type", route.content_type)
        if route.etag:
            self.send_header("ETag", route.etag)
        for key, value in route.headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(route.body)))
        self.end_headers()
        size = max(1, -(-len(route.body) // route.pieces))
        try:
            for start in range(0, max(len(route.body), 1), size):
                self.wfile.write(route.body[start:start + size])
                self.wfile.flush()
                if route.dribble:
                    time.sleep(route.dribble)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should on a slow or oversized answer

    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    routes: dict[str, Route]
    requests: list[tuple[str, dict[str, str]]]
    tls: ssl.SSLContext | None = None

    def get_request(self):
        sock, address = super().get_request()
        if self.tls is not None:
            # The handshake happens on the handler's thread, at its first read: a client that
            # hangs or refuses the certificate holds up no other connection.
            sock = self.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, address

    def handle_error(self, request, client_address) -> None:
        # A client that hangs up (a fetch cut off at its cap or time limit, a closed keep-alive
        # connection, a certificate refused) is expected here; anything else is printed as the
        # standard library does.
        if not isinstance(sys.exc_info()[1], ConnectionError | ssl.SSLError):
            super().handle_error(request, client_address)


class _Server6(_Server):
    address_family = socket.AF_INET6


class FixtureServer:
    """A threaded HTTP server on ``host`` (127.0.0.1) and a free port, for one ``with`` block.

    With ``tls`` (a server-side context holding a certificate) it serves HTTPS.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, tls: ssl.SSLContext | None = None) -> None:
        self._server = (_Server6 if ":" in host else _Server)((host, port), _Handler)
        self._server.tls = tls
        self._server.routes = {}
        self._server.requests = []
        self.host, self.port = self._server.server_address[:2]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> FixtureServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def route(self, path: str, route: Route) -> str:
        self._server.routes[path] = route
        return self.url(path)

    def url(self, path: str) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        scheme = "https" if self._server.tls is not None else "http"
        return f"{scheme}://{host}:{self.port}{path}"

    @property
    def requests(self) -> list[tuple[str, dict[str, str]]]:
        return self._server.requests
