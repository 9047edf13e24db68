import asyncio
import datetime
import hashlib
import http.server
import ipaddress
import os
import socket
import socketserver
import ssl
import subprocess
import sys
import threading
import time

import httpx
import pytest

from tests.sources.conftest import ScriptedServer
from ufc_pipeline.sources.config import SiteConfig
from ufc_pipeline.sources.errors import FetchError, RobotsDisallowed, SiteBlocked
from ufc_pipeline.sources.http import PoliteClient
from ufc_pipeline.sources.policy import parse_retry_after

CF = b"<html><head><title>Just a moment...</title></head><body>cf_chl_opt</body></html>"


def cfg(url: str, **kw) -> SiteConfig:
    base = dict(
        name="testsite",
        base_url=url,
        rate_per_s=0,
        concurrency=2,
        max_retries=3,
        backoff_base_s=0.01,
        backoff_max_s=0.05,
        timeout_s=5,
    )
    base.update(kw)
    return SiteConfig(**base)


def fetch(config: SiteConfig, path: str, **kw):
    async def go():
        async with PoliteClient(config) as c:
            resp = await c.get(path, **kw)
            return resp, c.stats

    return asyncio.run(go())


def test_retries_5xx_then_succeeds(scripted):
    scripted.routes["/flaky"] = lambda p, n: (503, {}, b"busy") if n < 3 else (200, {}, b"ok")
    resp, stats = fetch(cfg(scripted.url), "/flaky")
    assert resp.status == 200 and resp.content == b"ok"
    assert scripted.hits["/flaky"] == 3
    assert stats.retries["page"] == 2


def test_gives_up_with_clear_error(scripted):
    scripted.routes["/down"] = lambda p, n: (500, {}, b"err")
    with pytest.raises(FetchError) as exc:
        fetch(cfg(scripted.url), "/down")
    msg = str(exc.value)
    assert "testsite" in msg and "/down" in msg and "HTTP 500 after 4 tries" in msg
    assert scripted.hits["/down"] == 4


def test_honours_retry_after(scripted):
    scripted.routes["/slow"] = lambda p, n: (
        (429, {"Retry-After": "0"}, b"") if n == 1 else (200, {}, b"fine")
    )
    resp, _ = fetch(cfg(scripted.url, backoff_base_s=30, backoff_max_s=30), "/slow")
    # with a 30 s backoff the test would time out if Retry-After: 0 were ignored
    assert resp.content == b"fine"


def test_parse_retry_after():
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert parse_retry_after("garbage") is None
    assert parse_retry_after(None) is None


def test_robots_disallow_is_obeyed(scripted):
    scripted.routes["/private/x"] = lambda p, n: (200, {}, b"secret")
    with pytest.raises(RobotsDisallowed):
        fetch(cfg(scripted.url), "/private/x")
    assert "/private/x" not in scripted.hits


def test_missing_robots_allows_all(scripted):
    del scripted.routes["/robots.txt"]
    scripted.routes["/page"] = lambda p, n: (200, {}, b"hello")
    resp, _ = fetch(cfg(scripted.url), "/page")
    assert resp.content == b"hello"


def test_block_page_is_not_data(scripted):
    scripted.routes["/blocked"] = lambda p, n: (403, {}, CF)
    with pytest.raises(SiteBlocked) as exc:
        fetch(cfg(scripted.url), "/blocked")
    assert "cloudflare" in str(exc.value) and "lower testsite rate" in str(exc.value)


def test_block_page_with_200_then_real_page(scripted):
    scripted.routes["/cf"] = lambda p, n: (200, {}, CF) if n == 1 else (200, {}, b"<p>real</p>")
    resp, _ = fetch(cfg(scripted.url), "/cf")
    assert resp.content == b"<p>real</p>"


def test_user_agent_is_sent(scripted):
    scripted.routes["/ua"] = lambda p, n: (200, {}, b"x")
    fetch(cfg(scripted.url, user_agent="ufc-pipeline-test/1.0"), "/ua")
    assert set(scripted.user_agents) == {"ufc-pipeline-test/1.0"}


def test_absolute_links_are_rebased(scripted):
    scripted.routes["/fighter-details/abc"] = lambda p, n: (200, {}, b"rebased")
    resp, _ = fetch(cfg(scripted.url), "http://ufcstats.com/fighter-details/abc")
    assert resp.content == b"rebased"


def test_oversized_page_refused(scripted):
    scripted.routes["/huge"] = lambda p, n: (200, {}, b"x" * 5000)
    with pytest.raises(FetchError, match="larger than 1000 bytes"):
        fetch(cfg(scripted.url, max_page_bytes=1000), "/huge")


def test_404_is_returned_not_retried(scripted):
    resp, _ = fetch(cfg(scripted.url), "/nope")
    assert resp.status == 404 and scripted.hits["/nope"] == 1


