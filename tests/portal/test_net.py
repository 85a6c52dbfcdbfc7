"""portal.net.client_address: X-Forwarded-For is believed only as far as our own proxies wrote it."""

import pytest
from django.test import RequestFactory

from portal.net import client_address, trusted_proxy_networks


def request_from(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_socket_address_is_the_client(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(request_from("203.0.113.9", "1.1.1.1, 2.2.2.2")) == "203.0.113.9"


def test_a_forwarded_for_from_an_untrusted_peer_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(request_from("203.0.113.9", "1.1.1.1")) == "203.0.113.9"


def test_behind_a_trusted_proxy_the_address_it_saw_is_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.7"]
    # The client typed 1.1.1.1; the proxy appended the address it was reached from.
    assert client_address(request_from("10.0.0.7", "1.1.1.1, 198.51.100.4")) == "198.51.100.4"


def test_the_walk_goes_right_to_left_past_every_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.1"]
    request = request_from("10.0.0.7", "6.6.6.6, 198.51.100.4, 192.0.2.1, 10.1.2.3")
    assert client_address(request) == "198.51.100.4"


def test_junk_written_where_an_address_belongs_falls_back_to_the_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.7"]
    assert client_address(request_from("10.0.0.7", "unknown")) == "10.0.0.7"
    assert client_address(request_from("10.0.0.7", "")) == "10.0.0.7"


def test_ipv6_addresses_and_networks(settings):
    settings.TRUSTED_PROXIES = ["2001:db8::/32"]
    assert client_address(request_from("2001:db8::1", "2001:0db8:0000::0002, 2400:cb00::1")) == "2400:cb00::1"


def test_a_bad_trusted_proxies_entry_is_named():
    with pytest.raises(ValueError, match="not-an-address"):
        trusted_proxy_networks(["10.0.0.0/8", "not-an-address"])
