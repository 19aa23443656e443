"""The registry of the extension libraries, and how each backend treats a rule that uses them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

import assay.cel
from assay.cel.functions import DEFAULT_FUNCTIONS, CelFunction, FunctionRegistry
from assay.cel.native import NativeBackend
from assay.cel.native.ext_support import Overloads, overloads
from assay.cel.native.extensions import (
    EXTENSION_MACROS,
    EXTENSION_NAMES,
    EXTENSIONS,
    LIBRARIES,
    extension_features,
)
from assay.cel.reference import ReferenceBackend
from assay.cel.syntax import NAMESPACES, parse
from assay.engine import Engine
from assay.errors import CelError, CelSyntaxError, ConfigError
from assay.evidence import InMemoryEvidence
from assay.lint import KNOWN_FUNCTIONS
from assay.model import ControlStatus


def test_every_extension_is_documented_in_a_known_library() -> None:
    for entry in [*EXTENSIONS.values(), *EXTENSION_MACROS]:
        assert entry.library in LIBRARIES, entry.name
        assert entry.signatures, entry.name
        assert entry.doc.endswith("."), entry.name
    assert {name.split(".")[0] for name in EXTENSION_NAMES if "." in name} <= NAMESPACES


def test_every_extension_name_is_known_to_lint() -> None:
    assert EXTENSION_NAMES <= KNOWN_FUNCTIONS
    assert {"charAt", "math.greatest", "cel.bind", "transformMap", "optional.of", "cidr"} <= EXTENSION_NAMES


def test_overloads_choose_by_cel_type_and_refuse_the_rest() -> None:
    pick = overloads(
        "f", (("int",), lambda x: "int"), (("uint",), lambda x: "uint"), (("dyn", "int"), lambda a, b: 2)
    )
    assert isinstance(pick, Overloads)
    assert pick(1) == "int"
    assert pick("x", 1) == 2
    with pytest.raises(CelError, match="no such overload: f on bool"):
        pick(True)  # a bool is not an int in CEL


@pytest.mark.parametrize(
    ("expression", "feature"),
    [
        ("'abc'.charAt(1)", "charAt()"),
        ("math.greatest(1, 2)", "math.greatest()"),
        ("x.?y", "the optional selection a.?b"),
        ("x[?0]", "the optional index a[?k]"),
        ("[?x]", "an optional entry [?x] or {?k: x}"),
        ("[1].all(i, v, v > i)", "the two-variable all()"),
        ("cel.bind(a, 1, a)", "cel.bind()"),
    ],
)
def test_the_reference_backend_refuses_extensions_by_name(expression: str, feature: str) -> None:
    assert feature in extension_features(parse(expression))
    with pytest.raises(CelSyntaxError, match="reference backend \\(cel-python\\) lacks") as caught:
        ReferenceBackend().compile(expression)
    assert feature in caught.value.message


def test_the_reference_backend_keeps_assays_own_functions_and_the_standard_macros() -> None:
    assert extension_features(parse("[1].all(v, v > 0) && split('a', ',') == ['a']"), DEFAULT_FUNCTIONS) == []
    assert assay.cel.compile("flatten([[1], [2]])", backend="reference").evaluate({}) == [1, 2]


def test_native_never_hands_an_extension_rule_to_the_reference_backend() -> None:
    backend = NativeBackend()
    # Message construction is not native: without extensions the rule falls back to cel-python...
    assert backend.compile("T{a: 1} == 1").__class__.__name__ == "FallbackProgram"
    # ...but cel-python cannot run optionals, so the rule is an error that says why.
    with pytest.raises(
        CelSyntaxError, match=r"uses the optional selection a\.\?b, hasValue\(\) .* only the native backend"
    ):
        backend.compile("T{a: 1}.?a.hasValue()")
    assert "T{a: 1}.?a.hasValue()" not in backend.fallbacks


def test_assays_split_trim_and_flatten_give_way_but_other_collisions_are_refused() -> None:
    NativeBackend(DEFAULT_FUNCTIONS.copy())  # the defaults' own split, trim and flatten: fine
    mine = FunctionRegistry([CelFunction("join", lambda xs: "", "join(list) -> string", "Mine.")])
    with pytest.raises(ConfigError, match="'join' would hide a CEL extension function"):
        NativeBackend(mine)
    other_split = FunctionRegistry([CelFunction("split", str.split, "split(string) -> list", "Mine.")])
    with pytest.raises(ConfigError, match="'split' would hide a CEL extension function"):
        NativeBackend(other_split)


CONTROLS = """
controls:
  - id: NET-A
    title: Bad CIDR
    claim: c
    description: d
    severity: low
    domain: network
    evidence:
      - name: net.rules
    rules:
      - id: cidr
        for_each: net.rules.Rules
        resource_id: item.Id
        assert: "!cidr('0.0.0.0/0').containsCIDR(item.Cidr)"
    remediation: r
  - id: NET-B
    title: Wrong argument types
    claim: c
    description: d
    severity: low
    domain: network
    evidence:
      - name: net.rules
    rules:
      - id: types
        assert: "'x'.charAt('1') == 'x'"
    remediation: r
  - id: NET-C
    title: Optional misuse
    claim: c
    description: d
    severity: low
    domain: network
    evidence:
      - name: net.rules
    rules:
      - id: optional
        assert: "net.rules.Rules.size().orValue(0) > 0"
    remediation: r
  - id: NET-D
    title: Format
    claim: c
    description: d
    severity: low
    domain: network
    evidence:
      - name: net.rules
    rules:
      - id: format
        assert: "'%s %s'.format([1]) != ''"
    remediation: r
  - id: NET-E
    title: Good
    claim: c
    description: d
    severity: low
    domain: network
    evidence:
      - name: net.rules
    rules:
      - id: good
        for_each: net.rules.Rules
        resource_id: item.Id
        assert: "cidr(item.Cidr).prefixLength() > 0 && item.?Note.orValue('') == ''"
    remediation: r
