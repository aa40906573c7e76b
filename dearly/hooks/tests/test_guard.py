"""The SSRF guard: only public addresses, every resolved address checked."""

import ipaddress

import pytest

from dearly.hooks.guard import Refused, check, is_public


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.8.9.10",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",  # the cloud metadata service
        "100.64.0.1",
        "0.0.0.0",  # noqa: S104
        "224.0.0.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
    ],
)
def test_private_loopback_and_link_local_addresses_are_not_public(address):
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700:4700::1111"])
def test_internet_addresses_are_public(address):
    assert is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hooks",
        "http://localhost:8000/hooks",
        "http://[::1]/hooks",
        "http://169.254.169.254/latest/meta-data",
        "http://2130706433/",  # 127.0.0.1 written as one number
    ],
)
def test_a_private_target_is_refused_without_permission(url):
    with pytest.raises(Refused, match="private network"):
        check(url, allow_private=False)


def test_with_permission_a_loopback_target_is_allowed_and_resolved():
    target = check("http://localhost:8000/hooks?x=1", allow_private=True)
    assert target.port == 8000
    assert target.path == "/hooks?x=1"
    assert ipaddress.ip_address("127.0.0.1") in target.addresses


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("ftp://example.com/", "must start with https://"),
        ("file:///etc/passwd", "must start with https://"),
        ("https://user:pw@127.0.0.1/", "user name or password"),
        ("https:///path", "no host name"),
        ("https://127.0.0.1:99999/", "port"),
        ("https://no-such-host.invalid/", "could not be found"),
    ],
)
def test_malformed_addresses_are_refused_with_a_reason(url, why):
    with pytest.raises(Refused, match=why):
        check(url, allow_private=True)
