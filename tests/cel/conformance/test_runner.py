"""The conformance runner itself: the text-format reader, the schema check, CEL-exact comparison, the
expected-failures file and its update mode, each on hostile input made here."""

from __future__ import annotations

import importlib.util
import math
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from assay.cel.native import TYPES, Uint
from tests.cel.conformance import expected, suite
from tests.cel.conformance.protoschema import SchemaError, load_schema
from tests.cel.conformance.textproto import Node, Scalar, TextprotoError, parse

# --- the text-format reader ---------------------------------------------------------------------------


def test_reader_decodes_escapes_and_joins_adjacent_strings() -> None:
    tree = parse(r"""expr: "\x41\101\u00e9\?" 'b\'c' # comment""")
    (value,) = tree.all("expr")
    assert isinstance(value, Scalar)
    assert value.value == b"AA\xc3\xa9?b'c"


def test_reader_reads_nesting_lists_and_any_expansions() -> None:
    tree = parse("a { b: [1, -2.5, inf] c < d: X > } o { [type.googleapis.com/x.Y] { s: 1 } }")
    (a,) = tree.all("a")
    assert isinstance(a, Node)
    assert [s.value for s in a.all("b") if isinstance(s, Scalar)] == ["1", "-2.5", "inf"]
    (o,) = tree.all("o")
    assert isinstance(o, Node)
    assert o.fields[0].name == "[type.googleapis.com/x.Y]"


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("a {\n  b: 1\n", 3, 1, "opened at 1:3 is never closed"),
        ("a: 1\nb 2", 2, 3, "expected ':'"),
        ('a: 1\n  c: "\\q"', 2, 6, "invalid escape"),
        ("a: 1 }", 1, 6, "expected a field name"),
        ("a: @", 1, 4, "unexpected character"),
        ("a: [1 2]", 1, 7, "expected ',' or ']'"),
        ("a: ", 1, 4, "expected a value"),
    ],
)
def test_reader_errors_name_line_and_column(text: str, line: int, column: int, words: str) -> None:
    with pytest.raises(TextprotoError) as caught:
        parse(text, "hostile.textproto")
    assert (caught.value.line, caught.value.column) == (line, column)
    assert str(caught.value).startswith(f"hostile.textproto:{line}:{column}: ")
    assert words in str(caught.value)


# --- the schema, from cel-spec's .proto files ---------------------------------------------------------

HOSTILE_TESTS = [
    ('section { test { name: "t" exprr: "1" } }', 1, 28, "has no field 'exprr'"),
    ('section { test { name: "t" name: "u" } }', 1, 28, "set twice"),
    ("section { test { value { int64_value: 1 } eval_error {} } }", 1, 43, "one of"),
    ('section { test { value { int64_value: "1" } } }', 1, 39, "not quoted"),
    ("section { test { value { uint64_value: -1 } } }", 1, 40, "out of range"),
    ("section { test { value { null_value: NULL } } }", 1, 38, "not a value of enum"),
    ("section { test { expr: 1 } }", 1, 24, "must be quoted"),
    ('section { test: "x" }', 1, 17, "is a message"),
]


@pytest.mark.parametrize(("text", "line", "column", "words"), HOSTILE_TESTS)
def test_schema_rejects_what_simple_proto_does_not_declare(
    text: str, line: int, column: int, words: str
) -> None:
    if not suite.available():
        pytest.skip(suite.absent_reason())
    with pytest.raises(TextprotoError) as caught:
        suite.schema().typed(
            parse(text, "t.textproto"), "cel.expr.conformance.test.SimpleTestFile", "t.textproto"
        )
    assert (caught.value.line, caught.value.column) == (line, column)
    assert words in str(caught.value)


def test_schema_types_scalars_maps_and_any(tmp_path: Path) -> None:
    proto = tmp_path / "t.proto"
    proto.write_text(
        "syntax = 'proto3'; package p;\n"
        "message M { // a comment\n  message In { repeated bytes b = 1 [packed = true]; }\n"
        "  map<string, In> m = 1; oneof k { uint64 u = 2; double d = 3; }\n"
        "  google.protobuf.Any any = 4; reserved 9; E e = 5; }\n"
        "enum E { A = 0; B = 1; }\n",
        encoding="utf-8",
    )
    schema = load_schema([proto])
    text = (
        'm { key: "k" value { b: "\\xff" b: "x" } } u: 0x10 e: 1 '
        "any { [x/google.protobuf.Duration] { seconds: 3 } }"
    )
    typed = schema.typed(parse(text), "p.M", "t")
    assert typed["m"] == {"k": {"b": [b"\xff", b"x"]}}
    assert typed["u"] == 16
    assert typed["e"] == "B"
    assert typed["any"]["any"].body == {"seconds": 3}


