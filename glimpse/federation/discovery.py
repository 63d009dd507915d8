"""Finding this server's actors from elsewhere: WebFinger (RFC 7033) and host-meta (RFC 6415).

A remote server turns ``@name@host`` into ``acct:name@host``, asks WebFinger which actor it
is, then fetches that actor. WebFinger also answers the actor's address and its profile page
as the resource, as Mastodon does, and ``acct:<host>@<host>`` names the instance's actor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit
from xml.sax.saxutils import quoteattr

from glimpse.core.site import absolute_url
from glimpse.federation.actors import (
    INSTANCE_ACTOR_PATH,
    actor_id,
    instance_actor_id,
    local_host,
    profile_url,
)

JRD_CONTENT_TYPE = "application/jrd+json; charset=utf-8"
XRD_CONTENT_TYPE = "application/xrd+xml; charset=utf-8"
PROFILE_PAGE_REL = "http://webfinger.net/rel/profile-page"
XRD_NAMESPACE = "http://docs.oasis-open.org/ns/xri/xrd-1.0"


class MalformedResource(ValueError):
    """A WebFinger ``resource`` that is neither an ``acct:`` URI nor an http(s) address."""


@dataclass(frozen=True)
class Subject:
    """The local actor a resource names: an account by its username, or the instance."""

    username: str | None  # None: the instance's actor


def resource_subject(resource: str) -> Subject | None:
    """Return the local actor a resource names, or None when it names none (an account of
    another host, or an address here that is no actor's).

    Raises ``MalformedResource`` when the resource cannot name an actor at all.
    """
    resource = resource.strip()
    if resource[:5].lower() == "acct:":
        return _acct_subject(resource[5:])
    if resource[:7].lower() == "http://" or resource[:8].lower() == "https://":
        return _address_subject(resource)
    raise MalformedResource("The resource is neither an acct: URI nor an http(s) address.")


def webfinger_document(subject: Subject) -> dict[str, Any]:
    """Return the JRD of a local actor (its username already checked to exist)."""
    host = local_host()
    if subject.username is None:
        me = instance_actor_id()
        page = absolute_url("/")
        name = host
    else:
        me = actor_id(subject.username)
        page = profile_url(subject.username)
        name = subject.username
    return {
        "subject": f"acct:{name}@{host}",
        "aliases": [me, page],
        "links": [
            {"rel": "self", "type": "application/activity+json", "href": me},
            {"rel": PROFILE_PAGE_REL, "type": "text/html", "href": page},
        ],
    }


def host_meta_xml() -> str:
    """Return host-meta as XRD: where WebFinger answers, as an ``lrdd`` template."""
    template = quoteattr(_lrdd_template())
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<XRD xmlns="{XRD_NAMESPACE}">\n'
        f'  <Link rel="lrdd" template={template}/>\n'
        "</XRD>\n"
    )


def host_meta_json() -> dict[str, Any]:
    """Return host-meta as JRD, with the same ``lrdd`` template."""
    return {"links": [{"rel": "lrdd", "template": _lrdd_template()}]}


def _lrdd_template() -> str:
    return absolute_url("/.well-known/webfinger") + "?resource={uri}"


def _acct_subject(account: str) -> Subject | None:
    name, at, host = account.rpartition("@")
    if not at or not name or not host or "@" in name or "/" in host:
        raise MalformedResource("An acct: URI names an account as name@host.")
    if host.lower() != local_host():
        return None
    if name.lower() == host.lower():
        return Subject(username=None)
    return Subject(username=name)


def _address_subject(address: str) -> Subject | None:
    parts = urlsplit(address)
    if not parts.netloc:
        raise MalformedResource("The address names no host.")
    if parts.netloc.lower() != local_host():
        return None
    path = parts.path.rstrip("/")
    if path == INSTANCE_ACTOR_PATH:
        return Subject(username=None)
    segments = path.split("/")
    # /users/<name> (the actor) or /<name>/ (the profile page).
    if len(segments) == 3 and segments[1] == "users" and segments[2]:
        return Subject(username=segments[2])
    if len(segments) == 2 and segments[1]:
        return Subject(username=segments[1])
    return None
