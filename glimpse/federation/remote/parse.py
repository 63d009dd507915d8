"""Reading another server's actor document: every field checked, or the whole refused.

A server speaks only for itself: the actor's id must be on the host the document was
fetched from (never on this server's), and its inbox and key on the id's origin. What a document may
leave out (a shared inbox, collections, a profile page, an avatar) is kept empty; what it
must have (id, actor type, inbox, a sane ``preferredUsername``, a usable key owned by the
actor) it must have right.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from glimpse.federation.actors import local_host
from glimpse.federation.html import html_to_text
from glimpse.federation.models import ActorType
from glimpse.federation.signatures import SignatureError, same_origin
from glimpse.federation.signatures.common import authority, load_public_key

ACTOR_TYPES = frozenset(ActorType.values)
MAX_URL = 2048
MAX_NAME = 64
MAX_DOMAIN = 255
# Letters, digits, "_", "." and "-" (Mastodon, Pixelfed and GoToSocial names all fit); no
# "@", "~", "/" or space, which would make a handle ambiguous.
_NAME = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?")


class RemoteActorInvalid(Exception):
    """An actor document refused: malformed, or claiming what its server may not claim."""


@dataclass(frozen=True)
class ParsedActor:
    """The checked fields of an actor document, ready to store."""

    uri: str
    domain: str
    name: str  # preferredUsername, as sent
    display_name: str
    bio: str
    is_private: bool
    actor_type: str
    inbox: str
    shared_inbox: str  # "" when it has none
    outbox: str
    followers: str
    following: str
    url: str
    key_id: str
    public_key_pem: str
    icon_url: str

    @property
    def handle(self) -> str:
        """Return the account's username here: ``name@host``, lowercased."""
        return f"{self.name.lower()}@{self.domain}"


def actor_parse(document: dict[str, Any], *, fetched_from: str) -> ParsedActor:
    """Check an actor document fetched from ``fetched_from``; raise ``RemoteActorInvalid``."""
    uri = _url(document.get("id"), "id")
    if not same_origin(uri, fetched_from):
        raise RemoteActorInvalid(f"the actor {uri} is not on the host it came from")
    if authority(uri) == local_host():
        raise RemoteActorInvalid(f"the actor {uri} is one of this server's")
    actor_type = _actor_type(document.get("type"))
    inbox = _url(document.get("inbox"), "inbox")
    if not same_origin(inbox, uri):
        raise RemoteActorInvalid("the inbox is not on the actor's host")
    name = document.get("preferredUsername")
    if not isinstance(name, str) or len(name) > MAX_NAME or not _NAME.fullmatch(name):
        raise RemoteActorInvalid("preferredUsername is missing or not a usable name")
    domain = authority(uri)
    if len(domain) > MAX_DOMAIN:
        raise RemoteActorInvalid("the actor's host name is too long")
    key_id, public_key_pem = _public_key(document.get("publicKey"), uri)
    endpoints = document.get("endpoints")
    shared = endpoints.get("sharedInbox") if isinstance(endpoints, dict) else None
    return ParsedActor(
        uri=uri,
        domain=domain,
        name=name,
        display_name=_one_line(document.get("name")),
        bio=html_to_text(summary) if isinstance(summary := document.get("summary"), str) else "",
        # Only a plain true asks for approval; anything else is an open account.
        is_private=document.get("manuallyApprovesFollowers") is True,
        actor_type=actor_type,
        inbox=inbox,
        shared_inbox=_same_origin_url(shared, uri),
        outbox=_same_origin_url(document.get("outbox"), uri),
        followers=_same_origin_url(document.get("followers"), uri),
        following=_same_origin_url(document.get("following"), uri),
        url=_link(document.get("url")),
        key_id=key_id,
        public_key_pem=public_key_pem,
        icon_url=_link(document.get("icon")),
    )


def actor_url_allowed(url: str) -> bool:
    """Tell whether an actor may live at this address: https, or http to this machine when
    the test-only loopback allowance lets federation reach it."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    if not parts.hostname or parts.username is not None or parts.password is not None:
        return False
    scheme = parts.scheme.lower()
    if scheme == "https":
        return True
    return scheme == "http" and loopback_http_allowed(parts.hostname, port or 80)


def loopback_http_allowed(host: str, port: int) -> bool:
    """Tell whether plain http may reach this host: only a loopback one (an address, or a
    name the test map points there) on a port the test-only allowance opens."""
    allowance: bool | list[int] = settings.GLIMPSE_FEDERATION_ALLOW_LOOPBACK
    if allowance is False or not allowance:
        return False
    mapped: str = settings.GLIMPSE_FEDERATION_HOSTS.get(host.lower(), host)
    try:
        loopback = ipaddress.ip_address(mapped.strip("[]")).is_loopback
    except ValueError:
        return False
    return loopback and (allowance is True or port in allowance)


def _url(value: object, field: str) -> str:
    """Return a field that must be an actor address (https, no fragment), or refuse it."""
    if not isinstance(value, str) or len(value) > MAX_URL or not actor_url_allowed(value):
        raise RemoteActorInvalid(f"{field} is missing or not an https address")
    if "#" in value:
        raise RemoteActorInvalid(f"{field} has a fragment")
    return value


def _actor_type(value: object) -> str:
    """Return the actor type of a ``type`` (a name, or a list holding one), or refuse it."""
    names = value if isinstance(value, list) else [value]
    for name in names:
        if isinstance(name, str) and name in ACTOR_TYPES:
            return name
    raise RemoteActorInvalid(f"{value!r} is not an actor type")


def _public_key(value: object, uri: str) -> tuple[str, str]:
    """Return the key id and PEM of the actor's own key, or refuse the document."""
    keys = value if isinstance(value, list) else [value]
    key = next((k for k in keys if isinstance(k, dict) and k.get("owner") == uri), None)
    if key is None:
        raise RemoteActorInvalid("the document has no public key owned by the actor")
    key_id = key.get("id")
    if not isinstance(key_id, str) or len(key_id) > MAX_URL or not same_origin(key_id, uri):
        raise RemoteActorInvalid("the key's id is missing or not on the actor's host")
    pem = key.get("publicKeyPem")
    if not isinstance(pem, str):
        raise RemoteActorInvalid("the key has no PEM")
    try:
        load_public_key(pem)
    except SignatureError as error:
        raise RemoteActorInvalid("the key's PEM cannot be read") from error
    return key_id, pem.strip() + "\n"


def _same_origin_url(value: object, uri: str) -> str:
    """Return an address of the actor's own server, or "" for anything else."""
    if isinstance(value, str) and len(value) <= MAX_URL and same_origin(value, uri):
        return value
    return ""


def _link(value: object) -> str:
    """Return the first http(s) address of a link (a string, a Link or Image, or a list)."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("href") or value.get("url")
        if isinstance(value, list | dict):
            return _link(value)
    if not isinstance(value, str) or len(value) > MAX_URL:
        return ""
    scheme = urlsplit(value).scheme.lower()
    return value if scheme in ("http", "https") else ""


def _one_line(value: object) -> str:
    """Return a display name as one line of plain text, control characters dropped."""
    if not isinstance(value, str):
        return ""
    kept = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in value)
    return " ".join(kept.split())