def test_schema_refuses_an_undeclared_type(tmp_path: Path) -> None:
    proto = tmp_path / "t.proto"
    proto.write_text("syntax = 'proto3'; package p; message M { Missing x = 1; }", encoding="utf-8")
    with pytest.raises(SchemaError, match="'Missing'"):
        load_schema([proto])


# --- CEL-exact comparison -----------------------------------------------------------------------------

KINDS: list[Any] = [1, Uint(1), 1.0, True, "1", b"1", None, [1], {1: 1}]


@pytest.mark.parametrize("left", range(len(KINDS)))
@pytest.mark.parametrize("right", range(len(KINDS)))
def test_each_kind_equals_only_itself(left: int, right: int) -> None:
    assert suite.cel_equal(KINDS[left], KINDS[right]) is (left == right)


@pytest.mark.parametrize(
    ("wanted", "actual", "same"),
    [
        ([Uint(1), 2.0], [Uint(1), 2.0], True),
        ([Uint(1), 2.0], [1, 2.0], False),
        ([Uint(1), 2.0], [Uint(1), 2], False),
        ({"a": b"x", Uint(2): [None]}, {Uint(2): [None], "a": b"x"}, True),
        ({"a": b"x"}, {"a": "x"}, False),
        ({Uint(2): 1}, {2: 1}, False),
        (math.nan, math.nan, True),
        (suite.ExpectedType("int"), "int", False),
        (suite.ExpectedType("int"), TYPES["int"], True),
        (suite.ExpectedType("int"), TYPES["uint"], False),
        (suite.ExpectedTime("duration", 1_500), timedelta(microseconds=1), False),
        (suite.ExpectedTime("duration", 2_000), timedelta(microseconds=2), True),
        (suite.ExpectedTime("timestamp", 10**9), datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC), True),
        (suite.ExpectedTime("timestamp", 10**9), datetime(1970, 1, 1, 0, 0, 1), False),
        (suite.ExpectedTime("timestamp", 10**9), timedelta(seconds=1), False),
    ],
)
def test_nested_values_compare_exactly(wanted: Any, actual: Any, same: bool) -> None:
    assert suite.cel_equal(wanted, actual) is same


# --- cases: skips, conversions, outcomes --------------------------------------------------------------


def make(test: dict[str, Any]) -> suite.Case:
    return suite.make_case("f/s/t", "f", test)


@pytest.mark.parametrize(
    ("test", "words"),
    [
        ({"expr": "x", "container": "google.protobuf"}, "container"),
        ({"expr": "TestAllTypes{single_int64: 1}.single_int64"}, "message types"),
        ({"expr": "google.protobuf.Int32Value{value: 1}"}, "message types"),
        ({"expr": "1", "check_only": True}, "type checker"),
        ({"expr": "1", "disable_macros": True}, "macros"),
        ({"expr": "x", "unknown": {}}, "unknown"),
        ({"expr": "1", "value": {"enum_value": {"type": "E", "value": 1}}}, "protobuf"),
        ({"expr": "x", "bindings": {"x": {"error": {}}}}, "error or unknown"),
    ],
)
def test_what_the_public_api_cannot_express_is_skipped_with_its_reason(
    test: dict[str, Any], words: str
) -> None:
    case = make(test)
    assert case.skip is not None
    assert words in case.skip
    assert suite.run(case, "native").status == "skipped"


def test_bindings_and_results_keep_their_kind() -> None:
    duration = {"object_value": {"any": suite.AnyValue("google.protobuf.Duration", {"seconds": 2})}}
    case = make(
        {
            "expr": "x",
            "bindings": {"x": {"value": {"uint64_value": 7}}, "d": {"value": duration}},
            "value": {"list_value": {"values": [{"uint64_value": 7}, {"bytes_value": b"a"}]}},
        }
    )
    assert type(case.bindings["x"]) is Uint
    assert case.bindings["d"] == timedelta(seconds=2)
    assert case.expected == [Uint(7), b"a"]
    assert suite.cel_equal(case.expected, [Uint(7), b"a"])
    assert not suite.cel_equal(case.expected, [7, "a"])


