"""The safe fetcher against real servers on 127.0.0.1: what it refuses, what it bounds, and
what it lets through.

Every test runs with a guard on ``socket.connect`` that lets only loopback connections
through and records the others: a refusal must happen before any traffic leaves, and no
test ever reaches beyond this machine.
"""

from __future__ import annotations

import datetime
import gzip
import json
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import certifi
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from glimpse.federation.fetch import (
    ACTIVITY_ACCEPT,
    FetchRefused,
    fetch_json,
    fetch_media,
    safe_request,
)
from tests.federation.remote_server import refuse_beyond_loopback

# Every destination is checked against instance moderation's blocks, which are a table.
pytestmark = pytest.mark.django_db

Route = Callable[["Handler"], None]


@dataclass
class Seen:
    """One request as a test server got it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Server:
    """A server on a free loopback port that answers with ``route`` and logs each request."""

    port: int = 0
    seen: list[Seen] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        """Return a URL on this server under ``host``."""
        return f"http://{host}:{self.port}{path}"


class Handler(BaseHTTPRequestHandler):
    """Log the request on the server, then let the test's route answer it."""

    server_state: Server
    route: Route

    def handle_one(self) -> None:
        """Log one request and answer it."""
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {name.lower(): value for name, value in self.headers.items()}
        self.server_state.seen.append(Seen(self.command, self.path, headers, body))
        type(self).route(self)

    do_GET = do_POST = do_HEAD = handle_one

    def answer(self, status: int, body: bytes = b"", **headers: str) -> None:
        """Send a whole answer: status, headers (``Content_Type`` for ``Content-Type``), body."""
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        if "Content_Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet."""


class V6Server(ThreadingHTTPServer):
    """A test server on IPv6."""

    address_family = socket.AF_INET6


@contextmanager
def serving(
    route: Route, tls: ssl.SSLContext | None = None, address: str = "127.0.0.1"
) -> Iterator[Server]:
    """Run a server answering with ``route`` on a free loopback port while the block runs
    (over TLS when given a context; on IPv6 when given ``::1``)."""
    state = Server()
    handler = type("RouteHandler", (Handler,), {"server_state": state, "route": route})
    server = (V6Server if ":" in address else ThreadingHTTPServer)((address, 0), handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def activity(handler: Handler) -> None:
    """Answer an ActivityPub document."""
    handler.answer(200, b'{"type": "Person"}', Content_Type="application/activity+json")


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch, settings: Any) -> Iterator[list[Any]]:
    """Let only loopback connections through; yield the list of the others tried."""
    settings.GLIMPSE_FEDERATION_ALLOW_LOOPBACK = False
    settings.GLIMPSE_FEDERATION_HOSTS = {}
    settings.GLIMPSE_FEDERATION_FETCH_TIMEOUT = 5.0
    settings.GLIMPSE_FEDERATION_FETCH_DEADLINE = 10.0
    tried = refuse_beyond_loopback(monkeypatch)
    yield tried
    assert tried == []


# --- Refusals: nothing leaves ----------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost/",
        "http://[::1]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://[64:ff9b::a9fe:a9fe]/",
        "http://[2002:7f00:1::]/",
        "http://[fe80::1]/",
        "http://[fc00::1]/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://2130706433/",
        "http://0177.0.0.1/",
        "http://0x7f.0.0.1/",
        "http://127.1/",
        "https://127.0.0.1/",
        "https://10.0.0.1/",
        "file:///etc/passwd",
        "ftp://example.com/",
        "gopher://example.com/",
        "https://user:secret@example.com/",
        "https://example.com@127.0.0.1/",
        "https:///nohost",
        "https://exa mple.com/",
    ],
)
def test_refuses_what_is_not_a_public_https_url(url: str) -> None:
    with pytest.raises(FetchRefused):
        safe_request("GET", url)


