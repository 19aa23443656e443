"""CEL's network extension library (Kubernetes' ``ip`` and ``cidr``): addresses and ranges as values.

``ip('10.0.0.1')`` and ``cidr('10.0.0.0/8')`` parse strictly: no leading zeros, no zone (``%eth0``),
and no IPv4 address written inside an IPv6 one (``::ffff:1.2.3.4``); an IPv4-mapped address written
in hex (``::ffff:a00:1``) is its IPv4 address. Anything else is an error naming the string. Then
``cidr(r.CidrIp).containsIP(host)``, ``.containsCIDR(other)``, ``.prefixLength()``, ``.masked()``,
``.ip()``, and for addresses ``.family()``, ``.isLoopback()``, ``.isUnspecified()``,
``.isGlobalUnicast()``, ``.isLinkLocalUnicast()`` and ``.isLinkLocalMulticast()`` (Go's meanings:
private addresses are global unicast). ``string()`` gives the canonical text back.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Callable
from typing import Any

from assay.cel.native.ext_support import STRING, Extension, overloads
from assay.cel.native.values import TYPES, ExtValue
from assay.errors import CelError

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
IP_TYPE, CIDR_TYPE = "net.IP", "net.CIDR"
_BITS = {4: 32, 6: 128}
_IPV4_BROADCAST = ipaddress.IPv4Address("255.255.255.255")


class IP(ExtValue):
    """An IPv4 or IPv6 address."""

    __slots__ = ("address",)
    cel_type = TYPES[IP_TYPE]

    def __init__(self, address: Address) -> None:
        self.address = address

    def cel_equals(self, other: Any) -> bool:
        return isinstance(other, IP) and other.address == self.address

    def cel_string(self) -> str:
        return str(self.address)

    def __repr__(self) -> str:
        return f"ip({str(self.address)!r})"


class CIDR(ExtValue):
    """An address with a prefix length; the address keeps any host bits it was written with."""

    __slots__ = ("address", "bits")
    cel_type = TYPES[CIDR_TYPE]

    def __init__(self, address: Address, bits: int) -> None:
        self.address = address
        self.bits = bits

    def cel_equals(self, other: Any) -> bool:
        return isinstance(other, CIDR) and (other.address, other.bits) == (self.address, self.bits)

    def cel_string(self) -> str:
        return f"{self.address}/{self.bits}"

    def holds(self, address: Address) -> bool:
        if address.version != self.address.version:
            return False
        host_bits = _BITS[address.version] - self.bits
        return int(address) >> host_bits == int(self.address) >> host_bits

    def __repr__(self) -> str:
        return f"cidr({self.cel_string()!r})"


def _address(text: str, invalid: str, zone: str) -> Address:
    if "%" in text:
        raise CelError(zone)
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        raise CelError(invalid) from None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        if "." in text:
            raise CelError("IPv4-mapped IPv6 address is not allowed")
        return address.ipv4_mapped
    return address


# Rules parse the same few addresses and ranges (0.0.0.0/0, a VPC's blocks) for every resource, and
# an IP or CIDR is never changed once made: each text is parsed once (errors are not remembered).
_PARSED_KEPT = 4096


@functools.lru_cache(maxsize=_PARSED_KEPT)
def parse_ip(text: str) -> IP:
    invalid = f"IP Address '{text}' parse error during conversion from string"
    return IP(_address(text, invalid, "IP Address with zone value is not allowed"))


@functools.lru_cache(maxsize=_PARSED_KEPT)
def parse_cidr(text: str) -> CIDR:
    invalid = f"network address parse error during conversion from string: {text!r}"
    if "%" in text:
        raise CelError("CIDR with zone value is not allowed")
    address_text, slash, bits_text = text.partition("/")
    address = _address(address_text, invalid, "CIDR with zone value is not allowed")
    well_formed = bits_text.isascii() and bits_text.isdigit() and bits_text == str(int(bits_text))
    if not slash or not well_formed or int(bits_text) > _BITS[address.version]:
        raise CelError(invalid)
    return CIDR(address, int(bits_text))


def _valid(parse: Callable[[str], Any]) -> Callable[[str], bool]:
    def check(text: str) -> bool:
        try:
            parse(text)
        except CelError:
            return False
        return True

    return check


def _is_canonical(text: str) -> bool:
    return str(parse_ip(text).address) == text


def _cidr_ip(value: CIDR) -> IP:
    return IP(value.address)


def _masked(value: CIDR) -> CIDR:
    host_bits = _BITS[value.address.version] - value.bits
    network = (int(value.address) >> host_bits) << host_bits
    return CIDR(type(value.address)(network), value.bits)


def _contains_ip(value: CIDR, other: Any) -> bool:
    address = parse_ip(other).address if isinstance(other, str) else other.address
    return value.holds(address)


def _contains_cidr(value: CIDR, other: Any) -> bool:
    inner = parse_cidr(other) if isinstance(other, str) else other
    return inner.bits >= value.bits and value.holds(inner.address)


def _is_link_local_multicast(address: Address) -> bool:
    if address.version == 4:  # noqa: PLR2004 - IPv4
        return address in ipaddress.IPv4Network("224.0.0.0/24")
    return int(address) >> 112 & 0xFF0F == 0xFF02  # noqa: PLR2004 - ff02::/16 and its flag variants


def _is_link_local_unicast(address: Address) -> bool:
    if address.version == 4:  # noqa: PLR2004 - IPv4
        return address in ipaddress.IPv4Network("169.254.0.0/16")
    return address in ipaddress.IPv6Network("fe80::/10")


def _is_global_unicast(address: Address) -> bool:
    return not (
        address == _IPV4_BROADCAST
        or address.is_unspecified
        or address.is_loopback
        or address.is_multicast
        or _is_link_local_unicast(address)
    )


def _test(test: Callable[[Address], bool]) -> Callable[[IP], bool]:
    return lambda value: test(value.address)


_ADDRESS_TESTS: tuple[tuple[str, Callable[[Address], bool], str], ...] = (
    ("isUnspecified", lambda a: a.is_unspecified, "Whether it is 0.0.0.0 or ::."),
    ("isLoopback", lambda a: a.is_loopback, "Whether it is a loopback address (127.0.0.0/8, ::1)."),
    (
        "isGlobalUnicast",
        _is_global_unicast,
        "Whether it is a unicast address that is not loopback, link-local or unspecified (private ones are).",
    ),
    ("isLinkLocalUnicast", _is_link_local_unicast, "Whether it is in 169.254.0.0/16 or fe80::/10."),
    ("isLinkLocalMulticast", _is_link_local_multicast, "Whether it is in 224.0.0.0/24 or ff02::/16."),
)

FUNCTIONS = (
    Extension(
        "ip",
        "network",
        overloads("ip", ((STRING,), parse_ip), ((CIDR_TYPE,), _cidr_ip)),
        ("ip(<string>) -> <net.IP>", "<net.CIDR>.ip() -> <net.IP>"),
        "Parse an IP address; of a CIDR range, its address.",
    ),
    Extension(
        "cidr",
        "network",
        overloads("cidr", ((STRING,), parse_cidr)),
        ("cidr(<string>) -> <net.CIDR>",),
        "Parse a CIDR range such as 10.0.0.0/8.",
    ),
    Extension(
        "isIP",
        "network",
        overloads("isIP", ((STRING,), _valid(parse_ip))),
        ("isIP(<string>) -> <bool>",),
        "Whether the string is an IP address ip() accepts.",
    ),
    Extension(
        "isCIDR",
        "network",
        overloads("isCIDR", ((STRING,), _valid(parse_cidr))),
        ("isCIDR(<string>) -> <bool>",),
        "Whether the string is a CIDR range cidr() accepts.",
    ),
    Extension(
        "ip.isCanonical",
        "network",
        overloads("ip.isCanonical", ((STRING,), _is_canonical)),
        ("ip.isCanonical(<string>) -> <bool>",),
        "Whether the address is written in its canonical form.",
    ),
    Extension(
        "family",
        "network",
        overloads("family", ((IP_TYPE,), lambda value: value.address.version)),
        ("<net.IP>.family() -> <int>",),
        "4 or 6.",
    ),
    *(
        Extension(
            name,
            "network",
            overloads(name, ((IP_TYPE,), _test(test))),
            (f"<net.IP>.{name}() -> <bool>",),
            doc,
        )
        for name, test, doc in _ADDRESS_TESTS
    ),
    Extension(
        "containsIP",
        "network",
        overloads("containsIP", ((CIDR_TYPE, IP_TYPE), _contains_ip), ((CIDR_TYPE, STRING), _contains_ip)),
        ("<net.CIDR>.containsIP(<net.IP>) -> <bool>", "<net.CIDR>.containsIP(<string>) -> <bool>"),
        "Whether the range holds the address (never across IPv4 and IPv6).",
    ),
    Extension(
        "containsCIDR",
        "network",
        overloads(
            "containsCIDR", ((CIDR_TYPE, CIDR_TYPE), _contains_cidr), ((CIDR_TYPE, STRING), _contains_cidr)
        ),
        ("<net.CIDR>.containsCIDR(<net.CIDR>) -> <bool>", "<net.CIDR>.containsCIDR(<string>) -> <bool>"),
        "Whether the range holds the whole other range.",
    ),
    Extension(
        "masked",
        "network",
        overloads("masked", ((CIDR_TYPE,), _masked)),
        ("<net.CIDR>.masked() -> <net.CIDR>",),
        "The range with its host bits cleared.",
    ),
    Extension(
        "prefixLength",
        "network",
        overloads("prefixLength", ((CIDR_TYPE,), lambda value: value.bits)),
        ("<net.CIDR>.prefixLength() -> <int>",),
        "The number of bits of the prefix.",
    ),
)
