"""A requirement's parameters and parts: parameter insertions shown with values, selections or labels."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from assay.model import FrameworkFile, Requirement
from assay.requirement_text import (
    MAX_PART_DEPTH,
    RequirementParameter,
    RequirementPart,
    inserted_ids,
    parameter_text,
    part_lines,
    with_parameters,
)

FREQUENCY = RequirementParameter(id="ac-02_odp.10", label="frequency")
SET = RequirementParameter(id="ac-02_odp.06", label="time period", values=("24 hours", "8 hours"))
CHOICE = RequirementParameter(
    id="ac-07_odp.03",
    choices=("lock the account for {{ insert: param, ac-07_odp.04 }}", "notify an administrator"),
    how_many="one-or-more",
)
LOCK = RequirementParameter(id="ac-07_odp.04", label="time period")
KNOWN = {p.id: p for p in (FREQUENCY, SET, CHOICE, LOCK)}


def test_an_insertion_shows_the_values_else_the_selection_else_the_label() -> None:
    assert (
        with_parameters("Review {{ insert: param, ac-02_odp.10 }}.", KNOWN)
        == "Review [Assignment: frequency]."
    )
    assert with_parameters("within {{insert: param,ac-02_odp.06}}", KNOWN) == "within 24 hours, 8 hours"
    assert with_parameters("{{ insert: param, ac-07_odp.03 }}", KNOWN) == (
        "[Selection (one or more): lock the account for [Assignment: time period]; notify an administrator]"
    )
    # A parameter the requirement does not have is named by its id; other text stays, on one line.
    assert (
        with_parameters("by {{ insert: param, zz-1 }}\n  and\tmore", {}) == "by [Assignment: zz-1] and more"
    )
    assert parameter_text(RequirementParameter(id="p"), {}) == "[Assignment: p]"


def test_a_selection_naming_itself_ends_at_a_label() -> None:
    loop = RequirementParameter(id="x", label="loop", choices=("again {{ insert: param, x }}",))
    assert (
        parameter_text(loop, {"x": loop})
        == "[Selection (one): again [Selection (one): again [Assignment: loop]]]"
    )


def test_parts_become_lines_with_items_indented_under_their_parent() -> None:
    statement = RequirementPart(
        name="statement",
        parts=(
            RequirementPart(
                name="item", label="a.", prose="Review accounts {{ insert: param, ac-02_odp.10 }};"
            ),
            RequirementPart(
                name="item",
                label="b.",
                prose="Notify:",
                parts=(
                    RequirementPart(
                        name="item", label="1.", prose="within {{ insert: param, ac-02_odp.06 }}"
                    ),
                ),
            ),
        ),
    )
    guidance = RequirementPart(name="guidance", prose="Accounts\nmatter.")
    assert part_lines([statement, guidance], [FREQUENCY, SET]) == [
        (0, "a. Review accounts [Assignment: frequency];"),
        (0, "b. Notify:"),
        (1, "1. within 24 hours, 8 hours"),
        (0, "Guidance: Accounts matter."),
    ]
    assert inserted_ids([statement, guidance]) == ["ac-02_odp.10", "ac-02_odp.06"]


def test_parts_nested_beyond_the_limit_are_not_shown() -> None:
    part = RequirementPart(name="item", prose="deepest")
    for depth in range(MAX_PART_DEPTH + 5):
        part = RequirementPart(name="item", prose=f"level {depth}", parts=(part,))
    lines = part_lines([part], [])
    assert len(lines) == MAX_PART_DEPTH + 1
    assert max(depth for depth, _ in lines) == MAX_PART_DEPTH


def test_parameters_and_parts_are_optional_fields_of_a_framework_file() -> None:
    requirement = {
        "id": "ac-2",
        "title": "Account Management",
        "parameters": [{"id": "ac-02_odp.10", "label": "frequency", "how_many": "one"}],
        "parts": [{"name": "statement", "parts": [{"name": "item", "label": "a.", "prose": "Review."}]}],
    }
    framework = {"framework": {"key": "tiny", "name": "Tiny", "version": "1"}, "requirements": [requirement]}
    loaded = FrameworkFile.model_validate(framework).requirements[0]
    assert loaded.parameters == (RequirementParameter(id="ac-02_odp.10", label="frequency", how_many="one"),)
    assert loaded.parts[0].parts[0].label == "a."
    assert Requirement.model_validate({"id": "x", "title": "Plain"}).parts == ()
    schema = Requirement.model_json_schema()
    assert {"parameters", "parts"} <= set(schema["properties"])
    with pytest.raises(ValidationError, match="Unexpected keyword argument"):
        RequirementPart.model_validate({"name": "item", "prose": "x", "class": "hostile"})
    with pytest.raises(ValidationError):
        RequirementParameter.model_validate({"id": "has space"})


TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
IDS = st.sampled_from(["a", "b", "x-1_odp.01", "{{", "}}"])


@given(
    pieces=st.lists(st.one_of(TEXT, IDS.map(lambda i: "{{ insert: param, " + i + " }}")), max_size=8),
    values=st.dictionaries(IDS, st.lists(TEXT, max_size=2), max_size=3),
)
def test_with_parameters_always_gives_one_line_and_replaces_every_known_insertion(
    pieces: list[str], values: dict[str, list[str]]
) -> None:
    known = {
        ident: RequirementParameter(id=ident, values=tuple(v), label=f"L-{ident}")
        for ident, v in values.items()
        if ident not in ("{{", "}}")
    }
    prose = " ".join(pieces)
    shown = with_parameters(prose, known)
    assert "\n" not in shown
    assert shown == shown.strip()
    for ident, parameter in known.items():
        if "{{ insert: param, " + ident + " }}" in prose and not parameter.values:
            assert f"[Assignment: L-{ident}]" in shown
