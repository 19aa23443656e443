from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assay.cel.functions import DEFAULT_FUNCTIONS, CelFunction, FunctionRegistry
from assay.cel.reference import ReferenceBackend
from assay.errors import CelError, ConfigError

NOW = datetime(2026, 11, 25, tzinfo=UTC)


def run(expression: str, **variables: Any) -> Any:
    backend = ReferenceBackend()
    native = {k: backend.native(v) for k, v in variables.items()}
    return backend.python(backend.compile(expression).run(native))


SECURITY_TXT = """# comment
Contact: mailto:a@example.com
Contact: https://example.com/sec
Expires: 2027-01-01T00:00:00Z
"""

SIGNED_SECURITY_TXT = """-----BEGIN PGP SIGNED MESSAGE-----
Hash: SHA512

Contact: mailto:a@example.com
- Expires: x
-----BEGIN PGP SIGNATURE-----
Comment: Contact: mailto:attacker@example.net

iHUEARYKAB0WIQRm0e1QX0xkV9yA4n7b3mIu8wLlXAUCZ1lHZgAKCRDb3mIu8wLl
-----END PGP SIGNATURE-----
"""

PRETTY_TESTSSL = {
    "Invocation": "testssl.sh --jsonfile-pretty out.json app.example.com",
    "scanResult": [
        {
            "targetHost": "app.example.com",
            "ip": "203.0.113.10",
            "port": "443",
            "service": "HTTP",
            "protocols": [{"id": "TLS1", "severity": "OK", "finding": "not offered"}],
            "grease": [],
            "rating": [{"id": "overall_grade", "severity": "OK", "finding": "A+"}, "not a finding"],
        },
        "not a host",
    ],
    "scanTime": 12,
}

# Each custom function's behaviour as a data table: expression, variables, expected value.
CASES: list[tuple[str, dict[str, Any], Any]] = [
    ("now - days(3)", {"now": NOW}, NOW - timedelta(days=3)),
    ("lower('MiXed')", {}, "mixed"),
    ("'MiXed'.upper()", {}, "MIXED"),
    ("trim('  x ')", {}, "x"),
    ("split('a,b,,c', ',')", {}, ["a", "b", "", "c"]),
    (
        "lookup_ci(h, 'strict-transport-security')",
        {"h": {"Strict-Transport-Security": "max-age=1"}},
        "max-age=1",
    ),
    ("lookup_ci(h, 'x-frame-options') == null", {"h": {}}, True),
    ("parse_json(p).Statement[0].Effect", {"p": '{"Statement": [{"Effect": "Allow"}]}'}, "Allow"),
    ("flatten(r.map(x, x.Instances)).size()", {"r": [{"Instances": [1, 2]}, {"Instances": [3]}]}, 3),
    (
        "security_txt(t)['contact']",
        {"t": SECURITY_TXT},
        ["mailto:a@example.com", "https://example.com/sec"],
    ),
    # A cleartext-signed file is read from its signed text: not the armor header, not the signature.
    ("security_txt(t)", {"t": SIGNED_SECURITY_TXT}, {"contact": ["mailto:a@example.com"], "expires": ["x"]}),
    (
        "security_txt(t)['contact']",
        {"t": "Contact: mailto:a@example.com\r\nExpires: x\r\n"},
        ["mailto:a@example.com"],
    ),
    ("testssl_findings(f) == f", {"f": [{"id": "TLS1", "ip": "h/1.2.3.4", "port": "443"}]}, True),
    (
        "testssl_findings(p)",
        {"p": PRETTY_TESTSSL},
        [
            {
                "ip": "app.example.com/203.0.113.10",
                "port": "443",
                "id": "TLS1",
                "severity": "OK",
                "finding": "not offered",
            },
            {
                "ip": "app.example.com/203.0.113.10",
                "port": "443",
                "id": "overall_grade",
                "severity": "OK",
                "finding": "A+",
            },
        ],
    ),
]


@pytest.mark.parametrize(("expression", "variables", "expected"), CASES)
def test_custom_functions(expression: str, variables: dict[str, Any], expected: Any) -> None:
    assert run(expression, **variables) == expected


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("days('x')", "days:"),
        ("parse_json('{')", "parse_json:"),
        ("split(1, ',')", "split:"),
        ("testssl_findings({'server_scan_results': []})", "testssl_findings:"),
    ],
)
def test_bad_arguments_are_cel_errors(expression: str, message: str) -> None:
    with pytest.raises(CelError, match=message):
        run(expression)


def test_registry_is_explicit_and_refuses_duplicates() -> None:
    registry = DEFAULT_FUNCTIONS.copy()
    registry.register(CelFunction("double_it", lambda n: n * 2, "double_it(int) -> int", "Twice n."))
    assert "double_it" in registry
    assert "double_it" not in DEFAULT_FUNCTIONS
    with pytest.raises(ConfigError, match="already registered"):
        registry.register(CelFunction("days", lambda n: n, "days(int) -> int", "clash"))
    backend = ReferenceBackend(registry)
    assert backend.python(backend.compile("double_it(21)").run({})) == 42


def test_every_function_is_documented() -> None:
    for function in FunctionRegistry(list(DEFAULT_FUNCTIONS)):
        assert function.signature.startswith(function.name + "(")
        assert function.doc


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
PRETTY = st.fixed_dictionaries(
    {
        "scanResult": st.lists(
            st.dictionaries(st.sampled_from(["ip", "port", "targetHost", "protocols"]), JSON)
        )
    }
)


TESTSSL_FINDINGS = DEFAULT_FUNCTIONS.get("testssl_findings").implementation  # type: ignore[union-attr]


@given(JSON | PRETTY)
def test_testssl_findings_reads_any_json_or_refuses_it_with_a_value_error(export: Any) -> None:
    try:
        found = TESTSSL_FINDINGS(export)
    except ValueError:
        assert not isinstance(export, list)
        return
    assert isinstance(found, list)
    if not isinstance(export, list):  # read from --jsonfile-pretty: each finding says where it was found
        assert all(isinstance(f["ip"], str) and isinstance(f["port"], str) and "id" in f for f in found)


SECURITY_TXT_FIELDS = DEFAULT_FUNCTIONS.get("security_txt").implementation  # type: ignore[union-attr]
FIELD_LINES = st.lists(
    st.tuples(
        st.sampled_from(["Contact", "Expires", "Canonical", "Policy", "Preferred-Languages"]),
        st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=20),
    ),
    max_size=6,
)


@given(FIELD_LINES, st.sampled_from(["\n", "\r\n"]))
def test_a_signed_security_txt_reads_as_its_signed_text(fields: list[tuple[str, str]], newline: str) -> None:
    body = "".join(f"{name}: {value}{newline}" for name, value in fields)
    escaped = "".join(
        f"- {line}" if line.startswith("-") else line for line in body.splitlines(keepends=True)
    )
    signed = (
        f"-----BEGIN PGP SIGNED MESSAGE-----{newline}Hash: SHA256{newline}{newline}{escaped}"
        f"-----BEGIN PGP SIGNATURE-----{newline}Version: Contact: mailto:x@example.net{newline}{newline}"
        f"iHUEARYKAB0WIQ{newline}-----END PGP SIGNATURE-----{newline}"
    )
    assert SECURITY_TXT_FIELDS(signed) == SECURITY_TXT_FIELDS(body)