def test_loopback_forms_refused_and_the_server_never_asked() -> None:
    with serving(activity) as server:
        port = server.port
        for url in [
            f"http://127.0.0.1:{port}/",
            f"http://localhost:{port}/",
            f"http://[::ffff:127.0.0.1]:{port}/",
            f"http://0.0.0.0:{port}/",
            f"http://2130706433:{port}/",
            f"http://0177.0.0.1:{port}/",
            f"https://127.0.0.1:{port}/",
        ]:
            with pytest.raises(FetchRefused):
                safe_request("GET", url)
        assert server.seen == []


def test_odd_address_forms_and_user_info_refused_even_with_loopback_allowed(settings: Any) -> None:
    settings.GLIMPSE_FEDERATION_ALLOW_LOOPBACK = True
    with serving(activity) as server:
        port = server.port
        for url in [
            f"http://2130706433:{port}/",
            f"http://0177.0.0.1:{port}/",
            f"http://[::ffff:127.0.0.1]:{port}/",
            f"http://user:pass@127.0.0.1:{port}/",
            f"http://127.0.0.1:{port}@127.0.0.1:{port}/",
        ]:
            with pytest.raises(FetchRefused):
                safe_request("GET", url)
        assert server.seen == []


def test_a_name_that_resolves_to_a_private_address_is_refused(settings: Any) -> None:
    settings.GLIMPSE_FEDERATION_HOSTS = {
        "intranet.test": "10.1.2.3",
        "meta.test": "169.254.169.254",
    }
    for url in ["https://intranet.test/", "https://meta.test/latest/"]:
        with pytest.raises(FetchRefused, match=r"private|link-local"):
            safe_request("GET", url)


def test_a_name_mapped_to_loopback_is_refused_without_the_allowance(settings: Any) -> None:
    with serving(activity) as server:
        settings.GLIMPSE_FEDERATION_HOSTS = {"alpha.test": "127.0.0.1"}
        with pytest.raises(FetchRefused, match="loopback"):
            safe_request("GET", server.url(host="alpha.test"))
        assert server.seen == []


@pytest.mark.parametrize(
    "location",
    ["http://127.0.0.1:{port}/secret", "http://localhost:{port}/secret", "http://[::1]:{port}/"],
)
def test_a_redirect_to_loopback_is_refused_and_never_followed(settings: Any, location: str) -> None:
    with serving(activity) as target:

        def redirect(handler: Handler) -> None:
            handler.answer(302, Location=location.format(port=target.port))

        with serving(redirect) as public:
            # Only the first hop's port is allowed: it stands for a public server.
            settings.GLIMPSE_FEDERATION_ALLOW_LOOPBACK = [public.port]
            settings.GLIMPSE_FEDERATION_HOSTS = {"public.test": "127.0.0.1"}
            with pytest.raises(FetchRefused, match="loopback"):
                safe_request("GET", public.url(host="public.test"))
            assert len(public.seen) == 1
        assert target.seen == []


def test_a_redirect_to_plain_http_off_loopback_is_refused(
    settings: Any, loopback_only: list[Any]
) -> None:
    def redirect(handler: Handler) -> None:
        handler.answer(301, Location="http://remote.test/actor")

    with serving(redirect) as server:
        settings.GLIMPSE_FEDERATION_ALLOW_LOOPBACK = True
        settings.GLIMPSE_FEDERATION_HOSTS = {"remote.test": "1.1.1.1"}  # public: never reached
        with pytest.raises(FetchRefused, match="plain http"):
            safe_request("GET", server.url())
    assert loopback_only == []


# --- Limits ------------------------------------------------------------------------------------


@pytest.fixture
def allowed(settings: Any) -> None:
    """Let the fetcher reach the test servers on this machine."""
    settings.GLIMPSE_FEDERATION_ALLOW_LOOPBACK = True


