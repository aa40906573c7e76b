"""Where a webhook may go: public addresses only, unless the owner allowed private ones.

1. Only http and https URLs with a host.
2. The host is resolved and every address it resolves to is checked with `ipaddress`: one
   loopback, private, link-local, multicast or reserved address refuses the whole host, so a
   name cannot smuggle in a private address among public ones.
3. The sender then connects to one of exactly those addresses (hooks.send), never resolving
   again, so a name that changes its answer between the check and the connection (DNS
   rebinding) still cannot reach a private address.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

type Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class Refused(ValueError):
    """This URL may not be called; the message says why, in words for the owner."""


@dataclass(frozen=True, slots=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # with the query string
    addresses: tuple[Address, ...]


def is_public(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def split(url: str) -> tuple[str, str, int, str]:
    """Scheme, host, port and path of an http(s) URL, or Refused."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise Refused("the address must start with https:// (or http://)")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise Refused("the port in the address is not a number from 1 to 65535") from None
    if not parts.hostname:
        raise Refused("the address has no host name")
    if parts.username or parts.password:
        raise Refused("the address may not contain a user name or password")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return scheme, parts.hostname, port, path


def resolve(host: str, port: int) -> tuple[Address, ...]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise Refused(f"the host {host} could not be found") from None
    found: list[Address] = []
    for *_, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in found:
            found.append(address)
    if not found:
        raise Refused(f"the host {host} could not be found")
    return tuple(found)


def check(url: str, *, allow_private: bool) -> Target:
    scheme, host, port, path = split(url)
    addresses = resolve(host, port)
    if not allow_private:
        private = [a for a in addresses if not is_public(a)]
        if private:
            raise Refused(
                f"{host} is on a private network or this machine ({private[0]}); only the "
                "owner can allow that, for this webhook"
            )
    return Target(scheme=scheme, host=host, port=port, path=path, addresses=addresses)
