"""The client's address, believed from a proxy only when the proxy is ours.

Behind nginx every request comes from the proxy's address; the client's own
is in ``X-Forwarded-For``. That header is anyone's to write, so it is read
only when the direct peer is one of ``ARCHIVE_TRUSTED_PROXIES`` (addresses or
networks, comma-separated), and then from the right: the first address that
is not itself a trusted proxy is the client. Otherwise the peer is the
client. The audit log, the session list and the login lockout all use this.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings


def normalise_ip(value: str | None) -> str | None:
    """An address as the database keeps it (IPv4 for IPv4-mapped IPv6)."""
    try:
        address = ipaddress.ip_address((value or "").strip())
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return str(mapped or address)


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]):
    return tuple(ipaddress.ip_network(s, strict=False) for s in spec)


def _trusted(address: str | None) -> bool:
    if address is None:
        return False
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in _networks(settings.ARCHIVE_TRUSTED_PROXIES))


def client_address(request) -> str | None:
    """The address of the person at the other end, as far as we can trust."""
    peer = normalise_ip(request.META.get("REMOTE_ADDR"))
    if not _trusted(peer):
        return peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [normalise_ip(h) for h in forwarded.split(",") if h.strip()]
    for hop in reversed(hops):
        if hop is None:
            break  # a malformed entry: trust nothing before it
        if not _trusted(hop):
            return hop
    return peer
