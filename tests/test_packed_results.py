"""A run's results packed to cross a process boundary come back equal, finding for finding."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from assay.model import ControlStatus, Severity
from assay.packed_results import PACK_FROM, pack, unpack
from assay.results import ControlResult, Finding, RunResult, SourceLocation, checked_finding

NOW = datetime(2026, 11, 25, tzinfo=UTC)


class _Noted(Finding):
    """A finding of another class: it crosses as it pickles, never as columns."""

    __slots__ = ()


texts = st.text(max_size=8)  # empty, unicode, lone surrogates
locations = st.none() | st.builds(
    SourceLocation,
    path=texts,
    line=st.integers(1, 9),
    column=st.integers(1, 9),
    end_column=st.none() | st.integers(1, 9),
)
findings = st.builds(
    checked_finding,
    st.sampled_from(["rule-a", "rule-b"]),
    st.none() | texts,
    texts,
    st.none() | texts,
    locations,
)


def _result(index: int, found: list[Finding], noted: bool) -> ControlResult:
    if noted and found:
        f = found[0]
        found = [_Noted(rule=f.rule, resource=f.resource, message=f.message), *found[1:]]
    return ControlResult(
        control=f"C-{index}",
        title="a control",
        severity=Severity.HIGH,
        domain="network",
        status=ControlStatus.FAIL if found else ControlStatus.PASS,
        findings=tuple(found),
    )


# Some results of many findings (one finding repeated, or a few mixed), some of few or none.
many = st.builds(lambda f, n: [f] * n, findings, st.integers(PACK_FROM - 1, PACK_FROM + 40))
results = st.lists(
    st.tuples(many | st.lists(findings, max_size=PACK_FROM + 3), st.booleans()), max_size=5
).map(lambda made: tuple(_result(i, list(found), noted) for i, (found, noted) in enumerate(made)))


@settings(max_examples=60)
@given(results=results)
def test_a_packed_run_pickled_and_unpacked_is_the_run(results: tuple[ControlResult, ...]) -> None:
    run = RunResult(now=NOW, backend="native", results=results)
    packed = pack(run)
    back = unpack(pickle.loads(pickle.dumps(packed, protocol=pickle.HIGHEST_PROTOCOL)))  # noqa: S301 - its own bytes
    assert back == run
    assert [list(map(type, r.findings)) for r in back.results] == [
        list(map(type, r.findings)) for r in results
    ]
    for index, result in enumerate(results):
        exact = all(type(f) is Finding for f in result.findings)
        columns = len(result.findings) >= PACK_FROM and exact
        assert (index in packed.columns) is columns
        assert packed.run.results[index].findings == (() if columns else result.findings)


def test_a_result_of_many_findings_crosses_as_five_columns_not_as_objects() -> None:
    found = [checked_finding("r", f"i-{n:05}", f"instance i-{n:05} fails") for n in range(5000)]
    run = RunResult(
        now=NOW, backend="native", results=(_result(0, found, False), _result(1, found[:3], False))
    )
    packed = pack(run)
    assert packed.run.results[0].findings == ()  # the objects stay in the worker
    assert packed.run.results[1].findings == tuple(found[:3])  # a few cross as they are
    rules, resources, messages, waived, located = packed.columns[0]
    assert messages[0] == "instance i-00000 fails"
    assert rules == ["r"] * 5000
    assert resources[4999] == "i-04999"
    assert waived == located == [None] * 5000
    assert unpack(packed) == run
    assert pack(RunResult(now=NOW, backend="native", results=())).columns == {}
