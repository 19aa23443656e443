"""The compiled-rule cache: a warm program is the cold one, and a bad entry is rebuilt, never run."""

from __future__ import annotations

import io
import json
import math
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assay.cache import default_cache
from assay.cel import rulecache
from assay.cel.native import NativeBackend
from assay.cel.native.scaling import free_roots
from assay.cel.native.temporal import make_duration, make_timestamp
from assay.cel.native.values import TYPES, CelType, Uint
from assay.cel.rulecache import Analysis, Unstorable, analyse, decode_constant, encode_constant
from assay.errors import CelSyntaxError
from tests.cel.conformance import differential, expected, suite

ROOT = Path(__file__).resolve().parents[2]
VARIABLES: dict[str, Any] = {
    "item": {"VolumeId": "vol-1", "Encrypted": False, "Size": 8, "Tags": [{"Key": "a", "Value": "b"}]},
    "now": datetime(2026, 1, 1, tzinfo=UTC),
}
EXPRESSIONS = [
    "item.Encrypted == true",
    '"EBS volume " + item.VolumeId + " is not encrypted"',
    "item.Size + 4u",  # an error: no int + uint
    "item.Size * 1.5 == 12.0",
    'now - timestamp("2025-12-31T23:59:59.000000001Z") < duration("1s")',
    'duration("1ns") + duration("1.5s")',
    'b"\\xff\\x00" + bytes("a")',
    "type(item.Size) == int && type(1u) == uint",
    'item.Tags.exists(t, t.Key == "a") && item.Tags.all(t, t.Value in ["b", "c"])',
    "[1, 2.0, -0.0, 1u, null, true] == [1, 2.0, 0.0, 1u, null, true]",
    "1 / 0 == 1 || true",
    "0x7fffffffffffffff + 1",
    "{'a': 1, true: 2}.size()",
    'item.missing.or("x")',  # unknown function on a map: runs on the reference backend or errors
    "math.greatest(1, 2, 3)",
    "1 +",  # a syntax error
]


@pytest.fixture
def cache_dir(cache_dir: Path) -> Iterator[Path]:
    """The test's own rule cache (tests/conftest.py), with the in-process analysis memo emptied too."""
    analyse.cache_clear()
    yield cache_dir
    analyse.cache_clear()


def outcome(backend: NativeBackend, expression: str) -> tuple[str, str]:
    """What compiling and running the expression gives, with every value's exact type."""
    try:
        program = backend.compile(expression)
    except CelSyntaxError as exc:
        return ("syntax", f"{exc.message} @{exc.line}:{exc.column}")
    try:
        value = program.run(VARIABLES)
    except Exception as exc:
        return ("error", f"{type(exc).__name__}: {exc}")
    return ("value", typed(value))


