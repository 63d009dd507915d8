"""A small ActivityPub server on 127.0.0.1 for federation tests: it serves documents by path,
records every request (the activities posted to its inboxes among them), and stands in for
servers named ``remote.test`` and ``other.test``, mapped to loopback. ``Peer`` is an actor on
it with a key pair, able to sign activities to this server's inboxes as its server would.
"""

from __future__ import annotations

import ipaddress
import itertools
import json
import socket
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

import orjson
import pytest
from django.test import Client, TestCase

from glimpse.federation.keys import generate_key_pair
from glimpse.federation.signatures import sign_request
from glimpse.federation.vocabulary import CONTEXT

SITE = "https://glimpse.example"
ACTIVITY_JSON = "application/activity+json; charset=utf-8"
JRD_JSON = "application/jrd+json; charset=utf-8"


@dataclass
class Seen:
    """One request as the test server got it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes = b""

    def json(self) -> Any:
        """Return the body read as JSON."""
        return json.loads(self.body)


@dataclass
class Remote:
    """The test server: its port, the documents it serves by path, and what it was asked."""

    port: int = 0
    documents: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    redirects: dict[str, str] = field(default_factory=dict)
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)

    def url(self, path: str, host: str = "remote.test") -> str:
        """Return an address on this server under a mapped name."""
        return f"http://{host}:{self.port}{path}"

    @property
    def host(self) -> str:
        """Return the host (with its port) handles on this server name."""
        return f"remote.test:{self.port}"

    def serve(self, path: str, document: dict[str, Any], kind: str = ACTIVITY_JSON) -> None:
        """Answer GET ``path`` with a JSON document."""
        self.documents[path] = (kind, document)

    def serve_bytes(self, path: str, data: bytes, content_type: str) -> None:
        """Answer GET ``path`` with raw bytes of a content type (a media file)."""
        self.files[path] = (content_type, data)

    def webfinger(self, name: str, actor: str, host: str | None = None) -> None:
        """Answer WebFinger for ``name`` on this server with a ``self`` link to ``actor``."""
        self.serve(
            f"/.well-known/webfinger?resource=acct:{name}@{host or self.host}",
            {
                "subject": f"acct:{name}@{host or self.host}",
                "links": [
                    {"rel": "http://webfinger.net/rel/profile-page", "href": actor},
                    {"rel": "self", "type": "application/activity+json", "href": actor},
                ],
            },
            JRD_JSON,
        )

    def asked(self, path: str) -> list[Seen]:
        """Return the requests for a path (query included)."""
        return [seen for seen in self.seen if seen.path == path]

    def posted(self, path: str) -> list[Any]:
        """Return the JSON bodies posted to a path (an inbox), in order."""
        return [seen.json() for seen in self.seen if seen.method == "POST" and seen.path == path]


def handler_for(state: Remote) -> type[BaseHTTPRequestHandler]:
    """Return a request handler that answers from ``state`` and logs each request."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            headers = {name.lower(): value for name, value in self.headers.items()}
            state.seen.append(Seen("GET", self.path, headers))
            if self.path in state.files:
                content_type, data = state.files[self.path]
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            key = parts.path + (f"?resource={query['resource']}" if "resource" in query else "")
            found = state.documents.get(key)
            if key in state.redirects:
                self.send_response(302)
                self.send_header("Location", state.redirects[key])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if found is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = json.dumps(found[1]).encode()
            self.send_response(200)
            self.send_header("Content-Type", found[0])
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            headers = {name.lower(): value for name, value in self.headers.items()}
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            state.seen.append(Seen("POST", self.path, headers, body))
            self.send_response(202)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            """Stay quiet."""

    return Handler


_numbers = itertools.count(1)


@dataclass
class Peer:
    """An actor of the test server: its document served there, its keys at hand."""

    remote: Remote
    name: str
    private_pem: str
    document: dict[str, Any]

    @property
    def uri(self) -> str:
        """Return the actor's id."""
        return str(self.document["id"])

    @property
    def inbox(self) -> str:
        """Return the path of its inbox on the test server."""
        return urlsplit(self.document["inbox"]).path

    @property
    def key_id(self) -> str:
        """Return the id of its key."""
        return str(self.document["publicKey"]["id"])

    def new_id(self, kind: str = "activities") -> str:
        """Return a fresh id on the actor's server."""
        return f"{self.uri}/{kind}/{next(_numbers)}"

    def send(self, activity: dict[str, Any], *, to: str = "/inbox") -> Any:
        """Sign an activity as this actor and post it to an inbox of this server."""
        body = orjson.dumps(activity)
        signed = sign_request(
            method="POST",
            url=SITE + to,
            headers={"Content-Type": "application/activity+json"},
            body=body,
            key_id=self.key_id,
            private_key_pem=self.private_pem,
        )
        headers = {k: v for k, v in signed.items() if k.lower() not in {"host", "content-type"}}
        # The inbox's job runs once the request's transaction commits, as it would in a worker.
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = Client().post(
                to,
                data=body,
                content_type="application/activity+json",
                headers={"Host": "glimpse.example", **headers},
                secure=True,
            )
        return response

    def activity(self, kind: str, obj: Any, **more: Any) -> dict[str, Any]:
        """Return an activity of this actor with a fresh id."""
        return {
            "@context": CONTEXT,
            "id": self.new_id(),
            "type": kind,
            "actor": self.uri,
            "object": obj,
            **more,
        }


def peer(
    remote: Remote, name: str = "alice", *, private: bool = False, host: str = "remote.test"
) -> Peer:
    """Serve a Mastodon-shaped actor on the test server (under ``host``, one of its names)
    and return it with its keys."""
    private_pem, public_pem = generate_key_pair()
    me = remote.url(f"/users/{name}", host)
    document = {
        "@context": CONTEXT,
        "id": me,
        "type": "Person",
        "preferredUsername": name,
        "name": name.capitalize(),
        "summary": "",
        "inbox": f"{me}/inbox",
        "outbox": f"{me}/outbox",
        "followers": f"{me}/followers",
        "following": f"{me}/following",
        "url": remote.url(f"/@{name}", host),
        "manuallyApprovesFollowers": private,
        "publicKey": {"id": f"{me}#main-key", "owner": me, "publicKeyPem": public_pem},
        "endpoints": {"sharedInbox": remote.url("/inbox", host)},
    }
    remote.serve(urlsplit(me).path, document)
    remote.webfinger(name, me, f"{host}:{remote.port}")
    return Peer(remote=remote, name=name, private_pem=private_pem, document=document)


def refuse_beyond_loopback(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Refuse every connection beyond loopback for the test; return the list of those tried
    (the caller asserts it stays empty)."""
    tried: list[Any] = []
    connect = socket.socket.connect

    def guarded(sock: socket.socket, address: Any) -> None:
        if not ipaddress.ip_address(address[0].split("%")[0]).is_loopback:
            tried.append(address)
            raise OSError("the tests never leave this machine")
        connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    return tried
