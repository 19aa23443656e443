"""Records: plain frozen dataclasses, validated by pydantic only when asked, carried through the cache."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from assay.records import JsonValue, Record, Spec, from_data, record, to_data
from assay.statuses import Severity


def _positive(value: int) -> int:
    if value <= 0:
        raise ValueError("must be positive")
    return value


@record
class Part(Record):
    """A part."""

    name: Annotated[str, Spec(pattern=r"^[a-z]+$", description="Lower-case letters.")]
    weight: Annotated[int, Spec(ge=1, le=10)] = 1


@record
class Whole(Record):
    """A whole."""

    id: Annotated[str, Spec(min_length=1, strip_whitespace=True)]
    assert_: Annotated[str, Spec(description="The check.")]
    parts: Annotated[tuple[Part, ...], Spec(min_length=1)]
    kind: Literal["a", "b"] = "a"
    count: Annotated[int, Spec(after=_positive)] = 1
    extra: dict[str, JsonValue] = dataclasses.field(default_factory=dict)
    when: date | None = None
    at: datetime | None = None
    span: timedelta | None = None
    severity: Severity | None = None

    def __post_init__(self) -> None:
        if len({p.name for p in self.parts}) != len(self.parts):
            raise ValueError("duplicate part name")


_GOOD: dict[str, Any] = {
    "id": " W-1 ",
    "assert": "true",
    "parts": [{"name": "a"}, {"name": "b", "weight": 3}],
}


def test_defining_and_building_records_needs_no_pydantic() -> None:
    code = (
        "import sys\n"
        "from assay.records import Record, record, Spec, to_data, from_data\n"
        "from typing import Annotated\n"
        "@record\n"
        "class R(Record):\n"
        "    x: Annotated[int, Spec(ge=1)]\n"
        "r = from_data(to_data(R(x=2)))\n"
        "assert r == R(x=2)\n"
        "print('pydantic' in sys.modules, 'pydantic_core' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_validation_applies_every_spec() -> None:
    whole = Whole.model_validate(_GOOD)
    assert whole.id == "W-1"  # stripped
    assert whole.assert_ == "true"
    assert whole.parts == (Part(name="a"), Part(name="b", weight=3))
    with pytest.raises(ValidationError) as caught:
        Whole.model_validate(
            {
                "id": "  ",
                "assert": 1,
                "parts": [{"name": "A", "weight": 11, "zz": 1}],
                "kind": "c",
                "count": 0,
            }
        )
    problems = {(tuple(e["loc"]), e["type"]) for e in caught.value.errors()}
    assert problems == {
        (("id",), "string_too_short"),
        (("assert",), "string_type"),
        (("parts", 0, "name"), "string_pattern_mismatch"),
        (("parts", 0, "weight"), "less_than_equal"),
        (("parts", 0, "zz"), "unexpected_keyword_argument"),
        (("parts",), "too_short"),  # as pydantic's own models: the bad item is not counted
        (("kind",), "literal_error"),
        (("count",), "value_error"),
    }


def test_post_init_invariants_are_validation_errors() -> None:
    with pytest.raises(ValidationError, match="duplicate part name"):
        Whole.model_validate({**_GOOD, "parts": [{"name": "a"}, {"name": "a"}]})
    with pytest.raises(ValidationError) as caught:
        Whole.model_validate({**_GOOD, "parts": []})
    assert [e["type"] for e in caught.value.errors()] == ["too_short"]


def test_the_python_name_of_a_keyword_field_is_refused_in_files() -> None:
    with pytest.raises(ValidationError) as caught:
        Whole.model_validate({"id": "x", "assert_": "true", "parts": [{"name": "a"}]})
    assert {e["type"] for e in caught.value.errors()} == {"missing", "unexpected_keyword_argument"}


def test_records_are_frozen_and_compare_by_value() -> None:
    whole = Whole.model_validate(_GOOD)
    with pytest.raises(dataclasses.FrozenInstanceError):
        whole.id = "other"  # type: ignore[misc]
    assert whole == Whole.model_validate(_GOOD)
    assert whole.model_copy(update={"kind": "b"}).kind == "b"
    assert whole.kind == "a"


def test_dump_and_schema_use_the_file_names_and_the_descriptions() -> None:
    whole = Whole.model_validate(_GOOD)
    dumped = whole.model_dump(by_alias=True, exclude_none=True, mode="json")
    assert dumped["assert"] == "true"
    assert dumped["parts"] == [{"name": "a", "weight": 1}, {"name": "b", "weight": 3}]
    assert '"assert":"true"' in whole.model_dump_json(by_alias=True)
    schema = Whole.model_json_schema()
    assert schema["additionalProperties"] is False
    assert schema["properties"]["assert"]["description"] == "The check."
    assert schema["required"] == ["id", "assert", "parts"]
    part = schema["$defs"]["Part"]
    assert part["properties"]["name"] == {
        "description": "Lower-case letters.",
        "pattern": "^[a-z]+$",
        "title": "Name",
        "type": "string",
    }
    assert part["properties"]["weight"]["maximum"] == 10


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=10,
)


@given(
    extra=st.dictionaries(st.text(max_size=4), _json, max_size=3),
    when=st.none() | st.dates(),
    at=st.none() | st.datetimes(timezones=st.just(UTC)) | st.datetimes(),
    span=st.none() | st.timedeltas(),
    severity=st.none() | st.sampled_from(list(Severity)),
)
def test_the_cache_form_gives_back_an_equal_record(
    extra: dict[str, Any],
    when: date | None,
    at: datetime | None,
    span: timedelta | None,
    severity: Severity | None,
) -> None:
    whole = Whole(
        id="W",
        assert_="x",
        parts=(Part(name="a"),),
        extra=extra,
        when=when,
        at=at,
        span=span,
        severity=severity,
    )
    again = from_data(json.loads(json.dumps(to_data(whole))))
    assert again == whole
    assert type(again.parts) is tuple
    assert again.severity is severity


@pytest.mark.parametrize(
    "data",
    [
        {"$r": "os:system", "f": {}},
        {"$r": "assay.records:Spec", "f": {}},
        {"$r": "assay.nothing_here:X", "f": {}},
        {"$e": "builtins:int", "v": 1},
        {"$x": 1},
        {"$t": [1], "other": 2},
    ],
)
def test_the_cache_form_refuses_what_it_did_not_write(data: dict[str, Any]) -> None:
    with pytest.raises((ValueError, ModuleNotFoundError)):
        from_data(data)


def test_invariants_hold_when_rebuilt_from_the_cache() -> None:
    data = to_data(Whole(id="W", assert_="x", parts=(Part(name="a"),)))
    data["f"]["parts"] = {"$t": [data["f"]["parts"]["$t"][0]] * 2}
    with pytest.raises(ValueError, match="duplicate part name"):
        from_data(data)
