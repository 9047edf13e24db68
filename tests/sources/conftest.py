"""A programmable HTTP server on 127.0.0.1 for client tests (real sockets, no mocks)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

Handler = Callable[[str, int], tuple[int, dict[str, str], bytes]]


class ScriptedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.hits: dict[str, int] = {}
        self.user_agents: list[str] = []
        self.headers: list[tuple[str, dict[str, str]]] = []  # (path, request headers)
        server = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                path = self.path
                server.user_agents.append(self.headers.get("User-Agent", ""))
                server.headers.append((path, dict(self.headers.items())))
                n = server.hits[path] = server.hits.get(path, 0) + 1
                route = server.routes.get(path.split("?")[0]) or server.routes.get(path)
                if route is None:
                    status, headers, body = 404, {}, b"not found"
                else:
                    status, headers, body = route(path, n)
                self.send_response(status)
                headers = {"Content-Type": "text/html; charset=utf-8", **headers}
                for k, v in headers.items():
                    self.send_header(k, v)
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def scripted() -> Iterator[ScriptedServer]:
    srv = ScriptedServer()
    srv.routes["/robots.txt"] = lambda p, n: (
        200,
        {"Content-Type": "text/plain"},
        b"User-agent: *\nDisallow: /private/\n",
    )
    yield srv
    srv.stop()
