"""The client's address: the connecting one, or, from a trusted proxy only, the one it forwards."""

import pytest
from django.test import RequestFactory

from audit.services import client_ip


def request_from(remote: str, forwarded: str = ""):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


@pytest.mark.parametrize(
    ("remote", "forwarded", "client"),
    [
        ("198.51.100.4", "", "198.51.100.4"),
        ("198.51.100.4", "203.0.113.9", "198.51.100.4"),  # not a proxy of ours: forged
        ("10.0.0.2", "203.0.113.9", "203.0.113.9"),
        ("10.0.0.2", "1.2.3.4, 203.0.113.9", "203.0.113.9"),  # left of ours: the client's say
        ("10.0.0.2", "203.0.113.9, 10.0.0.7", "203.0.113.9"),  # two proxies of ours
        ("10.0.0.2", "", "10.0.0.2"),
        ("10.0.0.2", "geen-adres", "10.0.0.2"),
        ("2001:db8::5", "2001:db8:1::9", "2001:db8:1::9"),
    ],
)
def test_the_address_comes_from_a_trusted_proxy_only(settings, remote, forwarded, client):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "2001:db8::/64"]
    assert client_ip(request_from(remote, forwarded)) == client


def test_without_trusted_proxies_the_connecting_address_counts(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request_from("127.0.0.1", "203.0.113.9")) == "127.0.0.1"
