"""Which address a per-address limit keys on (`newsdesk.core.client_address`).

Expected: X-Forwarded-For is believed only from a trusted proxy (default 127.0.0.1 and ::1, the
shipped nginx on the same machine), hop by hop from the right, stopping at the first address that
is not a trusted proxy; a direct client's own header is ignored; garbage never becomes a key.
"""

from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings

from newsdesk.core.client_address import client_address, parse_networks


def _address(peer: str, forwarded: str | None = None) -> str:
    meta = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **meta))


def test_a_direct_client_is_keyed_on_its_own_address_whatever_it_claims():
    """A peer that is not a trusted proxy: its X-Forwarded-For is ignored."""
    assert _address("203.0.113.7") == "203.0.113.7"
    assert _address("203.0.113.7", "198.51.100.1") == "203.0.113.7"


def test_behind_the_local_nginx_the_address_nginx_saw_counts():
    """nginx (127.0.0.1) appends the client's address; a client's own entries stay to its left."""
    assert _address("127.0.0.1", "198.51.100.1") == "198.51.100.1"
    assert _address("127.0.0.1", "10.0.0.1, 6.6.6.6, 198.51.100.1") == "198.51.100.1"
    assert _address("::1", "2001:db8::5") == "2001:db8::5"
    assert _address("127.0.0.1") == "127.0.0.1"  # no header: nginx's own request


def test_a_chain_of_trusted_proxies_is_walked_to_the_first_untrusted_hop():
    """With a load balancer network trusted too, its hop is skipped."""
    with override_settings(TRUSTED_PROXIES=parse_networks("127.0.0.1, 10.0.0.0/8")):
        assert _address("127.0.0.1", "1.2.3.4, 198.51.100.1, 10.1.2.3") == "198.51.100.1"
        # Only trusted proxies all the way: the leftmost one is the best we know.
        assert _address("127.0.0.1", "10.0.0.9, 10.1.2.3") == "10.0.0.9"


def test_garbage_in_the_header_never_becomes_a_key():
    """A non-address entry stops the walk at the last hop we believe."""
    assert _address("127.0.0.1", "198.51.100.1, not-an-ip") == "127.0.0.1"
    assert _address("127.0.0.1", "") == "127.0.0.1"
    assert _address("127.0.0.1", "198.51.100.1:4711") == "198.51.100.1"


def test_no_trusted_proxy_means_the_peer_always():
    with override_settings(TRUSTED_PROXIES=[]):
        assert _address("127.0.0.1", "198.51.100.1") == "127.0.0.1"


def test_a_bad_trusted_proxies_value_names_the_entry():
    with pytest.raises(ValueError, match="'nginx-box'"):
        parse_networks("127.0.0.1, nginx-box")
