"""Domain names as people type them: one host, lowercased, in its ASCII form."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from glimpse.core.errors import InvalidInput

DOMAIN_MAX = 253
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST = re.compile(rf"(?:{_LABEL}\.)+{_LABEL}")
ASK = "Give a server's domain name, like example.social."


def domain_clean(text: str, *, field: str = "domain") -> str:
    """Return a typed domain as a plain lowercase host, or raise InvalidInput.

    An address (``https://example.social/@ana``) or a handle (``@ana@example.social``) is
    read for its host; a port is dropped, as a domain covers every port of its host.
    """
    raw = text.strip().lower()
    if "://" in raw:
        raw = urlsplit(raw).netloc
    raw = raw.rsplit("@", 1)[-1].split("/", 1)[0]
    host = raw.split(":", 1)[0].rstrip(".")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError as error:
        raise InvalidInput(fields={field: [ASK]}) from error
    if not host or len(host) > DOMAIN_MAX or not _HOST.fullmatch(host):
        raise InvalidInput(fields={field: [ASK]})
    if host.rsplit(".", 1)[-1].isdigit():
        raise InvalidInput(fields={field: [f"{ASK} An IP address is not a domain."]})
    return host


def domain_matches(host: str, domain: str) -> bool:
    """Tell whether ``host`` is ``domain`` or one of its subdomains."""
    return host == domain or host.endswith(f".{domain}")