def test_bad_base_url_names_the_setting():
    with pytest.raises(ValueError, match="base URL"):
        SiteConfig(name="sherdog", base_url="www.sherdog.com")


def test_retries_connection_errors_then_names_the_tries():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}"

    async def go():
        async with PoliteClient(cfg(url)) as c:
            with pytest.raises(FetchError) as exc:
                await c.get("/page")
            return exc.value, c.stats

    error, stats = asyncio.run(go())
    assert "robots.txt unreachable" in str(error) and "after 4 tries" in str(error)
    assert stats.requests["robots"] == 4 and stats.retries["robots"] == 3


class _SilentCloser(socketserver.BaseRequestHandler):
    """Answers one request as if keeping the connection alive, then closes it."""

    def handle(self) -> None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = self.request.recv(4096)
            if not chunk:
                return
            data += chunk
        self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")


def test_idle_connection_closed_by_the_server_is_not_reused():
    """The pool notices a kept-alive connection the server has closed since (the socket
    reads as readable) and opens a new one: no failed request, no retry."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SilentCloser)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"

    async def go():
        async with PoliteClient(cfg(url, obey_robots=False, concurrency=1)) as c:
            bodies = []
            for _ in range(3):
                bodies.append((await c.get("/page")).content)
                await asyncio.sleep(0.2)  # the server's FIN arrives
            return bodies, c.stats

    try:
        bodies, stats = asyncio.run(go())
    finally:
        server.shutdown()
        server.server_close()
    assert bodies == [b"ok"] * 3
    assert stats.requests["page"] == 3 and not stats.retries


def test_default_transport_is_aiohttp_and_proxies_keep_theirs(monkeypatch):
    """The client's own transport is aiohttp's (should an httpx upgrade move it, this says
    the optimisation no longer applies); a proxy from the environment keeps httpx's."""
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("NO_PROXY", "localhost")

    async def go():
        async with PoliteClient(cfg("http://127.0.0.1:9")) as c:
            client = c._client
            assert client is not None
            return (
                type(client._transport).__name__,
                type(client._transport_for_url(httpx.URL("http://example.org/"))).__name__,
            )

    assert asyncio.run(go()) == ("AiohttpTransport", "AsyncHTTPTransport")