@pytest.mark.usefixtures("allowed")
def test_a_declared_length_above_the_limit_is_refused_before_reading() -> None:
    def big(handler: Handler) -> None:
        handler.answer(200, b"x" * 2000, Content_Type="application/activity+json")

    with serving(big) as server, pytest.raises(FetchRefused, match="larger than 1000"):
        safe_request("GET", server.url(), max_bytes=1000)


@pytest.mark.usefixtures("allowed")
def test_a_body_that_grows_past_the_limit_without_a_length_is_cut() -> None:
    def endless(handler: Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/activity+json")
        handler.end_headers()  # HTTP/1.0 and no length: the body runs until the connection ends
        with_errors_ignored(lambda: [handler.wfile.write(b"x" * 1024) for _ in range(4096)])

    with serving(endless) as server, pytest.raises(FetchRefused, match="larger than 10000"):
        safe_request("GET", server.url(), max_bytes=10_000)


@pytest.mark.usefixtures("allowed")
def test_a_compressed_body_is_counted_once_decompressed() -> None:
    bomb = gzip.compress(b"\0" * (8 * 1024 * 1024))

    def gzipped(handler: Handler) -> None:
        handler.answer(200, bomb, Content_Type="application/activity+json", Content_Encoding="gzip")

    with serving(gzipped) as server:
        with pytest.raises(FetchRefused, match="larger than"):
            safe_request("GET", server.url(), max_bytes=1024 * 1024)
        assert server.seen[0].headers["accept-encoding"] == "identity"
    assert len(bomb) < 1024 * 1024


@pytest.mark.usefixtures("allowed")
def test_a_slow_server_times_out(settings: Any) -> None:
    settings.GLIMPSE_FEDERATION_FETCH_TIMEOUT = 0.5

    def slow(handler: Handler) -> None:
        handler.server_state.release.wait(10)

    with serving(slow) as server:
        started = time.monotonic()
        with pytest.raises(FetchRefused, match="timed out") as refused:
            safe_request("GET", server.url())
        assert time.monotonic() - started < 5
        assert refused.value.transient


@pytest.mark.usefixtures("allowed")
def test_a_server_that_trickles_is_cut_at_the_deadline(settings: Any) -> None:
    settings.GLIMPSE_FEDERATION_FETCH_TIMEOUT = 0.5
    settings.GLIMPSE_FEDERATION_FETCH_DEADLINE = 1.0

    def trickle(handler: Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/activity+json")
        handler.end_headers()
        while not handler.server_state.release.wait(0.1):  # each byte well within the timeout
            if not with_errors_ignored(lambda: handler.wfile.write(b" ")):
                return

    with serving(trickle) as server:
        started = time.monotonic()
        with pytest.raises(FetchRefused, match="took longer than 1 s"):
            safe_request("GET", server.url())
        assert time.monotonic() - started < 5


@pytest.mark.usefixtures("allowed")
def test_a_wrong_content_type_is_refused() -> None:
    def page(handler: Handler) -> None:
        handler.answer(200, b"<html></html>", Content_Type="text/html; charset=utf-8")

    with serving(page) as server:
        with pytest.raises(FetchRefused, match="content type text/html"):
            fetch_json(server.url())
        with pytest.raises(FetchRefused, match="content type text/html"):
            fetch_media(server.url(), max_bytes=1000, allowed_types=["image/*"])


def chain(handler: Handler) -> None:
    """Redirect /0 to /1 and so on, up to /N where N is the last hop; answer there."""
    step, _, last = handler.path.strip("/").partition("-of-")
    if int(step) < int(last):
        handler.answer(302, Location=f"/{int(step) + 1}-of-{last}")
    else:
        activity(handler)


@pytest.mark.usefixtures("allowed")
def test_more_than_five_redirects_are_refused() -> None:
    with serving(chain) as server:
        with pytest.raises(FetchRefused, match="more than 5 redirects"):
            safe_request("GET", server.url("/0-of-6"))
        assert [seen.path for seen in server.seen] == [f"/{n}-of-6" for n in range(6)]


@pytest.mark.usefixtures("allowed")
def test_five_redirects_are_followed() -> None:
    with serving(chain) as server:
        result = safe_request("GET", server.url("/0-of-5"))
    assert result.status == 200
    assert result.url == server.url("/5-of-5")
    assert json.loads(result.body) == {"type": "Person"}


# --- What goes through -------------------------------------------------------------------------


@pytest.mark.usefixtures("allowed")
def test_fetch_json_asks_for_activitypub_and_names_the_mapped_host(settings: Any) -> None:
    settings.GLIMPSE_SITE_URL = "https://glimpse.example"
    settings.GLIMPSE_FEDERATION_HOSTS = {"alpha.test": "127.0.0.1"}
    with serving(activity) as server:
        document = fetch_json(server.url("/users/ana", host="alpha.test"))
    assert document == {"type": "Person"}
    seen = server.seen[0]
    assert seen.headers["host"] == f"alpha.test:{server.port}"
    assert seen.headers["accept"] == ACTIVITY_ACCEPT
    assert seen.headers["user-agent"] == "Glimpse/0.1.0; +https://glimpse.example"


@pytest.mark.usefixtures("allowed")
def test_ipv6_loopback_is_reached_with_the_allowance(settings: Any) -> None:
    if not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")
    settings.GLIMPSE_FEDERATION_HOSTS = {"six.test": "::1"}
    with serving(activity, address="::1") as server:
        assert safe_request("GET", f"http://[::1]:{server.port}/").status == 200
        assert fetch_json(f"http://six.test:{server.port}/") == {"type": "Person"}
    assert [seen.headers["host"] for seen in server.seen] == [
        f"[::1]:{server.port}",
        f"six.test:{server.port}",
    ]


@pytest.mark.usefixtures("allowed")
def test_only_the_allowed_ports_of_loopback_are_reached(settings: Any) -> None:
    with serving(activity) as first, serving(activity) as second:
        settings.GLIMPSE_FEDERATION_ALLOW_LOOPBACK = [first.port]
        assert safe_request("GET", first.url()).status == 200
        with pytest.raises(FetchRefused, match="loopback"):
            safe_request("GET", second.url())
        assert second.seen == []


@pytest.mark.usefixtures("allowed")
def test_a_json_answer_that_is_not_an_object_is_refused() -> None:
    def array(handler: Handler) -> None:
        handler.answer(200, b"[1, 2]", Content_Type="application/ld+json; profile=x")

    with serving(array) as server, pytest.raises(FetchRefused, match="not a JSON object"):
        fetch_json(server.url())


@pytest.mark.usefixtures("allowed")
def test_an_error_status_is_returned_by_safe_request_and_raised_by_fetch_json() -> None:
    def gone(handler: Handler) -> None:
        handler.answer(410, b"<h1>Gone</h1>", Content_Type="text/html")

    with serving(gone) as server:
        assert safe_request("GET", server.url(), allowed_types=["application/json"]).status == 410
        with pytest.raises(FetchRefused, match="answered 410") as refused:
            fetch_json(server.url())
    assert refused.value.status == 410
    assert not refused.value.transient


@pytest.mark.usefixtures("allowed")
def test_fetch_media_takes_a_type_of_the_family() -> None:
    def image(handler: Handler) -> None:
        handler.answer(200, b"\x89PNG....", Content_Type="image/png")

    with serving(image) as server:
        result = fetch_media(server.url("/a.png"), max_bytes=100, allowed_types=["image/*"])
    assert (result.content_type, result.body) == ("image/png", b"\x89PNG....")
    assert server.seen[0].headers["accept"] == "image/*"


@pytest.mark.usefixtures("allowed")
def test_a_signed_request_is_signed_again_for_each_hop() -> None:
    def inbox(handler: Handler) -> None:
        if handler.path == "/inbox":
            handler.answer(307, Location="/shared-inbox")
        elif handler.path == "/shared-inbox":
            handler.answer(303, Location="/done")
        else:
            handler.answer(200, b"{}", Content_Type="application/json")

    calls: list[tuple[str, str, bytes | None]] = []

    def sign(method: str, url: str, headers: Any, body: bytes | None) -> dict[str, str]:
        calls.append((method, url, body))
        return {"Signature": f"sig-{len(calls)}"}

    with serving(inbox) as server:
        result = safe_request(
            "POST",
            server.url("/inbox"),
            body=b'{"type": "Follow"}',
            headers={"Content-Type": "application/activity+json"},
            sign=sign,
        )
    assert result.status == 200
    assert calls == [
        ("POST", server.url("/inbox"), b'{"type": "Follow"}'),
        ("POST", server.url("/shared-inbox"), b'{"type": "Follow"}'),  # 307 keeps both
        ("GET", server.url("/done"), None),  # 303: a GET, no body
    ]
    sent = [(s.method, s.headers["signature"], s.body) for s in server.seen]
    assert sent == [
        ("POST", "sig-1", b'{"type": "Follow"}'),
        ("POST", "sig-2", b'{"type": "Follow"}'),
        ("GET", "sig-3", b""),
    ]
    assert "content-type" not in server.seen[2].headers


# --- TLS: the connection goes to the checked address, the name is what TLS checks ----------


def certificate(name: str, issuer: x509.Name, key: Any, signer: Any, *, ca: bool) -> Any:
    """Make a certificate for ``name``, issued by ``issuer`` and signed with ``signer``."""
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if not ca:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False
        )
    return builder.sign(signer, hashes.SHA256())


@pytest.fixture
def tls_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], ssl.SSLContext]:
    """Make a certificate authority trusted in place of the world's; return a maker of
    server contexts with a certificate it issued for a name."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test CA")])
    ca_cert = certificate("Test CA", ca_name, ca_key, ca_key, ca=True)
    bundle = tmp_path / "ca.pem"
    bundle.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    monkeypatch.setattr(certifi, "where", lambda: str(bundle))

    def make(name: str) -> ssl.SSLContext:
        key = ec.generate_private_key(ec.SECP256R1())
        cert = certificate(name, ca_name, key, ca_key, ca=False)
        (tmp_path / f"{name}.pem").write_bytes(
            cert.public_bytes(serialization.Encoding.PEM)
            + key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(tmp_path / f"{name}.pem")
        return context

    return make


@pytest.mark.usefixtures("allowed")
def test_https_connects_to_the_address_and_checks_the_name(
    settings: Any, tls_for: Callable[[str], ssl.SSLContext]
) -> None:
    settings.GLIMPSE_FEDERATION_HOSTS = {"alpha.test": "127.0.0.1"}
    context = tls_for("alpha.test")
    names: list[str | None] = []
    context.sni_callback = lambda _socket, name, _context: names.append(name)
    with serving(activity, tls=context) as server:
        document = fetch_json(f"https://alpha.test:{server.port}/users/ana")
    assert document == {"type": "Person"}
    assert names == ["alpha.test"]
    assert server.seen[0].headers["host"] == f"alpha.test:{server.port}"


@pytest.mark.usefixtures("allowed")
def test_https_refuses_a_certificate_for_another_name(
    settings: Any, tls_for: Callable[[str], ssl.SSLContext]
) -> None:
    settings.GLIMPSE_FEDERATION_HOSTS = {"alpha.test": "127.0.0.1"}
    with serving(activity, tls=tls_for("beta.test")) as server:
        with pytest.raises(FetchRefused, match="TLS"):
            fetch_json(f"https://alpha.test:{server.port}/users/ana")
        assert server.seen == []


def with_errors_ignored(write: Callable[[], object]) -> bool:
    """Run a write to a client that may have gone; tell whether it went through."""
    try:
        write()
    except OSError:
        return False
    return True
