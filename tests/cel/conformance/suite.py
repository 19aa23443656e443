"""Google's CEL conformance suite (cel-spec's ``testdata/*.textproto``) run through assay's public API.

Each test's expression is compiled with ``assay.cel.compile(expr, backend=...)`` and evaluated with
its bindings; the result is compared CEL-exactly with the expected value: int, uint and double are
different kinds, bytes are not strings, a map matches whatever the order of its entries, and NaN
matches NaN. An expected error matches any :class:`assay.errors.CelError`, at compile or evaluation
time (the suite's error messages are cel-go's own); any other exception is a crash, never a pass.

Tests the public API cannot express are skipped, each with its reason: those that need protobuf
message types or enums, a container for name resolution, a type checker (``check_only``), unknowns,
or parsing without macros.

The suite is found at ``../shared/reference/cel-spec`` from the repository root.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import assay.cel
from assay.cel.native import Uint
from assay.errors import CelError
from tests.cel.conformance.protoschema import AnyValue, Schema, load_schema
from tests.cel.conformance.textproto import parse

ROOT = Path(__file__).resolve().parents[3]
SPEC = ROOT.parent / "shared" / "reference" / "cel-spec"
EXPECTED_FAILURES = Path(__file__).resolve().parent / "expected_failures.yaml"
BACKENDS = ("native", "reference")
# The files of the extension libraries (issue 23, point 4); every other file is the core language.
EXTENSION_FILES = frozenset(
    (
        "bindings_ext",
        "block_ext",
        "encoders_ext",
        "macros2",
        "math_ext",
        "network_ext",
        "optionals",
        "string_ext",
    )
)
_PROTO_FILES = (
    "cel/expr/value.proto",
    "cel/expr/eval.proto",
    "cel/expr/syntax.proto",
    "cel/expr/checked.proto",
    "cel/expr/conformance/test/simple.proto",
)
_FILE_MESSAGE = "cel.expr.conformance.test.SimpleTestFile"
# A message literal (``TestAllTypes{...}``, ``google.protobuf.Int32Value{value: 1}``) or a name of
# the suite's test messages in the expression.
_MESSAGE_IN_EXPRESSION = re.compile(r"\b[A-Z]\w*\s*\{|cel\.expr\.conformance|TestAllTypes|GlobalEnum")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class NeedsMessages(Exception):
    """A value the public API has no counterpart for: a protobuf message, an enum, a type."""


@dataclass(frozen=True)
class ExpectedType:
    """An expected ``type_value``: a CEL type, which no string equals."""

    name: str


@dataclass(frozen=True)
class ExpectedTime:
    """An expected timestamp or duration, in nanoseconds (datetime and timedelta hold microseconds)."""

    kind: str  # "timestamp" or "duration"
    nanos: int


@dataclass(frozen=True)
class Case:
    id: str  # file/section/test
    file: str
    expression: str
    bindings: dict[str, Any]
    error: bool  # an error is expected
    expected: Any  # the expected value when no error is expected
    skip: str | None = None


@dataclass(frozen=True)
class Result:
    case: Case
    status: str  # passed, failed, skipped
    detail: str = ""


def available() -> bool:
    return (SPEC / "testdata").is_dir() and (SPEC / "proto").is_dir()


def absent_reason() -> str:
    return f"the CEL conformance suite is not at {SPEC} (cel-spec's testdata/ and proto/)"


@cache
def schema() -> Schema:
    return load_schema([SPEC / "proto" / name for name in _PROTO_FILES])


def suite_files() -> list[str]:
    """The names of the suite's files, without ``.textproto``; empty where the suite is absent."""
    if not available():
        return []
    return sorted(p.stem for p in (SPEC / "testdata").glob("*.textproto"))


@cache
def cases(file: str) -> tuple[Case, ...]:
    """Every test of one file, checked against the schema, with its skip reason where it has one."""
    path = SPEC / "testdata" / f"{file}.textproto"
    data = schema().typed(parse(path.read_text(encoding="utf-8"), str(path)), _FILE_MESSAGE, str(path))
    found = []
    seen: dict[str, int] = {}
    for section in data.get("section", []):
        for test in section.get("test", []):
            case_id = f"{file}/{section.get('name', '')}/{test.get('name', '')}"
            seen[case_id] = seen.get(case_id, 0) + 1
            if seen[case_id] > 1:  # a few names repeat within a section: number the repeats
                case_id = f"{case_id}#{seen[case_id]}"
            found.append(make_case(case_id, file, test))
    return tuple(found)


def make_case(case_id: str, file: str, test: dict[str, Any]) -> Case:
    expression = test.get("expr", "")
    reason = skip_reason(test)
    if reason:
        return Case(case_id, file, expression, {}, False, None, reason)
    bindings: dict[str, Any] = {}
    error, expected = False, True  # an unspecified result is the value true
    try:
        for name, value in test.get("bindings", {}).items():
            if "value" not in value:
                raise NeedsMessages(f"binding {name!r} is an error or unknown, not a value")
            bindings[name] = from_value(value["value"], binding=True)
        if "value" in test:
            expected = from_value(test["value"])
        elif "typed_result" in test:
            expected = from_value(test["typed_result"].get("result", {}))
        elif "eval_error" in test or "any_eval_errors" in test:
            error = True
    except NeedsMessages as exc:
        reason = str(exc)
    return Case(case_id, file, expression, bindings, error, expected, reason)