def typed(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(typed(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{typed(k)}: {typed(v)}" for k, v in value.items()) + "}"
    if isinstance(value, float):
        return f"float {value.hex()}"
    return f"{type(value).__name__} {value!r}"


def entries(folder: Path, kind: str = rulecache.NATIVE) -> list[Path]:
    return sorted((folder / kind).glob("*.entry"))


def test_a_warm_program_is_the_cold_one(cache_dir: Path) -> None:
    cold = [outcome(NativeBackend(persistent=True), e) for e in EXPRESSIONS]
    assert len(entries(cache_dir)) == len(EXPRESSIONS)
    warm = [outcome(NativeBackend(persistent=True), e) for e in EXPRESSIONS]
    assert warm == cold
    assert cold[2][0] == "error"
    assert cold[-1][0] == "syntax"


@settings(max_examples=150, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(differential.expressions())
def test_generated_expressions_give_the_same_outcome_warm_and_cold(cache_dir: Path, expression: str) -> None:
    cold = outcome(NativeBackend(persistent=True), expression)
    warm = outcome(NativeBackend(persistent=True), expression)
    assert warm == cold


def test_the_conformance_suite_gives_the_same_results_from_the_cache(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not suite.available():
        pytest.skip(suite.absent_reason())
    monkeypatch.setattr(NativeBackend, "persistent", True)  # assay.cel.compile's backends too
    known = expected.load(suite.EXPECTED_FAILURES)["native"]
    runs = []
    for _ in ("cold", "warm"):
        results = [r for file in suite.suite_files() for r in suite.run_file(file, "native")]
        assert expected.differences(results, known) == []
        runs.append([(r.case.id, r.status, r.detail) for r in results])
    assert runs[0] == runs[1]
    assert len(entries(cache_dir)) > 1000


def test_a_tampered_entry_is_rebuilt_never_run(cache_dir: Path) -> None:
    expression = "item.Size == 8"
    assert outcome(NativeBackend(persistent=True), expression) == ("value", "bool True")
    [entry] = entries(cache_dir)
    text = entry.read_bytes()
    # The attacker's version: the same entry, its code turned into something else, the MAC kept.
    hostile = text.replace(b"== 8", b"!= 8")
    assert hostile != text
    entry.write_bytes(hostile)
    assert outcome(NativeBackend(persistent=True), expression) == ("value", "bool True")
    assert entry.read_bytes() == text  # rebuilt and written again


def test_an_entry_moved_over_another_expression_is_not_used(cache_dir: Path) -> None:
    outcome(NativeBackend(persistent=True), "item.Size == 8")
    [true_entry] = entries(cache_dir)
    outcome(NativeBackend(persistent=True), "item.Size == 9")
    [false_entry] = [e for e in entries(cache_dir) if e != true_entry]
    false_entry.write_bytes(true_entry.read_bytes())
    assert outcome(NativeBackend(persistent=True), "item.Size == 9") == ("value", "bool False")


def test_an_entry_of_another_version_is_not_used(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expression = "item.Size == 8"
    current = rulecache.code_version()
    # What an older assay, with other code for the same text, would have left under today's name.
    backend = NativeBackend(persistent=True)
    material_now = json.dumps([current, backend._material, expression])
    material_old = json.dumps(["0.0.1 old", backend._material, expression])
    store = default_cache()
    assert store is not None
    store.put(rulecache.NATIVE, material_old, {"fallback": "old"})
    os.replace(store._path(rulecache.NATIVE, material_old), store._path(rulecache.NATIVE, material_now))
    assert outcome(backend, expression) == ("value", "bool True")
    assert backend.fallbacks == {}


def test_the_exact_variant_read_back_is_decoded_only_when_first_run(cache_dir: Path) -> None:
    expression = "1 / 0 == 1 || true"  # the fast variant raises; the exact one absorbs the error
    backend = NativeBackend(persistent=True)
    cold = outcome(backend, expression)
    material = json.dumps([rulecache.code_version(), backend._material, expression])
    stored = rulecache.load_compiled(material)
    assert isinstance(stored, rulecache.StoredGenerated)
    assert "exact" not in vars(stored)  # a warm run decodes only the fast variant of each rule
    again = rulecache.load_compiled(material)
    assert isinstance(again, rulecache.Generated)
    assert stored.exact == again.exact
    assert stored == again
    assert outcome(NativeBackend(persistent=True), expression) == cold == ("value", "bool True")


def test_a_damaged_exact_variant_is_a_rule_error_and_the_fast_one_still_runs(cache_dir: Path) -> None:
    """Only a bug of assay's own could sign such an entry; it is still never run."""
    for expression in ("1 / 0 == 1 || true", "item.Size == 8"):
        backend = NativeBackend(persistent=True)
        outcome(backend, expression)
        material = json.dumps([rulecache.code_version(), backend._material, expression])
        store = default_cache()
        assert store is not None
        payload = store.get(rulecache.NATIVE, material)
        payload["exact"][2] = "bm90IGNvZGU="  # base64 of "not code": marshal refuses it
        store.put(rulecache.NATIVE, material, payload)
    assert outcome(NativeBackend(persistent=True), "item.Size == 8") == ("value", "bool True")
    kind, message = outcome(NativeBackend(persistent=True), "1 / 0 == 1 || true")
    assert (kind, message) == (
        "error",
        "CelError: the cached compilation of this rule is damaged: run assay with --no-cache",
    )


@pytest.mark.parametrize("cut", [0, 1, 40, -1])
def test_a_truncated_entry_is_rebuilt(cache_dir: Path, cut: int) -> None:
    outcome(NativeBackend(persistent=True), "item.Size == 8")
    [entry] = entries(cache_dir)
    entry.write_bytes(entry.read_bytes()[:cut])
    assert outcome(NativeBackend(persistent=True), "item.Size == 8") == ("value", "bool True")


def test_custom_functions_are_part_of_the_key(cache_dir: Path) -> None:
    from assay.cel.functions import CelFunction, FunctionRegistry

    assert (
        outcome(NativeBackend(persistent=True), "shout('a')")[0] == "error"
    )  # unknown here, on the reference backend
    registry = FunctionRegistry()
    registry.register(CelFunction("shout", lambda s: s.upper() + "!", "shout(string) -> string", "Loud."))
    assert outcome(NativeBackend(registry, persistent=True), "shout('a')") == ("value", "str 'A!'")


def test_a_backend_of_its_own_keeps_nothing_on_disk(cache_dir: Path) -> None:
    assert outcome(NativeBackend(), "item.Size == 8") == ("value", "bool True")
    assert not cache_dir.exists()


def test_the_cache_can_be_turned_off(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSAY_NO_CACHE", "1")
    assert outcome(NativeBackend(persistent=True), "item.Size == 8") == ("value", "bool True")
    assert not cache_dir.exists()


def test_lint_reads_the_analysis_back(cache_dir: Path) -> None:
    expression = 'item.Tags.exists(t, t.Key == "a") && lower(params.name) == aws.ec2.volumes.Volumes[0].Id'
    cold = analyse(expression)
    assert len(entries(cache_dir, rulecache.SYNTAX)) == 1
    analyse.cache_clear()
    warm = analyse(expression)
    assert warm == cold
    assert isinstance(warm, Analysis)
    assert [r.dotted for r in warm.references] == ["item.Tags", "params.name", "aws.ec2.volumes.Volumes"]
    assert [c[0] for c in warm.calls] == ["exists", "lower"]


def test_a_syntax_error_comes_back_with_its_position(cache_dir: Path) -> None:
    with pytest.raises(CelSyntaxError) as cold:
        analyse("a &&\n  (b")
    analyse.cache_clear()
    with pytest.raises(CelSyntaxError) as warm:
        analyse("a &&\n  (b")
    assert (warm.value.message, warm.value.line, warm.value.column) == (
        cold.value.message,
        cold.value.line,
        cold.value.column,
    )


def test_a_tampered_analysis_is_rebuilt(cache_dir: Path) -> None:
    cold = analyse("item.a == b.c")
    [entry] = entries(cache_dir, rulecache.SYNTAX)
    entry.write_bytes(entry.read_bytes().replace(b'"b"', b'"z"'))
    analyse.cache_clear()
    assert analyse("item.a == b.c") == cold


# --- constants ------------------------------------------------------------------------------------

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.integers(min_value=0, max_value=2**64 - 1).map(Uint),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),
    st.binary(),
    st.integers(min_value=-(10**18), max_value=10**18).map(make_duration),
    st.integers(min_value=-62135596800 * 10**9, max_value=253402300799 * 10**9).map(make_timestamp),
    st.sampled_from(sorted(TYPES)).map(TYPES.__getitem__),
)
CONSTANTS = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.frozensets(st.one_of(st.text(), st.integers()), max_size=4)
    ),
    max_leaves=12,
)


def identical(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, CelType):
        return a is b
    if isinstance(a, list):
        return len(a) == len(b) and all(identical(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float):
        return a.hex() == b.hex() or (math.isnan(a) and math.isnan(b))
    if isinstance(a, datetime | timedelta):
        return bool(a == b) and getattr(a, "nanosecond", 0) == getattr(b, "nanosecond", 0)
    return bool(a == b)


@given(CONSTANTS)
def test_constants_come_back_with_their_exact_type(value: Any) -> None:
    encoded = encode_constant(value)
    back = decode_constant(json.loads(json.dumps(encoded)))
    assert identical(back, value)


@pytest.mark.parametrize(
    "value",
    [object(), datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=1))), {"a": 1}, (1, 2), CelType("int")],
)
def test_a_constant_that_would_not_come_back_is_not_stored(value: Any) -> None:
    with pytest.raises(Unstorable):
        rulecache.encode_constants([value])


