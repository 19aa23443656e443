from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

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
]


@pytest.mark.parametrize(("expression", "variables", "expected"), CASES)
def test_custom_functions(expression: str, variables: dict[str, Any], expected: Any) -> None:
    assert run(expression, **variables) == expected


@pytest.mark.parametrize(
    ("expression", "message"),
    [("days('x')", "days:"), ("parse_json('{')", "parse_json:"), ("split(1, ',')", "split:")],
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