def skip_reason(test: dict[str, Any]) -> str | None:
    """Why the public API cannot run this test, or None."""
    if test.get("container"):
        return f"needs the container {test['container']!r} for name resolution"
    if test.get("check_only"):
        return "a check-only test: the public API has no type checker"
    if test.get("disable_macros"):
        return "parses with macros disabled, which the public API does not offer"
    if "unknown" in test or "any_unknowns" in test:
        return "expects an unknown result, which the public API does not have"
    if _MESSAGE_IN_EXPRESSION.search(test.get("expr", "")):
        return "the expression uses protobuf message types"
    return None


def from_value(value: dict[str, Any], *, binding: bool = False) -> Any:
    """A ``cel.expr.Value`` as the plain value the public API takes and gives."""
    if len(value) != 1:
        raise ValueError(f"a cel.expr.Value sets exactly one kind, not {sorted(value)}")
    ((kind, content),) = value.items()
    scalars = {
        "null_value": lambda c: None,
        "bool_value": bool,
        "int64_value": int,
        "uint64_value": Uint,
        "double_value": float,
        "string_value": str,
        "bytes_value": bytes,
    }
    if kind in scalars:
        return scalars[kind](content)
    if kind == "list_value":
        return [from_value(v, binding=binding) for v in content.get("values", [])]
    if kind == "map_value":
        entries = content.get("entries", [])
        return {
            from_value(e["key"], binding=binding): from_value(e["value"], binding=binding) for e in entries
        }
    if kind == "type_value" and not binding:
        return ExpectedType(content)
    if kind == "object_value":
        return from_any(content["any"], binding=binding)
    raise NeedsMessages(f"{kind} in a {'binding' if binding else 'result'}, which needs protobuf types")


def from_any(content: AnyValue, *, binding: bool) -> Any:
    if content.type_name not in ("google.protobuf.Timestamp", "google.protobuf.Duration"):
        raise NeedsMessages(f"a protobuf message {content.type_name}")
    assert isinstance(content.body, dict)
    nanos = content.body.get("seconds", 0) * 10**9 + content.body.get("nanos", 0)
    kind = "timestamp" if content.type_name.endswith("Timestamp") else "duration"
    if not binding:
        return ExpectedTime(kind, nanos)
    if nanos % 1000:
        raise NeedsMessages(f"a {kind} binding with nanoseconds, which datetime and timedelta cannot hold")
    delta = timedelta(microseconds=nanos // 1000)
    return _EPOCH + delta if kind == "timestamp" else delta


def _nanos(actual: Any) -> int | None:
    """The nanoseconds of a datetime (since the epoch) or timedelta, or None for anything else."""
    extra = int(getattr(actual, "nanosecond", 0)) % 1000
    if isinstance(actual, datetime):
        if actual.tzinfo is None:
            return None
        return (actual - _EPOCH) // timedelta(microseconds=1) * 1000 + extra
    if isinstance(actual, timedelta):
        return actual // timedelta(microseconds=1) * 1000 + extra
    return None


def cel_equal(expected: Any, actual: Any) -> bool:
    """Whether ``actual`` is ``expected`` with the same CEL kind all the way down."""
    if isinstance(expected, ExpectedType):
        return not isinstance(actual, str) and getattr(actual, "name", None) == expected.name
    if isinstance(expected, ExpectedTime):
        kind = datetime if expected.kind == "timestamp" else timedelta
        return isinstance(actual, kind) and _nanos(actual) == expected.nanos
    if isinstance(expected, list | dict):
        return _same_container(expected, actual)
    if isinstance(expected, Uint) or isinstance(actual, Uint):
        return isinstance(actual, Uint) and isinstance(expected, Uint) and int(actual) == int(expected)
    if type(actual) is not type(expected):
        return False
    nans = isinstance(expected, float) and math.isnan(expected) and math.isnan(actual)
    return nans or bool(actual == expected)


def _same_container(expected: list[Any] | dict[Any, Any], actual: Any) -> bool:
    if type(actual) is not type(expected) or len(actual) != len(expected):
        return False
    if isinstance(expected, list):
        return all(cel_equal(e, a) for e, a in zip(expected, actual, strict=True))
    return _same_entries(expected, actual)


def _same_entries(expected: dict[Any, Any], actual: dict[Any, Any]) -> bool:
    for key, value in expected.items():
        matches = [k for k in actual if cel_equal(key, k)]
        if len(matches) != 1 or not cel_equal(value, actual[matches[0]]):
            return False
    return True


def show(value: Any) -> str:
    """A short description of a value with its Python type, for failure details."""
    text = repr(value)
    if len(text) > 80:
        text = text[:77] + "..."
    return f"{text} ({type(value).__name__})"


def run(case: Case, backend: str) -> Result:
    """One test on one backend."""
    if case.skip:
        return Result(case, "skipped", case.skip)
    try:
        actual = assay.cel.compile(case.expression, backend=backend).evaluate(case.bindings)
    except CelError as exc:
        if case.error:
            return Result(case, "passed")
        return Result(case, "failed", f"error {str(exc)[:100]!r}, expected {show(case.expected)}")
    except Exception as exc:  # a crash is never a pass, whatever the test expects
        return Result(case, "failed", f"crash: {type(exc).__name__}: {str(exc)[:100]}")
    return _judge(case, actual)


def _judge(case: Case, actual: Any) -> Result:
    if case.error:
        return Result(case, "failed", f"gave {show(actual)}, expected an error")
    if cel_equal(case.expected, actual):
        return Result(case, "passed")
    return Result(case, "failed", f"gave {show(actual)}, expected {show(case.expected)}")


def run_file(file: str, backend: str) -> list[Result]:
    return [run(case, backend) for case in cases(file)]


def run_all(backend: str) -> Iterator[Result]:
    for file in suite_files():
        yield from run_file(file, backend)
