"""The SSRF guard: refuse feed URLs whose host resolves to a non-public address.

A feed URL is user input, and a server-side fetcher must not become a way to reach
the machine's own services or its private network. Every hop (redirects included) is
checked before it is requested, with a reason the feed's status can show; and the
connection itself goes through :class:`PinnedBackend`, which resolves the name once,
checks every address and connects to a checked one, so a DNS answer that changes
between the check and the connection (DNS rebinding) cannot slip through. TLS still
verifies and sends the name (SNI), which httpcore takes from the URL, not the socket.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

import httpcore
import httpx

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
    await public_addresses(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80),
                           url=url)


async def public_addresses(host: str, port: int, *, url: str | None = None) -> list[str]:
    """The addresses ``host`` resolves to, if all are public; else BlockedAddressError."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve {host}: {exc.strerror}", url=url) from None
    except UnicodeError:
        raise FetchError(f"cannot resolve {host[:80]}: not a valid host name", url=url) from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    blocked = sorted(a for a in addresses if not _is_public(a))
    if blocked:
        raise BlockedAddressError(
            f"{host} resolves to non-public address {blocked[0]} "
            "(set TOLLWATCH_ALLOW_PRIVATE_ADDRESSES=true to allow)",
            url=url,
        )
    return addresses


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """Connects only to addresses it has itself resolved and found public."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend) -> None:
        self._inner = inner

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
                          ) -> httpcore.AsyncNetworkStream:
        addresses = await public_addresses(host, port)
        return await self._inner.connect_tcp(addresses[0], port, timeout=timeout,
                                             local_address=local_address,
                                             socket_options=socket_options)

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
                                  ) -> httpcore.AsyncNetworkStream:
        raise BlockedAddressError("unix sockets are not fetched")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def pinned_transport(limits: httpx.Limits) -> httpx.AsyncHTTPTransport:
    """An httpx transport whose every connection goes through :class:`PinnedBackend`."""
    transport = httpx.AsyncHTTPTransport(limits=limits)
    pool = transport._pool  # httpx exposes no other way to choose httpcore's backend
    pool._network_backend = PinnedBackend(pool._network_backend)
    return transport


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
