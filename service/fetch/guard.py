"""The SSRF guard: refuse feed URLs whose host resolves to a non-public address.

A feed URL is user input, and a server-side fetcher must not become a way to reach
the machine's own services or its private network. Every hop (redirects included) is
checked before it is requested. The check resolves the name itself, so a DNS answer
that changes between the check and the connection could slip through; pinning the
address in the transport would close that, at the cost of breaking TLS SNI handling.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from service.errors import BlockedAddressError, FetchError


_COMPATIBLE = ipaddress.IPv6Network("::/96")  # ::a.b.c.d, deprecated but still routed
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # a NAT64 gateway reaches a.b.c.d for it
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")  # local-use NAT64: never public


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in _NAT64_LOCAL:
            return False
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            ip = embedded  # judged by the IPv4 address the packets end up at
    return ip.is_global and not ip.is_multicast


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one stands for: mapped (``::ffff:a.b.c.d``), compatible
    (``::a.b.c.d``), NAT64 (``64:ff9b::a.b.c.d``) or 6to4 (``2002:AABB:CCDD::``)."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64 or (ip in _COMPATIBLE and int(ip) > 1):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


async def check_public(url: str) -> None:
    """Raise BlockedAddressError if any address of the URL's host is not public."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"not an http(s) URL: {url}", url=url)
    host = parts.hostname
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(
            host, parts.port or (443 if parts.scheme == "https" else 80),
            type=socket.SOCK_STREAM,
        )
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve {host}: {exc.strerror}", url=url) from None
    blocked = sorted({info[4][0] for info in infos if not _is_public(info[4][0])})
    if blocked:
        raise BlockedAddressError(
            f"{host} resolves to non-public address {blocked[0]} "
            "(set TOLLWATCH_ALLOW_PRIVATE_ADDRESSES=true to allow)",
            url=url,
        )


def visibly_private(url: str) -> bool:
    """Whether the URL's host is non-public on its face, with no lookup: an address
    literal of a loopback, private or link-local range, or ``localhost``. What `feeds add`
    can warn about at once; a name that resolves to such an address is refused only when
    fetched (:func:`check_public`)."""
    host = urlsplit(url).hostname
    if not host:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return not _is_public(host)
    except ValueError:  # a name, not an address
        return False
