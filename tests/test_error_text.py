"""What an evaluation error may say: its kind and the rule's own names, never a value from evidence.

Every error here is raised by a real backend evaluating a real expression over evidence that holds a
canary secret; the canary must never reach the description.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from assay.cel import make_backend
from assay.error_text import GENERIC, KINDS, RuleError, describe, schema_problem
from assay.errors import CelError

CANARY = "CANARY-7f3a9e"
EVIDENCE: dict[str, Any] = {
    "owner": CANARY,
    "owners": [CANARY],
    "by_owner": {CANARY: 1},
    "count": 1,
    "zero": 0,
    "largest": 2**63 - 1,
    "when": "2026-01-01T00:00:00Z",
}
BACKENDS = ("native", "reference")


def evaluation_error(backend_name: str, expression: str) -> CelError:
    """The CEL error a backend raises evaluating ``expression`` over the canary evidence."""
    backend = make_backend(backend_name)
    variables = {"app": backend.record({k: backend.native(v) for k, v in EVIDENCE.items()})}
    program = backend.compile(expression)
    with pytest.raises(CelError) as raised:
        program.run(variables)
    return raised.value


# What the issue names: a typo, an undeclared variable, a missing key, a failing overload; the same
# words on both backends.
EXACT = [
    # a typo in a function name: cel-python's message holds a repr of every variable
    ("sizee(app.owners) > 0", "unknown function: 'sizee'"),
    ("app.owner.sizee() > 0", "unknown function: 'sizee'"),
    ("nope.x == 1", "undeclared reference: 'nope'"),
    ("app.missing == 1", "no such key: 'missing'"),
    ("app.by_owner[app.owner + 'x'] == 1", "no such key"),
    ("app.owner + 1 == 2", "no such overload: + on string, int"),
    ("app.owners[app.owner] == 1", "no such overload: [] on list, string"),
    ("app.count / app.zero == 1", "division by zero"),
    ("{app.owner: 1, app.owner: 2}.size() > 0", "duplicate map key"),
    ("parse_json(app.owner) == 1", "function failed: parse_json()"),
]
# Errors cel-python words more vaguely than the native backend: the kinds each may give.
KINDS_OF = [
    ("app.largest + 1 > 0", {"overflow", "overflow or invalid value"}),
    ("int(app.owner) > 0", {"type conversion", "overflow or invalid value"}),
    (
        "timestamp(app.owner) < timestamp('2026-01-01T00:00:00Z')",
        {"type conversion", "overflow or invalid value"},
    ),
    ("duration(app.owner) > duration('1s')", {"type conversion", "overflow or invalid value"}),
    ("app.owners[7] == 'x'", {"index out of range", "invalid argument"}),
    ("app.owner.foo == 1", {"no such field"}),
    ("timestamp(app.when).getHours(app.owner) > 0", {"invalid argument", "overflow or invalid value"}),
]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("expression", "expected"), EXACT)
def test_a_backend_error_becomes_its_kind_without_the_canary(
    backend: str, expression: str, expected: str
) -> None:
    described = describe(evaluation_error(backend, expression), expression)
    assert str(described) == expected
    assert CANARY not in str(described)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("expression", "kinds"), KINDS_OF)
def test_a_vaguer_error_is_still_a_kind_of_the_vocabulary(
    backend: str, expression: str, kinds: set[str]
) -> None:
    described = describe(evaluation_error(backend, expression), expression)
    assert described.kind in kinds
    assert CANARY not in str(described)


def test_an_invalid_pattern_from_evidence_is_not_quoted() -> None:
    error = evaluation_error("native", "app.owner.matches(app.owner + '[')")
    assert CANARY in error.message
    assert str(describe(error, "app.owner.matches(app.owner + '[')")) == "invalid regular expression"


def test_a_name_the_rule_wrote_is_placed_in_the_expression() -> None:
    expression = "app.owners.size() > 0 &&\n  sizee(app.owners) > 0"
    described = describe(evaluation_error("native", expression), expression)
    assert (described.line, described.column) == (2, 3)
    key = describe(
        evaluation_error("reference", "app.count > 0 && app.missing"), "app.count > 0 && app.missing"
    )
    assert (str(key), key.line, key.column) == ("no such key: 'missing'", 1, 22)


def test_a_key_is_named_only_when_the_rule_wrote_it() -> None:
    # the evidence's value equals no name of the expression: the key is left out
    assert describe(CelError(f"no such key: '{CANARY}'"), "app.by_owner[app.owner]") == RuleError(
        "no such key"
    )
    # a string literal of the rule is the author's text
    assert (
        str(describe(CelError("no such key: 'region'"), "app['region'] == 'eu'")) == "no such key: 'region'"
    )


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            CelError("evaluation cost limit exceeded: the rule iterates over too many elements"),
            "the step budget (the cel_max_steps setting)",
        ),
        (
            type("MemoryBudgetExceeded", (CelError,), {})("the rule built 70 MB of values"),
            "the memory budget (the cel_max_memory setting)",
        ),
        (
            type("TimeBudgetExceeded", (CelError,), {})("ran for more than 1 second"),
            "the time budget (the cel_max_ms setting): the result depended on time, not on the data",
        ),
    ],
)
def test_a_budget_error_names_the_budget(error: CelError, expected: str) -> None:
    assert describe(error, "app.owners.all(x, x != '')") == RuleError("budget exceeded", expected)


def test_anything_else_is_the_generic_kind() -> None:
    for message in (f"cel-python could not evaluate this: RuntimeError: {CANARY}", CANARY, f"{CANARY}: boom"):
        assert describe(CelError(message), "app.owner == 'x'") == RuleError(GENERIC)


SHAPES = [
    "undeclared reference to '{s}' (in activation {s})",
    "no such key: '{s}'",
    "no such member in mapping: '{s}'",
    "no such overload: {s} on {s}",
    "no operator {s} for {s} and {s}",
    "found no matching overload for {s} applied to '({s})'",
    "cannot convert '{s}' to int: {s}",
    "cannot select field '{s}' from {s}",
    "{s} with type: '<class 'celpy.celtypes.StringType'>' does not support field selection",
    "duplicate map key '{s}'",
    "Duplicate key {s}",
    "index {s} out of range for a list of {s}",
    "invalid regular expression '{s}': {s}",
    "KeyError: '{s}'",
    "parse_json: {s}",
    "{s}: {s}",
    "{s}",
]


@given(
    shape=st.sampled_from(SHAPES),
    secret=st.text(min_size=1, max_size=30).map(lambda tail: f"{CANARY}{tail}"),
    noise=st.text(max_size=20),
)
def test_no_message_shape_lets_a_value_through(shape: str, secret: str, noise: str) -> None:
    message = shape.replace("{s}", secret + noise)
    described = describe(
        CelError(message), "parse_json(app.owner).x == app.by_owner['k'] && size(app.owners) > 0"
    )
    assert CANARY not in str(described)
    assert described.kind in KINDS


@given(message=st.text(max_size=200), expression=st.sampled_from(["x == 1", "f(a.b)", "a['k'].c > 2"]))
def test_any_message_gives_a_kind_of_the_vocabulary(message: str, expression: str) -> None:
    described = describe(CelError(message), expression)
    assert described.kind in KINDS
    names = {"x", "f", "a", "b", "k", "c"}
    for part in str(described).split("'")[1::2]:  # every quoted name is one the expression wrote
        assert part in names


# --- evidence that does not fit its schema ---------------------------------------------------------

SCHEMA = {
    "type": "object",
    "required": ["Users"],
    "properties": {
        "Users": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["Role"],
                "properties": {
                    "Role": {"enum": ["admin", "reader"]},
                    "Age": {"type": "integer", "minimum": 0},
                },
                "additionalProperties": False,
            },
        }
    },
}


def problem(data: Any) -> str:
    validator = jsonschema.Draft202012Validator(SCHEMA)
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    assert error is not None
    assert CANARY in error.message or CANARY in error.json_path  # what jsonschema itself would show
    return schema_problem(error, SCHEMA)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {"Users": {CANARY: {"Role": CANARY}}},
            "$.Users.*.Role: is not one of the values the schema allows ('admin', 'reader'), found string",
        ),
        (
            {"Users": {CANARY: {"Role": "admin", "Age": CANARY}}},
            "$.Users.*.Age: must be of type integer, found string",
        ),
        (
            {"Users": {CANARY: {"Role": "admin", CANARY: 1}}},
            "$.Users.*: has a property the schema does not allow",
        ),
        ({"Users": {CANARY: {"Age": 3}}}, "$.Users.*: is missing the required property 'Role'"),
        ({"Users": {CANARY: {"Role": "admin", "Age": -1}}}, "$.Users.*.Age: fails minimum 0, found integer"),
    ],
)
def test_a_schema_problem_names_the_schema_never_the_evidence(data: Any, expected: str) -> None:
    assert problem(data) == expected


def test_a_schema_problem_is_capped_and_keeps_what_was_expected_and_found() -> None:
    # 80 nested levels with names the schema declares: the path alone would be over 1,000 characters.
    schema: dict[str, Any] = {"type": "integer"}
    data: Any = "x" * 5000
    for level in range(80):
        schema = {"type": "object", "properties": {f"level_{level:02d}": schema}}
        data = {f"level_{level:02d}": data}
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(data))
    text = schema_problem(error, schema)
    assert len(text) <= 200
    assert text.startswith("$…")
    assert text.endswith(".level_00: must be of type integer, found string")
    assert "xxx" not in text


def test_an_error_is_explained_from_the_cached_analysis_without_a_parse(cache_dir: Path) -> None:
    """A later process explains the same error with the names from the rule cache: lark is not imported,
    and the explanation is the one the process that parsed gave."""
    expression = "app['region'] == 'eu' && app.owner.size() > 0"
    code = (
        "import sys\n"
        "from assay.errors import CelError\n"
        "from assay.error_text import describe\n"
        f"described = describe(CelError(\"no such key: 'region'\"), {expression!r})\n"
        "print(str(described), described.line, described.column, 'lark' in sys.modules)\n"
    )
    env = {**os.environ, "ASSAY_CACHE_DIR": str(cache_dir)}
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        ).stdout
        for _ in range(2)
    ]
    assert runs == ["no such key: 'region' 1 5 True\n", "no such key: 'region' 1 5 False\n"]