def test_outcomes_on_the_native_backend() -> None:
    passes = make({"expr": "[1u, b'a', 2.0]", "value": {"list_value": {"values": [
        {"uint64_value": 1}, {"bytes_value": b"a"}, {"double_value": 2.0}]}}})  # fmt: skip
    assert suite.run(passes, "native").status == "passed"
    wrong_kind = make({"expr": "[1, 'a', 2]", "value": {"list_value": {"values": [
        {"uint64_value": 1}, {"bytes_value": b"a"}, {"double_value": 2.0}]}}})  # fmt: skip
    assert suite.run(wrong_kind, "native").status == "failed"
    error = make({"expr": "1 / 0", "eval_error": {}})
    assert suite.run(error, "native").status == "passed"
    no_error = make({"expr": "1 / 1", "eval_error": {}})
    assert "expected an error" in suite.run(no_error, "native").detail
    # An unspecified result means true.
    assert suite.run(make({"expr": "1 < 2"}), "native").status == "passed"


def test_a_crash_is_never_a_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """An exception that is not a CelError fails the test even where an error is expected."""

    def crash(expression: str, **_options: object) -> None:
        raise RuntimeError("a bug in the backend")

    monkeypatch.setattr(suite.assay.cel, "compile", crash)
    case = suite.Case("f/s/t", "f", "x", {"x": 1}, True, None)
    result = suite.run(case, "reference")
    assert result.status == "failed"
    assert result.detail.startswith("crash: ")


def test_an_absent_suite_is_reported_with_its_place(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(suite, "SPEC", tmp_path / "cel-spec")
    assert not suite.available()
    assert suite.suite_files() == []
    assert str(tmp_path / "cel-spec") in suite.absent_reason()


# --- the expected-failures file -----------------------------------------------------------------------


def result(test_id: str, status: str) -> suite.Result:
    return suite.Result(
        suite.Case(test_id, "f", "1 + 1", {}, False, 2), status, "gave 3 (int), expected 2 (int)"
    )


def test_regressions_and_fixes_both_fail() -> None:
    results = [result("f/s/new", "failed"), result("f/s/fixed", "passed"), result("f/s/known", "failed")]
    problems = expected.differences(results, {"f/s/fixed": "was broken", "f/s/known": "still broken"})
    assert len(problems) == 2
    assert problems[0].startswith("regression: f/s/new")
    assert problems[1] == "now passes, remove it from the expected failures: f/s/fixed"


def test_update_keeps_reasons_drops_fixes_and_marks_new_entries(tmp_path: Path) -> None:
    old = {"native": {"f/s/known": "a real reason", "f/s/fixed": "was broken"}, "reference": {}}
    results = {
        "native": [result("f/s/known", "failed"), result("f/s/fixed", "passed"), result("f/s/new", "failed")]
    }
    new = expected.updated(old, results)
    assert new["native"]["f/s/known"] == "a real reason"
    assert "f/s/fixed" not in new["native"]
    assert new["native"]["f/s/new"].startswith(expected.PLACEHOLDER)
    assert "gave 3 (int)" in new["native"]["f/s/new"]
    assert expected.missing_reasons(new) == ["native: f/s/new"]
    path = tmp_path / "expected.yaml"
    expected.write(path, new)
    assert expected.load(path) == new
    assert list(tmp_path.iterdir()) == [path]


def test_empty_reasons_are_missing_too() -> None:
    assert expected.missing_reasons({"native": {"a": "  ", "b": "fine"}, "reference": {"c": ""}}) == [
        "native: a",
        "reference: c",
    ]


@pytest.mark.parametrize("text", ["[1, 2]", "native: [a, b]", "native: {a: 1}", "nativ: {}"])
def test_a_misshapen_file_is_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "expected.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(expected.ExpectedFailuresError):
        expected.load(path)


def test_the_benchmark_table_counts_per_file() -> None:
    if not suite.available():
        pytest.skip(suite.absent_reason())
    path = suite.ROOT / "benchmarks" / "cel_conformance.py"
    spec = importlib.util.spec_from_file_location("cel_conformance", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    table = module.table({b: suite.run_file("basic", b) for b in suite.BACKENDS})
    row = next(line for line in table.splitlines() if line.startswith("| basic |"))
    total = len(suite.cases("basic"))
    assert row.startswith(f"| basic | core | {total} | ")
    assert "| **extension** |" in table
