"""The network extension library (``ip``, ``cidr``) on the native backend."""

# ruff: noqa: RUF001 - Arabic-Indic digits are the point of a case

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.cel.ext_support import exactly, fails, run


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("string(ip('192.168.0.1'))", "192.168.0.1"),
        ("string(ip('2001:DB8::68'))", "2001:db8::68"),
        ("isIP('192.168.0.1')", True),
        ("isIP('192.168.0.1.0')", False),
        ("isIP('010.0.0.1')", False),
        ("isIP('fe80::1%en0')", False),
        ("ip.isCanonical('127.0.0.1')", True),
        ("ip.isCanonical('2001:DB8::68')", False),
        ("type(ip('192.168.0.1')) == net.IP", True),
        ("ip('192.168.0.1').family()", 4),
        ("ip('2001:db8::68').family()", 6),
        ("ip('0.0.0.0').isUnspecified()", True),
        ("ip('::').isUnspecified()", True),
        ("ip('127.0.0.1').isLoopback()", True),
        ("ip('::1').isLoopback()", True),
        ("ip('192.168.0.1').isGlobalUnicast()", True),
        ("ip('255.255.255.255').isGlobalUnicast()", False),
        ("ip('ff00::1').isGlobalUnicast()", False),
        ("ip('224.0.0.1').isLinkLocalMulticast()", True),
        ("ip('224.0.1.1').isLinkLocalMulticast()", False),
        ("ip('ff02::1').isLinkLocalMulticast()", True),
        ("ip('169.254.169.254').isLinkLocalUnicast()", True),
        ("ip('fe80::1').isLinkLocalUnicast()", True),
        ("ip('fd80::1').isLinkLocalUnicast()", False),
        ("ip('::ffff:c0a8:1') == ip('192.168.0.1')", True),
        ("ip('2001:db8::1') == ip('2001:DB8::1')", True),
        ("ip('::') == ip('::ffff')", False),
        ("ip('10.0.0.1') == '10.0.0.1'", False),
        ("type(cidr('192.168.0.0/24')) == net.CIDR", True),
        ("cidr('127.0.0.1/24') == cidr('127.0.0.1/24')", True),
        ("cidr('2001:db8::/32') == cidr('10.0.0.1/32')", False),
        ("cidr('192.168.0.0/24').containsIP(ip('192.168.0.1'))", True),
        ("cidr('192.168.0.0/24').containsIP('192.168.1.1')", False),
        ("cidr('192.168.0.0/24').containsCIDR(cidr('192.168.0.0/25'))", True),
        ("cidr('192.168.0.0/24').containsCIDR('192.168.0.0/23')", False),
        ("cidr('10.0.0.0/8').containsCIDR('10.0.0.0/8')", True),
        ("cidr('2001:db8::/32').containsIP(ip('192.168.1.1'))", False),
        ("cidr('192.168.1.1/32').containsIP(ip('2001:db8::1'))", False),
        ("cidr('0.0.0.0/0').containsIP('203.0.113.9')", True),
        ("cidr('192.168.0.0/24').ip() == ip('192.168.0.0')", True),
        ("cidr('192.168.0.1/24').masked() == cidr('192.168.0.0/24')", True),
        ("string(cidr('2001:db8::1/32').masked())", "2001:db8::/32"),
        ("cidr('192.168.0.0/24').prefixLength()", 24),
        ("string(cidr('2001:db8::/32'))", "2001:db8::/32"),
        ("isCIDR('10.0.0.0/8')", True),
        ("isCIDR('10.0.0.0/33')", False),
        ("isCIDR('10.0.0.0/08')", False),
        ("['10.0.0.0/8', '0.0.0.0/0'].exists(c, cidr(c).prefixLength() == 0)", True),
    ],
)
def test_network_functions(expression: str, expected: object) -> None:
    assert exactly(run(expression), expected)


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("ip('192.168.0.1.0')", "IP Address '192.168.0.1.0' parse error during conversion from string"),
        ("ip('2001:db8:::68')", "IP Address '2001:db8:::68' parse error"),
        ("ip('fe80::1%en0')", "IP Address with zone value is not allowed"),
        ("ip('::ffff:192.168.0.1')", "IPv4-mapped IPv6 address is not allowed"),
        ("ip('')", "parse error"),
        ("ip(' 10.0.0.1')", "parse error"),
        ("ip('١٠.0.0.1')", "parse error"),
        ("ip.isCanonical('127.0.0.1.0')", "parse error"),
        ("cidr('192.168.0.0/')", "network address parse error during conversion from string"),
        ("cidr('192.168.0.0')", "network address parse error"),
        ("cidr('192.168.0.0/-1')", "network address parse error"),
        ("cidr('192.168.0.0/+8')", "network address parse error"),
        ("cidr('192.168.0.0/٨')", "network address parse error"),
        ("cidr('fe80::1%en0/24')", "CIDR with zone value is not allowed"),
        ("cidr('::ffff:192.168.0.1/24')", "IPv4-mapped IPv6 address is not allowed"),
        ("cidr('10.0.0.0/8').containsIP('not an ip')", "parse error"),
        ("isIP(cidr('192.168.0.0/24'))", "no such overload"),
        ("ip(1)", "no such overload"),
        ("ip('10.0.0.1').prefixLength()", "no such overload"),
        ("ip('10.0.0.1').x", "cannot select field"),
        ("ip('10.0.0.1') < ip('10.0.0.2')", "no such overload"),
    ],
)
def test_network_errors(expression: str, message: str) -> None:
    fails(expression, message)


@given(st.ip_addresses(v=4), st.ip_addresses(v=4), st.integers(0, 32))
@settings(max_examples=300, deadline=None)
def test_contains_ip_agrees_with_the_ipaddress_module(network: object, host: object, bits: int) -> None:
    expected = host in ipaddress.ip_network(f"{network}/{bits}", strict=False)
    assert run("cidr(c).containsIP(h)", c=f"{network}/{bits}", h=str(host)) is expected


@given(st.ip_addresses(v=6), st.integers(0, 128), st.integers(0, 128))
@settings(max_examples=300, deadline=None)
def test_a_range_contains_its_narrower_ranges(address: object, outer: int, inner: int) -> None:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return
    result = run("cidr(c).containsCIDR(cidr(d))", c=f"{address}/{outer}", d=f"{address}/{inner}")
    assert result is (inner >= outer)
    assert run("string(ip(a)) == a", a=str(address))


def test_a_text_is_parsed_once_and_a_bad_one_fails_every_time() -> None:
    # Rules parse the same few ranges for every resource: the parse is remembered (IP and CIDR values
    # are never changed once made), an error is not.
    from assay.cel.native.ext_network import parse_cidr, parse_ip

    assert parse_cidr("10.0.0.0/8") is parse_cidr("10.0.0.0/8")
    assert parse_ip("10.1.2.3") is parse_ip("10.1.2.3")
    for _ in range(2):
        fails("cidr('10.0.0.0/33').prefixLength() == 33", "parse error")
    many = [f"10.{i // 256}.{i % 256}.0/24" for i in range(600)]
    assert run("xs.all(x, cidr(x).prefixLength() == 24)", xs=many * 2) is True
    assert run("xs.map(x, cidr(x).masked().containsIP(ip('10.0.0.1'))).filter(b, b).size()", xs=many) == 1