"""


def test_bad_extension_calls_are_errors_on_their_rule_and_the_other_controls_still_run(make_catalog) -> None:
    now = datetime(2026, 11, 25, tzinfo=UTC)
    evidence = InMemoryEvidence()
    rules = [{"Id": "r1", "Cidr": "10.0.0.0/8"}, {"Id": "r2", "Cidr": "10.0.0.999/8"}]
    evidence.add("net.rules", {"Rules": rules}, collected_at=now)
    run = Engine(make_catalog(CONTROLS)).evaluate(evidence, now=now)
    reasons = {c: run.result(c).reason or "" for c in ("NET-A", "NET-B", "NET-C", "NET-D")}
    assert all(run.result(c).status is ControlStatus.ERROR for c in reasons)
    assert "resource r2: invalid argument: not a network address in CIDR form" in reasons["NET-A"]
    assert "999" not in reasons["NET-A"]  # the evidence value is never quoted
    assert "no such overload: charAt on string, string" in reasons["NET-B"]
    assert "no such overload: orValue on int" in reasons["NET-C"]
    assert reasons["NET-D"].endswith("rule format: index out of range")
    good = run.result("NET-E")
    assert good.status is ControlStatus.ERROR  # r2's CIDR is invalid here too...
    assert "resource r2" in (good.reason or "")
    evidence.add("net.rules", {"Rules": [{"Id": "r1", "Cidr": "10.0.0.0/8"}]}, collected_at=now)
    assert (
        Engine(make_catalog(CONTROLS)).evaluate(evidence, now=now).result("NET-E").status
        is ControlStatus.PASS
    )


def test_an_overload_is_chosen_by_each_arguments_class_every_time() -> None:
    """One argument: the choice remembered per class never serves another class, nor a refused one."""
    from assay.cel.native.ext_support import LIST, STRING

    table = overloads("twice", ((STRING,), lambda s: s + s), ((LIST,), lambda xs: [*xs, *xs]))
    for _ in range(2):
        assert table("ab") == "abab"
        assert table([1]) == [1, 1]
        with pytest.raises(CelError, match="no such overload"):
            table(3)
    costed = overloads("twice", ((STRING,), lambda budget, s: (budget, s + s)), costed=True)
    assert costed("B", "ab") == ("B", "abab")
    assert costed("B", "ab") == ("B", "abab")
    with pytest.raises(CelError, match="no such overload"):
        costed("B", [1])
