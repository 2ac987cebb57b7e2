"""Who a request comes from, for the limits that count requests per client."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# An IPv6 subscriber usually holds a whole /64: counting single addresses would let one
# client rotate through billions of them.
IPV6_CLIENT_PREFIX = 64


def client_address(request: HttpRequest) -> str:
    """Return the address whose requests are counted together (rate limits, sign-in throttling).

    Behind ``PROXY_COUNT`` reverse proxies the client is that many entries from the right
    of X-Forwarded-For (entries further left are whatever the client claimed). An IPv6
    client is counted by its /64 network, which one subscriber usually holds whole.
    """
    address = request.META.get("REMOTE_ADDR", "")
    if settings.PROXY_COUNT:
        forwarded = [part.strip() for part in request.headers.get("x-forwarded-for", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if forwarded:
            address = forwarded[-min(settings.PROXY_COUNT, len(forwarded))]
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/{IPV6_CLIENT_PREFIX}", strict=False))
    return str(parsed)
