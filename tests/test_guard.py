"""The SSRF guard against IPv6 spellings of loopback and private IPv4 addresses."""

from __future__ import annotations

import asyncio
import socket

import pytest

from service.errors import BlockedAddressError
from service.fetch.guard import check_public, visibly_private

HIDDEN = [
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254, the cloud metadata service
    "64:ff9b:1::a00:1",  # local-use NAT64
    "2002:7f00:1::",  # 6to4 of 127.0.0.1
    "2002:c0a8:101::1",  # 6to4 of 192.168.1.1
    "::127.0.0.1",  # IPv4-compatible
    "::10.0.0.1",
    "::ffff:127.0.0.1",  # IPv4-mapped (held before)
]


@pytest.mark.parametrize("address", HIDDEN)
def test_ipv6_forms_of_private_ipv4_addresses_are_refused(address: str) -> None:
    with pytest.raises(BlockedAddressError):
        asyncio.run(check_public(f"http://[{address}]/rss"))
    assert visibly_private(f"http://[{address}]/rss")


@pytest.mark.parametrize("address", ["64:ff9b::808:808", "2002:808:808::1",
                                     "2606:4700:4700::1111"])
def test_ipv6_forms_of_public_addresses_are_not(address: str) -> None:
    asyncio.run(check_public(f"http://[{address}]/rss"))
    assert not visibly_private(f"http://[{address}]/rss")


def test_a_name_rebound_to_loopback_after_the_check_is_not_connected_to(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """DNS rebinding: the name answers a public address when checked, then 127.0.0.1
    (where a feed server listens) when connected to. The connection resolves for itself
    and refuses; the server never sees a request."""
    from service.fetch.http import Fetcher, Limits
    from tests.feedserver import Reply, feed_server

    answers = ["93.184.215.14", "127.0.0.1"]
    real = asyncio.BaseEventLoop.getaddrinfo

    async def rebinding(self, host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host != "rebind.test":
            return await real(self, host, port, *args, **kwargs)
        address = answers.pop(0) if len(answers) > 1 else answers[0]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(asyncio.BaseEventLoop, "getaddrinfo", rebinding)
    with feed_server() as server:
        server.routes["/rss"] = lambda r: Reply(200, b"<rss/>")
        port = server.base.rsplit(":", 1)[1]

        async def fetch() -> None:
            async with Fetcher(Limits(total_timeout=10)) as fetcher:
                await fetcher.fetch(f"http://rebind.test:{port}/rss")

        with pytest.raises(BlockedAddressError):
            asyncio.run(fetch())
        assert server.requests == []
