"""The SSRF guard against IPv6 spellings of loopback and private IPv4 addresses."""

from __future__ import annotations

import asyncio

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
