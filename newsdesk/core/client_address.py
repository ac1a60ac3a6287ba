"""The address of the client behind a request, trusting X-Forwarded-For only from our proxies.

Behind the shipped nginx (deploy/nginx.conf) every request comes from nginx's own address, so a
limit keyed on `REMOTE_ADDR` would lump every reader and editor together. nginx appends the
address it saw to `X-Forwarded-For`. Anyone can send that header, though, so it is believed only
hop by hop from the right: while the peer is one of `NEWSDESK_TRUSTED_PROXIES`, the entry it
appended is the next peer; the first address that is not a trusted proxy is the client. A client
talking to the app directly (not through a trusted proxy) gets its header ignored, and one that
sends its own header through nginx only adds entries to the left of the one nginx wrote.

Every per-address limit (login throttling, API token failures) uses `client_address`.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from django.http import HttpRequest

type Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(value: str) -> list[Network]:
    """`127.0.0.1, ::1, 10.0.0.0/8` → networks; raises ValueError naming a bad entry."""
    networks = []
    for item in value.split(","):
        item = item.strip()
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(
                f"{item!r} is not an IP address or network (examples: 127.0.0.1, 10.0.0.0/8, ::1)."
            ) from None
    return networks


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address, networks: list[Network]) -> bool:
    return any(address in network for network in networks)


def client_address(request: HttpRequest | None) -> str:
    """The client's address as the nearest untrusted hop saw it ("" when unknown)."""
    if request is None:
        return ""
    peer_text = request.META.get("REMOTE_ADDR", "")
    peer = _ip(peer_text)
    networks = settings.TRUSTED_PROXIES
    if peer is None or not _trusted(peer, networks):
        return peer_text
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop for hop in forwarded.split(",") if hop.strip()]
    client = peer
    for hop in reversed(hops):
        address = _ip(hop)
        if address is None:  # not written by a proxy of ours: stop at the last hop we believe
            break
        client = address
        if not _trusted(address, networks):
            break
    return str(client)
