"""``assay.lean_dataclasses``: dataclasses made without compiling, which behave as the stdlib's."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assay import lean_dataclasses
from assay.lean_dataclasses import build, frozen
from assay.records import Record, record

INITS_MODULE = Path(lean_dataclasses.__file__).with_name("_lean_inits.py")

# --- the generated module -------------------------------------------------------------------------------


def test_the_generated_inits_module_is_current_and_covers_every_class_of_assay() -> None:
    # In a fresh interpreter: every assay module imported, the text the generator would write now,
    # and the layouts that had to be compiled because the file lacked them.
    script = (
        "import json, sys\n"
        "from assay import lean_dataclasses as F\n"
        "text = F.inits_module_text(F.layouts_in_use())\n"
        "json.dump({'text': text, 'compiled': F.COMPILED}, sys.stdout)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    import json

    found = json.loads(done.stdout)
    stale = "src/assay/_lean_inits.py is stale: run `python -m assay.lean_dataclasses`"
    assert found["compiled"] == [], stale
    assert found["text"] == INITS_MODULE.read_text(encoding="utf-8"), stale


def test_a_layout_missing_from_the_module_is_compiled_with_the_same_source() -> None:
    layout = "zz_unlikely_first,@zz_unlikely_second=|post"
    assert layout not in lean_dataclasses._MAKERS
    before = len(lean_dataclasses.COMPILED)

    class Odd:
        zz_unlikely_first: int
        zz_unlikely_second: int = dataclasses.field(default=2, kw_only=True)

        def __post_init__(self) -> None:
            if self.zz_unlikely_first < 0:
                raise ValueError("negative")

    made: Any = frozen(Odd)
    assert lean_dataclasses.COMPILED[before:] == [layout]
    assert made(1).zz_unlikely_second == 2
    with pytest.raises(ValueError, match="negative"):
        made(-1)
    name, source = lean_dataclasses._init_source(layout)
    assert lean_dataclasses.inits_module_text([layout]).count(source) == 1
    assert name.startswith("_init_")


def test_a_field_named_like_the_generated_code_s_own_names_is_refused() -> None:
    class Clash:
        _dc_set: int

    with pytest.raises(TypeError, match="may not be named '_dc_set'"):
        frozen(Clash)


# --- the same behaviour as dataclasses(frozen=True), on random classes ------------------------------------

KINDS = ("required", "default", "factory", "hidden_default", "hidden_factory")
FieldSpec = tuple[str, str, bool, bool, bool, bool | None]  # kind, kw_only, repr, compare, hash


def _field(kind: str, *, kw_only: bool, shown: bool, compared: bool, hashed: bool | None) -> Any:
    options: dict[str, Any] = {"kw_only": kw_only, "repr": shown, "compare": compared, "hash": hashed}
    if kind in ("default", "hidden_default"):
        options["default"] = 7
    if kind in ("factory", "hidden_factory"):
        options["default_factory"] = tuple
    if kind.startswith("hidden"):
        options["init"] = False
    return dataclasses.field(**options)


def _class(specs: list[FieldSpec], *, post_init: bool) -> type[Any]:
    """A fresh undecorated class with ``specs`` as fields (called twice: one per decorator)."""
    namespace: dict[str, Any] = {"__module__": __name__, "__annotations__": {}}
    for index, (kind, kw_only, shown, compared, hashed) in enumerate(specs):
        name = f"f{index}"
        namespace["__annotations__"][name] = "int"
        namespace[name] = _field(kind, kw_only=kw_only, shown=shown, compared=compared, hashed=hashed)
    if post_init:

        def __post_init__(self: Any) -> None:
            if any(getattr(self, name) == -1 for name in self.__dataclass_fields__):
                raise ValueError("minus one refused")

        namespace["__post_init__"] = __post_init__
    return type("Sample", (), namespace)


field_specs = st.lists(
    st.tuples(
        st.sampled_from(KINDS),
        st.booleans(),
        st.booleans(),
        st.booleans(),
        st.sampled_from([None, True, False]),
    ),
    max_size=6,
)


def _made(decorate: Any, specs: list[FieldSpec], post_init: bool) -> tuple[Any, str]:
    try:
        return decorate(_class(specs, post_init=post_init)), ""
    except TypeError as exc:
        return None, str(exc)


def _outcome(call: Any) -> tuple[str, Any]:
    try:
        return "value", call()
    except Exception as exc:  # compared by type and message
        return type(exc).__name__, str(exc)


@settings(max_examples=150, deadline=None)
@given(
    specs=field_specs,
    flags=st.tuples(st.booleans(), st.booleans(), st.booleans()),
    values=st.lists(st.integers(-1, 3), min_size=6, max_size=6),
    given_mask=st.lists(st.booleans(), min_size=6, max_size=6),
)
def test_a_class_behaves_as_the_stdlib_dataclass(
    specs: list[FieldSpec], flags: tuple[bool, bool, bool], values: list[int], given_mask: list[bool]
) -> None:
    post_init, slotted, frozen_class = flags

    def stdlib(cls: Any) -> Any:
        return dataclasses.dataclass(frozen=frozen_class, kw_only=slotted, slots=slotted)(cls)

    def ours(cls: Any) -> Any:
        return build(cls, kw_only=slotted, slots=slotted, frozen=frozen_class)

    expected, expected_error = _made(stdlib, specs, post_init)
    got, got_error = _made(ours, specs, post_init)
    assert got_error == expected_error
    if expected is None:
        return
    assert str(inspect.signature(got)) == str(inspect.signature(expected))
    assert got.__match_args__ == expected.__match_args__
    assert got.__doc__ == expected.__doc__
    assert [f.name for f in dataclasses.fields(got)] == [f.name for f in dataclasses.fields(expected)]
    parameters = [name for name, p in inspect.signature(expected).parameters.items() if p.kind]
    keywords = {name: values[i] for i, name in enumerate(parameters) if given_mask[i]}
    built = {which: _outcome(lambda c=cls: c(**keywords)) for which, cls in (("got", got), ("exp", expected))}
    assert built["got"][0] == built["exp"][0]
    if built["got"][0] != "value":
        assert built["got"][1] == built["exp"][1]
        return
    mine, theirs = built["got"][1], built["exp"][1]
    twin = got(**keywords)
    assert repr(mine) == repr(theirs)
    assert (mine == twin) == (theirs == expected(**keywords))
    assert _outcome(lambda: hash(mine)) == _outcome(lambda: hash(theirs))
    assert dataclasses.astuple(mine) == dataclasses.astuple(theirs)
    # A field's name: for another, the stdlib's slotted class raises TypeError (its super() names the
    # class made before the slots, the cause of CPython gh-90562).
    if specs:
        assert _outcome(lambda: setattr(mine, "f0", 1)) == _outcome(lambda: setattr(theirs, "f0", 1))
        assert repr(mine) == repr(theirs)
        assert _outcome(lambda: delattr(mine, "f0")) == _outcome(lambda: delattr(theirs, "f0"))
    assert got.__dataclass_params__.frozen is frozen_class
    assert repr(_outcome(lambda: dataclasses.replace(mine))) == repr(
        _outcome(lambda: dataclasses.replace(theirs))
    )


# --- what the random classes cannot show ----------------------------------------------------------------


@frozen
class Point:
    x: int
    y: int = 0


@record
class Labelled(Record):
    label: str
    points: tuple[Point, ...] = ()


def test_instances_pickle_and_copy_as_equal_frozen_values() -> None:
    value = Labelled(label="a", points=(Point(1), Point(2, 3)))
    pickled = pickle.loads(pickle.dumps(value))  # noqa: S301 (a value this test made)
    for again in (pickled, copy.copy(value), copy.deepcopy(value)):
        assert again == value
        assert hash(again) == hash(value)
        with pytest.raises(dataclasses.FrozenInstanceError):
            again.label = "b"  # type: ignore[misc]


def test_an_equal_value_of_another_class_is_not_equal() -> None:
    @frozen
    class Other:
        x: int
        y: int = 0

    assert Point(1) != Other(1)
    assert Point(1) == Point(1, 0)


def test_methods_a_class_writes_itself_are_kept() -> None:
    @frozen
    class Own:
        x: int

        def __repr__(self) -> str:
            return "own"

        def __eq__(self, other: object) -> bool:
            return True

        def __hash__(self) -> int:
            return 5

    assert repr(Own(1)) == "own"
    assert Own(1) == Own(2)
    assert hash(Own(1)) == 5

    with pytest.raises(TypeError, match="__setattr__"):

        @frozen
        class Writes:
            x: int

            def __setattr__(self, name: str, value: object) -> None:
                raise AttributeError(name)


def test_a_subclass_adds_fields_and_stays_frozen_like_the_stdlib_s() -> None:
    @frozen
    class Child(Point):
        z: int = 5

    child = Child(1, 2, 3)
    assert (
        repr(child)
        == "test_a_subclass_adds_fields_and_stays_frozen_like_the_stdlib_s.<locals>.Child(x=1, y=2, z=3)"
    )
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'x'"):
        child.x = 2  # type: ignore[misc]

    class Plain(Point):  # not a dataclass: may set attributes that are not fields, as with the stdlib
        pass

    plain = Plain(1)
    plain.extra = 1  # type: ignore[attr-defined]
    with pytest.raises(dataclasses.FrozenInstanceError):
        plain.x = 3  # type: ignore[misc]


def test_a_record_still_validates_with_pydantic() -> None:
    made = Labelled.model_validate({"label": "a", "points": [{"x": 1}]})
    assert made == Labelled(label="a", points=(Point(1),))
    assert made.model_dump() == {"label": "a", "points": ({"x": 1, "y": 0},)}


def test_stdlib_frozen_dataclasses_and_ours_subclass_each_other() -> None:
    @dataclasses.dataclass(frozen=True)
    class StdChild(Point):
        z: int = 5

    @frozen
    class OurGrandchild(StdChild):
        w: int = 6

    made = OurGrandchild(1, 2, 3, 4)
    assert dataclasses.astuple(made) == (1, 2, 3, 4)
    assert OurGrandchild.__dataclass_params__.frozen  # type: ignore[attr-defined]
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.w = 1  # type: ignore[misc]
    with pytest.raises(TypeError, match="cannot inherit non-frozen dataclass from a frozen one"):

        @dataclasses.dataclass
        class Thawed(Point):
            z: int = 5


def test_a_mutable_class_sets_its_fields_through_its_own_setattr_and_is_unhashable() -> None:
    from assay.lean_dataclasses import dataclass

    @dataclass
    class Counter:
        seen: list[str] = dataclasses.field(default_factory=list)
        total: int = 0

        def __setattr__(self, name: str, value: object) -> None:
            object.__setattr__(self, "last_set", name)
            object.__setattr__(self, name, value)

    counter = Counter()
    assert counter.last_set == "total"  # type: ignore[attr-defined]
    counter.total = 3
    assert counter == Counter(total=3)
    assert Counter().seen is not Counter().seen
    with pytest.raises(TypeError, match="unhashable"):
        hash(counter)


def test_src_makes_its_dataclasses_with_lean_dataclasses() -> None:
    # The standard library's decorator compiles its methods at import; two classes need what
    # lean_dataclasses does not do (an ordered one, and records.Spec, which the records import).
    root = Path(lean_dataclasses.__file__).parent
    stdlib_users = sorted(
        path.relative_to(root).as_posix()
        for path in root.rglob("*.py")
        if path.name != "lean_dataclasses.py"
        and re.search(
            r"^from dataclasses import .*\bdataclass\b|@dataclasses\.dataclass", path.read_text(), re.M
        )
    )
    assert stdlib_users == ["errors.py", "records.py"]