@pytest.mark.parametrize("encoded", [[], ["?", 1], ["s", 5], ["zz", 1], ["ts", "1000"], ["du", "1000"], "x"])
def test_a_malformed_constant_is_refused(encoded: Any) -> None:
    with pytest.raises((ValueError, KeyError, TypeError)):
        decode_constant(encoded)


# --- a whole run ----------------------------------------------------------------------------------


# Modules a warm run on the example has no use for: the CEL parser (lark, cel-python's celpy) and the
# process pool (multiprocessing, concurrent.futures: a run of this size evaluates in its own process).
# lark and celpy parse and run rules; PyYAML reads files the cache holds; assay.redact.files redacts whole
# files (reading evidence redacts its source with assay.redact.text alone); platformdirs finds the
# cache folder (the XDG rule is applied without it on Linux); the rest run jobs in parallel.
WARM_UNUSED = (
    "lark",
    "celpy",
    "multiprocessing",
    "concurrent.futures",
    "yaml",
    "assay.redact.files",
    "assay.redact.structure",
    "platformdirs",
)


def run_check(cache: Path, *extra: str, before: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """``assay [BEFORE] check --format json [EXTRA]`` in a fresh process, with ``cache`` as its rule cache.

    Its stderr ends with ``LARK``/``NOLARK``, ``JSONSCHEMA`` when that was imported, and ``IMPORTED``
    followed by those of :data:`WARM_UNUSED` that were."""
    code = (
        "import sys; from assay.cli import main; code = main(sys.argv[1:]); "
        "print('LARK' if 'lark' in sys.modules else 'NOLARK', file=sys.stderr); "
        "print('JSONSCHEMA' if 'jsonschema' in sys.modules else '', file=sys.stderr); "
        f"print('IMPORTED', *[m for m in {WARM_UNUSED!r} if m in sys.modules], file=sys.stderr); "
        "raise SystemExit(code)"
    )
    env = {**os.environ, "ASSAY_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT / "src")}
    env.pop("ASSAY_NO_CACHE", None)
    return subprocess.run(
        [sys.executable, "-c", code, *before, "check", "--format", "json", *extra],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_warm_run_reports_what_a_cold_run_does_without_lark(tmp_path: Path) -> None:
    cold = run_check(tmp_path / "cache")
    assert cold.returncode == 1, cold.stderr
    warm = run_check(tmp_path / "cache")
    assert warm.stdout == cold.stdout
    assert warm.returncode == cold.returncode
    assert "NOLARK" not in cold.stderr  # the cold run parsed
    assert "NOLARK" in warm.stderr
    assert "IMPORTED lark celpy" in cold.stderr  # the check below would see them
    assert "yaml" in cold.stderr.splitlines()[-1].split()  # the cold run parsed YAML
    assert warm.stderr.splitlines()[-1] == "IMPORTED"
    # The example's github.branch_protection has the wrong shape: jsonschema explained it once.
    assert "JSONSCHEMA" in cold.stderr
    assert "JSONSCHEMA" not in warm.stderr
    assert (tmp_path / "cache" / "bundle").is_file()
    # Every entry damaged, in its file and in the bundle: the run rebuilds them all and reports the same.
    for entry in [*(tmp_path / "cache").rglob("*.entry"), tmp_path / "cache" / "bundle"]:
        data = bytearray(entry.read_bytes())
        data[len(data) // 2] ^= 0x20
        entry.write_bytes(bytes(data))
    damaged = run_check(tmp_path / "cache")
    assert damaged.stdout == cold.stdout
    assert damaged.returncode == cold.returncode


def test_a_group_writable_cache_is_warned_about_and_not_used(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    folder.chmod(0o777)
    result = run_check(folder)
    assert result.returncode == 1
    assert "not using the cache directory" in result.stderr
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize(
    "where", ["after", "before"], ids=["assay-check---no-cache", "assay---no-cache-check"]
)
def test_no_cache_on_the_command_line_neither_reads_nor_writes_the_cache(tmp_path: Path, where: str) -> None:
    folder = tmp_path / "cache"
    cached = run_check(folder)
    entries = sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())
    assert entries  # the plain run filled it
    for entry in folder.rglob("*.entry"):  # a run that read the cache would rebuild these
        entry.unlink()
    (folder / "bundle").unlink()
    left = sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())
    uncached = (
        run_check(folder, "--no-cache") if where == "after" else run_check(folder, before=("--no-cache",))
    )
    assert (uncached.stdout, uncached.returncode) == (cached.stdout, cached.returncode)
    assert "NOLARK" not in uncached.stderr  # it parsed every rule
    assert sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file()) == left


def test_no_cache_leaves_a_library_callers_environment_as_it_was(monkeypatch: pytest.MonkeyPatch) -> None:
    from assay.commands import main

    monkeypatch.delenv("ASSAY_NO_CACHE", raising=False)
    assert main(["functions", "--no-cache"], stdout=io.StringIO(), stderr=io.StringIO()) == 0
    assert "ASSAY_NO_CACHE" not in os.environ
    monkeypatch.setenv("ASSAY_NO_CACHE", "0")
    assert main(["--no-cache", "functions"], stdout=io.StringIO(), stderr=io.StringIO()) == 0
    assert os.environ["ASSAY_NO_CACHE"] == "0"


def roots_of(backend: NativeBackend, expression: str) -> frozenset[str] | None:
    try:
        program = backend.compile(expression)
    except CelSyntaxError:
        return None
    return getattr(program, "roots", None)


@settings(max_examples=100, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(differential.expressions(), st.sampled_from(EXPRESSIONS)))
def test_the_roots_kept_with_a_program_are_those_its_source_reads(cache_dir: Path, expression: str) -> None:
    cold = roots_of(NativeBackend(persistent=True), expression)
    warm = roots_of(NativeBackend(persistent=True), expression)
    assert warm == cold
    stored = rulecache.load_compiled(
        json.dumps([rulecache.code_version(), NativeBackend()._material, expression])
    )
    if isinstance(stored, rulecache.Generated):
        assert "roots" in stored.__dict__  # read back, not searched for
        assert stored.roots == free_roots(stored.fast.source, stored.fast.constants)


@pytest.mark.parametrize("roots", [None, "aws", [1], ["not-read"]])
def test_roots_missing_or_malformed_in_a_signed_entry_are_found_in_the_source(
    cache_dir: Path, roots: Any
) -> None:
    expression = "aws.ec2.Volumes.size() > 0 && item.Size == 8"
    backend = NativeBackend(persistent=True)
    assert roots_of(backend, expression) == {"aws", "item"}
    material = json.dumps([rulecache.code_version(), backend._material, expression])
    store = default_cache()
    assert store is not None
    payload = store.get(rulecache.NATIVE, material)
    assert payload["roots"] == ["aws", "item"]
    if roots is None:
        del payload["roots"]  # an entry of the shape before roots were kept
    else:
        payload["roots"] = roots
    store.put(rulecache.NATIVE, material, payload)
    found = roots_of(NativeBackend(persistent=True), expression)
    assert found == ({"not-read"} if roots == ["not-read"] else {"aws", "item"})


def test_the_code_version_names_the_parser_packages_installed() -> None:
    from importlib import metadata

    words = rulecache.code_version().split()
    assert f"lark={metadata.version('lark')}" in words
    assert f"cel-python={metadata.version('cel-python')}" in words
    assert rulecache._installed_version("assay", "no-such-distribution") == "?"
