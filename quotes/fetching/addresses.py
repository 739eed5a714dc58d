"""Which addresses a fetch may connect to: the server-side request forgery rules (OWASP API7).

Pure functions, no Django. A host is an IP literal in any spelling a resolver accepts
(``2130706433``, ``0177.0.0.1``, ``0x7f.1`` are 127.0.0.1) or a name; either way every
address it stands for is checked, and only a checked address is connected to.

>>> str(ip_literal("0x7f.1"))
'127.0.0.1'
>>> refusal(ipaddress.ip_address("169.254.169.254"), allowed=())
'link-local address'
>>> refusal(ipaddress.ip_address("93.184.215.14"), allowed=()) is None
True
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# The forms inet_aton reads: one to four parts, each decimal, octal (leading 0) or hex (0x).
_LEGACY_IPV4 = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}\.?$", re.IGNORECASE)

# Checked in order; the first that holds names the refusal. The IPv6 equivalents are
# covered by the same properties (::1 loopback, fc00::/7 private, fe80::/10 link-local...).
_RULES: tuple[tuple[str, str], ...] = (
    ("is_unspecified", "unspecified address"),
    ("is_loopback", "loopback address"),
    ("is_link_local", "link-local address"),
    ("is_multicast", "multicast address"),
    ("is_private", "private address"),
    ("is_reserved", "reserved address"),
)
_CARRIER_GRADE_NAT = ipaddress.ip_network("100.64.0.0/10")


def ip_literal(host: str) -> IPAddress | None:
    """The address ``host`` spells, if it is an IP literal in any form; None for a name.

    >>> str(ip_literal("2130706433")), str(ip_literal("[::ffff:7f00:1]"))
    ('127.0.0.1', '::ffff:7f00:1')
    >>> ip_literal("news.example") is None
    True
    """
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    if _LEGACY_IPV4.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host.rstrip(".")))
        except OSError:
            return None  # all digits yet no address (e.g. 4294967296): a resolver refuses it too
    return None


def refusal(address: IPAddress, *, allowed: Iterable[Network]) -> str | None:
    """Why ``address`` may not be fetched from, or None when it may.

    An IPv4-mapped IPv6 address (``::ffff:10.0.0.1``) is refused whatever it maps to:
    no public server needs one, and it is how a check on the IPv4 rules is slipped past.
    """
    if any(address in network for network in allowed):
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return "IPv4-mapped IPv6 address"
    if isinstance(address, ipaddress.IPv4Address) and address in _CARRIER_GRADE_NAT:
        return "carrier-grade NAT address"
    for attribute, reason in _RULES:
        if getattr(address, attribute):
            return reason
    if not address.is_global:
        return "non-global address"
    return None


def networks_parse(entries: Iterable[str]) -> tuple[tuple[Network, ...], frozenset[str]]:
    """Split FETCH_ALLOW_NETWORKS' entries into networks and host names (lower-cased).

    >>> networks, names = networks_parse(["127.0.0.1", "10.1.0.0/16", "Intranet.Example"])
    >>> [str(n) for n in networks], sorted(names)
    (['127.0.0.1/32', '10.1.0.0/16'], ['intranet.example'])
    """
    networks: list[Network] = []
    names: set[str] = set()
    for entry in entries:
        entry = entry.strip()
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
        except ValueError:
            names.add(entry.lower().rstrip("."))
    return tuple(networks), frozenset(names)