def test_without_a_proxy_httpcore_is_never_loaded():
    """With no proxy in the environment the client is built on aiohttp's transport from
    the start: httpx's default transport, whose import of httpcore cost 0.1-0.2 s of every
    process that opens a client, is never made."""
    code = (
        "import asyncio, sys\n"
        "from ufc_pipeline.sources.config import SiteConfig\n"
        "from ufc_pipeline.sources.http import PoliteClient\n"
        "async def go():\n"
        "    async with PoliteClient(SiteConfig(name='x', base_url='http://127.0.0.1:9')) as c:\n"
        "        return type(c._client._transport).__name__\n"
        "print(asyncio.run(go()), 'httpcore' in sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["AiohttpTransport", "False"]


def test_read_timeout_is_retried(scripted):
    def slow_once(path, n):
        if n == 1:
            time.sleep(1.0)  # longer than the client's timeout
        return 200, {}, b"in time"

    scripted.routes["/slow-once"] = slow_once
    resp, stats = fetch(cfg(scripted.url, timeout_s=0.3), "/slow-once")
    assert resp.content == b"in time" and stats.retries["page"] == 1


def test_large_body_is_read_whole(scripted):
    """A body far larger than what is buffered before reading pauses (256 KB)."""
    big = bytes(range(256)) * 12_000  # 3 MB
    scripted.routes["/big"] = lambda p, n: (200, {}, big)
    resp, stats = fetch(cfg(scripted.url), "/big")
    assert resp.content == big and not stats.retries


class _CutShort(socketserver.BaseRequestHandler):
    """Promises ten bytes, sends three, closes."""

    def handle(self) -> None:
        self.request.recv(65536)
        self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")


def test_body_cut_short_is_retried_then_named():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _CutShort)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(FetchError, match="RemoteProtocolError.*after 4 tries"):
            fetch(cfg(f"http://127.0.0.1:{server.server_address[1]}", obey_robots=False), "/x")
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def tls_site(tmp_path):
    """An HTTPS server on 127.0.0.1 with a self-signed certificate (and its PEM path)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_pem = tmp_path / "cert.pem"
    key_pem = tmp_path / "key.pem"
    cert_pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    srv = ScriptedServer()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_pem, key_pem)
    srv.httpd.socket = context.wrap_socket(srv.httpd.socket, server_side=True)
    srv.url = srv.url.replace("http://", "https://")
    srv.routes["/robots.txt"] = lambda p, n: (200, {}, b"User-agent: *\nDisallow: /private/\n")
    yield srv, cert_pem
    srv.stop()


def test_https_over_the_aiohttp_transport(tls_site, monkeypatch):
    srv, cert_pem = tls_site
    big = b"<html>" + b"x" * 700_000 + b"</html>"
    srv.routes["/page"] = lambda p, n: (200, {}, big)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_pem))

    async def go():
        async with PoliteClient(cfg(srv.url)) as c:
            return [await c.get("/page") for _ in range(3)], c.stats

    pages, stats = asyncio.run(go())
    assert [p.content for p in pages] == [big] * 3 and not stats.retries
    assert stats.requests == {"robots": 1, "page": 3}


def test_https_with_an_untrusted_certificate_fails_clearly(tls_site, monkeypatch):
    srv, _ = tls_site
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    with pytest.raises(FetchError, match="robots.txt unreachable.*CERTIFICATE_VERIFY_FAILED"):
        fetch(cfg(srv.url, max_retries=1), "/page")


def test_redirects_followed_with_cookies_and_conditional_headers(scripted):
    """Delays off: a redirect chain is one request of the caller's (as httpx follows it),
    the cookie set on the way is sent on, the validators go to each hop."""
    scripted.routes["/old"] = lambda p, n: (302, {"Location": "/mid", "Set-Cookie": "s=1"}, b"")
    scripted.routes["/new"] = lambda p, n: (200, {}, b"moved here")
    scripted.routes["/mid"] = lambda p, n: (301, {"Location": f"{scripted.url}/new"}, b"")
    resp, stats = fetch(cfg(scripted.url), "/old", etag='"v1"')
    assert resp.content == b"moved here" and resp.url == f"{scripted.url}/new"
    assert stats.requests["page"] == 1 and not stats.retries
    sent = {path: headers for path, headers in scripted.headers}
    assert "s=1" in sent["/new"].get("Cookie", "") and "s=1" in sent["/mid"].get("Cookie", "")
    assert all(sent[p]["If-None-Match"] == '"v1"' for p in ("/old", "/mid", "/new"))
    assert sent["/new"]["Accept"] == "*/*" and sent["/new"]["Accept-Encoding"] == "gzip, deflate"


def test_a_redirect_loop_is_a_fetch_error(scripted):
    scripted.routes["/loop"] = lambda p, n: (302, {"Location": "/loop"}, b"")
    with pytest.raises(FetchError, match="more than 20 redirects"):
        fetch(cfg(scripted.url), "/loop")
    assert scripted.hits["/loop"] == 21


_CHALLENGE = (
    "<html><head><title>Checking your browser...</title></head><body>"
    '<form id="c" method="POST" action="/__c"><input type="hidden" name="nonce">'
    '<input type="hidden" name="n"></form>'
    "<script>var nonce=\"{nonce}\";var target=new Array(2+1).join('0');</script></body></html>"
)


class _ChallengeSite(http.server.BaseHTTPRequestHandler):
    """Answers every GET with the proof-of-work page until the session cookie is sent."""

    protocol_version = "HTTP/1.1"
    nonce = "c0ffee00c0ffee00"
    cookie_gets: list[bool] = []

    def log_message(self, *a: object) -> None:
        pass

    def _answer(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for k, v in {"Content-Length": str(len(body)), **(headers or {})}.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/robots.txt":
            return self._answer(200, b"User-agent: *\nAllow: /\n")
        passed = "session=ok" in (self.headers.get("Cookie") or "")
        type(self).cookie_gets.append(passed)
        self._answer(
            200, b"<p>real</p>" if passed else _CHALLENGE.format(nonce=self.nonce).encode()
        )

    def do_POST(self) -> None:  # noqa: N802
        form = self.rfile.read(int(self.headers["Content-Length"])).decode()
        fields = dict(kv.split("=", 1) for kv in form.split("&"))
        digest = hashlib.sha256(f"{fields['nonce']}:{fields['n']}".encode()).hexdigest()
        if fields["nonce"] == self.nonce and digest.startswith("00"):
            return self._answer(200, b"ok", {"Set-Cookie": "session=ok; Path=/"})
        self._answer(403, b"wrong")


def test_challenge_cookie_is_sent_on_the_next_requests():
    _ChallengeSite.cookie_gets = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _ChallengeSite)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"

    async def go():
        async with PoliteClient(cfg(url)) as c:
            return [(await c.get(f"/fighter-details/{i}")).content for i in range(3)], c.stats

    try:
        bodies, stats = asyncio.run(go())
    finally:
        server.shutdown()
        server.server_close()
    assert bodies == [b"<p>real</p>"] * 3
    assert stats.challenges == 1 and stats.requests["challenge"] == 1
    assert _ChallengeSite.cookie_gets == [False, True, True, True]
