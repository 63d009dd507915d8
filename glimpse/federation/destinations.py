"""Where federation may connect: the rules a URL must pass before any request to it.

Only https (plain http only to this machine, which only tests allow), no user info, a host
name in its plain form (``2130706433`` or ``0177.0.0.1`` are refused, not guessed at), and
every address the host resolves to public: not private, loopback, link-local, multicast,
reserved, unspecified or shared, nor one of these wrapped in an IPv6 form (IPv4-mapped,
NAT64, 6to4). The host is resolved once here; the caller connects to the address returned,
so a name cannot answer differently between the check and the connection.

Two settings exist for tests and trials on one machine only: ``GLIMPSE_FEDERATION_HOSTS``
(names resolved without DNS) and ``GLIMPSE_FEDERATION_ALLOW_LOOPBACK`` (this machine
reachable, on every port or only on the listed ones).
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Collection
from contextlib import suppress
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from glimpse.federation.domain_policy import domain_suspended

_HOST_NAME = re.compile(r"(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_-]{1,63}")
_NUMERIC_LABEL = re.compile(r"0x[0-9a-f]*|[0-9]+")
_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT (RFC 6598)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # well-known NAT64 prefix (RFC 6052)
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")  # local-use NAT64 (RFC 8215)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class FetchRefused(Exception):
    """A request refused, or one that did not complete.

    ``reason`` says why; ``transient`` whether the same request may succeed later (a
    timeout, a server error); ``status`` the answer's status when there was one.
    """

    def __init__(
        self, reason: str, *, url: str = "", transient: bool = False, status: int | None = None
    ) -> None:
        super().__init__(f"{reason} ({url})" if url else reason)
        self.reason = reason
        self.url = url
        self.transient = transient
        self.status = status


@dataclass(frozen=True)
class Destination:
    """A checked destination: the name asked for, and the address to connect to."""

    scheme: str
    host: str
    port: int
    path: str
    address: str

    @property
    def host_header(self) -> str:
        """Return the Host header: the name, with the port when it is not the default."""
        name = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return name if self.port == default else f"{name}:{self.port}"


def check_destination(url: str) -> Destination:
    """Check a URL against the rules and resolve its host; return where to connect."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise FetchRefused("not a valid URL", url=url) from error
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        raise FetchRefused("only https URLs are fetched", url=url)
    if "@" in parts.netloc:
        raise FetchRefused("URLs with user info are refused", url=url)
    host = _host_name(parts.hostname or "", url)
    if domain_suspended(host):
        raise FetchRefused(f"{host} is suspended by this server's moderators", url=url)
    port = port or (443 if scheme == "https" else 80)
    addresses = _resolve(host, port, url)
    loopback = all(address.is_loopback for address in addresses)
    for address in addresses:
        refusal = _refusal(address)
        if refusal == "loopback" and _loopback_allowed(port):
            continue
        if refusal:
            raise FetchRefused(f"{host} is a {refusal} address ({address})", url=url)
    if scheme == "http" and not loopback:
        raise FetchRefused("plain http is refused (https only)", url=url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Destination(scheme, host, port, path, str(addresses[0]))


def _host_name(host: str, url: str) -> str:
    """Return a host in its plain ASCII form; refuse odd spellings of IP addresses."""
    host = host.rstrip(".")
    with suppress(ValueError):
        return str(ipaddress.ip_address(host))
    try:
        name = host.encode("idna").decode("ascii").lower()
    except UnicodeError as error:
        raise FetchRefused("not a valid host name", url=url) from error
    if not _HOST_NAME.fullmatch(name):
        raise FetchRefused("not a valid host name", url=url)
    if _NUMERIC_LABEL.fullmatch(name.rsplit(".", 1)[-1]):
        # 2130706433, 0177.0.0.1, 127.1: resolvers read these as addresses; no name ends so.
        raise FetchRefused("an IP address must be written in its usual form", url=url)
    return name


def _resolve(host: str, port: int, url: str) -> list[Address]:
    """Return the addresses of a host: the test map, an IP literal, or one DNS lookup."""
    mapped: str | None = settings.GLIMPSE_FEDERATION_HOSTS.get(host)
    try:
        return [ipaddress.ip_address(mapped or host)]
    except ValueError as error:
        if mapped:
            raise FetchRefused(f"{host} is mapped to no address", url=url) from error
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise FetchRefused(f"{host} does not resolve", url=url, transient=True) from error
    addresses: list[Address] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise FetchRefused(f"{host} does not resolve", url=url, transient=True)
    return addresses


def _refusal(address: Address) -> str:
    """Name what makes an address unfit to connect to, or return "" for a public one."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            inner = _refusal(embedded)
            return f"{inner} (embedded)" if inner else ""
        if address in _NAT64_LOCAL or address.teredo:
            return "tunnelled"
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("shared", address in _SHARED),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
        ("non-public", not address.is_global),
    )
    return next((name for name, hit in checks if hit), "")


def _loopback_allowed(port: int) -> bool:
    """Tell whether the test-only allowance lets federation reach this machine on ``port``."""
    allowance: bool | Collection[int] = settings.GLIMPSE_FEDERATION_ALLOW_LOOPBACK
    if isinstance(allowance, bool):
        return allowance
    return port in allowance
