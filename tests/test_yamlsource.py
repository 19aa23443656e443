from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assay.errors import LoadError
from assay.yamlsource import Limits, Position, dump_yaml, load_yaml_file, parse_yaml


def error_of(source: str | bytes, limits: Limits | None = None) -> str:
    with pytest.raises(LoadError) as caught:
        parse_yaml(source, "f.yaml", limits=limits or Limits())
    return str(caught.value)


def test_yaml_1_2_core_scalars() -> None:
    doc = parse_yaml(
        "a: [no, yes, on, 0o17, 017, 0x1f, 1e3, .inf, ~, null, 2026-01-01, '7', true]\n", "f.yaml"
    )
    assert doc.data["a"][:8] == ["no", "yes", "on", 15, 17, 31, 1000.0, math.inf]
    assert doc.data["a"][8:] == [None, None, "2026-01-01", "7", True]


def test_positions_of_keys_and_values() -> None:
    doc = parse_yaml("top:\n  - id: X-1\n    list: [a, b]\n", "f.yaml")
    assert doc.values[("top", 0, "id")] == Position(2, 9)
    assert doc.keys[("top", 0, "list")] == Position(3, 5)
    assert doc.values[("top", 0, "list", 1)] == Position(3, 15)
    assert doc.position(("top", 0, "missing")) == Position(2, 5)


def test_duplicate_key_names_both_places() -> None:
    assert (
        error_of("a: 1\nb: 2\na: 3\n") == "f.yaml:3:1: error: duplicate key 'a' (first at line 1, column 1)"
    )


def test_python_tags_are_refused_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"!!python/object/apply:os.system ['touch {marker}']\n"
    assert "tag !!python/object/apply:os.system is not allowed" in error_of(text)
    assert not marker.exists()


@pytest.mark.parametrize("tag", ["!!python/name:os.system", "!custom x", "!!binary aGk=", "!!set {a}"])
def test_other_tags_are_refused(tag: str) -> None:
    assert "is not allowed" in error_of(f"a: {tag}\n")


def test_billion_laughs_is_refused_quickly() -> None:
    text = 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i in range(1, 10):
        text += f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]\n"
    assert "expands to more than 1,000,000 nodes" in error_of(text)


def test_aliases_within_budget_are_fine() -> None:
    doc = parse_yaml("a: &x {k: [1, 2]}\nb: *x\n", "f.yaml")
    assert doc.data["b"] == {"k": [1, 2]}


def test_invalid_utf8_names_line_and_column() -> None:
    assert (
        error_of(b"a: ok\nb: caf\xe9\n") == "f.yaml:2:7: error: not valid UTF-8: byte 0xe9 cannot be decoded"
    )


def test_deep_nesting_is_refused() -> None:
    assert "nesting is deeper than the limit of 64 levels" in error_of("a: " + "[" * 100 + "]" * 100)
    assert "nesting" in error_of("[" * 10_000)


def test_file_size_cap_is_checked_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(LoadError) as caught:
        load_yaml_file(big, shown="big.yaml")
    assert str(caught.value) == "big.yaml:1:1: error: file is 52,428,800 bytes; the limit is 8,388,608 bytes"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<<: {a: 1}\n", "merge keys ('<<') are not supported"),
        ("? [a]\n: 1\n", "a mapping key must be a plain value"),
        ("--- 1\n--- 2\n", "more than one YAML document"),
        ("a: *nope\n", "alias *nope refers to an unknown anchor"),
        ("a: !!int x\n", "'x' is not a valid !!int"),
    ],
)
def test_structural_errors(text: str, message: str) -> None:
    assert message in error_of(text)


def test_literal_block_offsets_map_to_file_positions() -> None:
    doc = parse_yaml("rule:\n  assert: |\n    first &&\n      second\n", "f.yaml")
    assert doc.locate_in_scalar(("rule", "assert"), 2, 3) == Position(4, 7)
    plain = parse_yaml("rule: {assert: 'a && b'}\n", "f.yaml")
    assert plain.locate_in_scalar(("rule", "assert"), 1, 6) == Position(1, 22)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63)
    | st.floats(allow_nan=False)
    | st.text(st.characters(exclude_categories=("Cs",))),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.text(st.characters(exclude_categories=("Cs",)), max_size=8), children, max_size=4
        )
    ),
    max_leaves=20,
)


@given(json_values)
def test_dump_then_parse_round_trips(value: object) -> None:
    assert parse_yaml(dump_yaml({"v": value}), "f.yaml").data == {"v": value}


@pytest.mark.parametrize(
    "text", ["n: {digits}", "- !!int {digits}", "{{{digits}: x}}"], ids=["value", "tagged", "key"]
)
def test_an_integer_longer_than_python_converts_is_an_error_at_its_place(text: str) -> None:
    # Python refuses to convert a decimal integer of more than 4,300 digits (a denial-of-service
    # guard): that is a diagnostic at the scalar, never a ValueError out of the reader.
    source = "# a hostile file\n" + text.format(digits="9" * 5_000)
    with pytest.raises(LoadError) as caught:
        parse_yaml(source, "big.yaml")
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.path, diagnostic.line) == ("big.yaml", 2)
    assert diagnostic.message == "a number of 5,000 characters, longer than assay reads"


def test_a_string_of_many_digits_is_written_quoted_and_reads_back_as_a_string() -> None:
    digits = "7" * 5_000
    assert parse_yaml(dump_yaml({"id": digits}), "out.yaml").data == {"id": digits}
