from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from assay.model import (
    CONTROL_ID_PATTERN,
    EVIDENCE_NAME_PATTERN,
    RULE_ID_PATTERN,
    Control,
    ControlFile,
    EvidenceRequirement,
    Rule,
    ScopeEntry,
    Severity,
    TestCase,
    Waiver,
    format_duration,
)
from assay.yamlsource import dump_yaml, parse_yaml

text = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=30).map(str.strip).filter(bool)
control_ids = st.from_regex(CONTROL_ID_PATTERN, fullmatch=True).filter(lambda s: len(s) < 40)
rule_ids = st.from_regex(RULE_ID_PATTERN, fullmatch=True).filter(lambda s: len(s) < 30)
evidence_names = st.from_regex(EVIDENCE_NAME_PATTERN, fullmatch=True).filter(lambda s: len(s) < 40)
durations = st.integers(min_value=1, max_value=10**7).map(lambda s: timedelta(seconds=s))
cel = st.sampled_from(["true", "item.Encrypted == true", "size(a.b) > 0", '"x" + item.id', "now > now"])
json_scalars = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | text
json_values = st.recursive(
    json_scalars,
    lambda c: st.lists(c, max_size=3) | st.dictionaries(text, c, max_size=3),
    max_leaves=8,
)


@st.composite
def rules(draw: st.DrawFn) -> Rule:
    looped = draw(st.booleans())
    return Rule(
        id=draw(rule_ids),
        assert_=draw(cel),
        for_each=draw(cel) if looped else None,
        resource_id=draw(cel) if looped else None,
        message=draw(st.none() | cel),
        description=draw(st.none() | text),
    )


@st.composite
def controls(draw: st.DrawFn) -> Control:
    evidence = draw(
        st.lists(
            st.builds(EvidenceRequirement, name=evidence_names, max_age=st.none() | durations),
            min_size=1,
            max_size=3,
            unique_by=lambda e: e.name,
        )
    )
    cases = draw(
        st.lists(
            st.builds(
                TestCase,
                name=text,
                evidence=st.dictionaries(evidence_names, json_values, max_size=2),
                now=st.none() | st.datetimes(timezones=st.just(UTC)),
                expect=st.sampled_from(["pass", "fail", "error", "not_assessed"]),
                failing=st.none() | st.lists(text, max_size=3).map(tuple),
            ),
            max_size=2,
            unique_by=lambda t: t.name,
        )
    )
    return Control(
        id=draw(control_ids),
        title=draw(text),
        claim=draw(text),
        description=draw(text),
        severity=draw(st.sampled_from(list(Severity))),
        domain=draw(text),
        evidence=tuple(evidence),
        rules=tuple(draw(st.lists(rules(), min_size=1, max_size=3, unique_by=lambda r: r.id))),
        remediation=draw(text),
        references=tuple(draw(st.lists(text, max_size=2))),
        tests=tuple(cases),
    )


@settings(max_examples=150)
@given(controls())
def test_any_accepted_control_survives_dump_and_reload(control: Control) -> None:
    data = ControlFile(controls=(control,)).model_dump(mode="json", by_alias=True, exclude_none=True)
    reloaded = ControlFile.model_validate(parse_yaml(dump_yaml(data), "c.yaml").data)
    assert reloaded.controls[0] == control


@given(durations)
def test_durations_format_and_parse_back(value: timedelta) -> None:
    checked = EvidenceRequirement.model_validate({"name": "a.b", "max_age": format_duration(value)})
    assert checked.max_age == value


def test_duration_formats_in_the_largest_exact_unit() -> None:
    assert format_duration(timedelta(days=14)) == "2w"
    assert format_duration(timedelta(hours=36)) == "36h"
    assert format_duration(timedelta(seconds=90)) == "90s"


@pytest.mark.parametrize("bad", ["0d", "7 days", "1.5h", "-3d", "P7D"])
def test_bad_durations_are_rejected(bad: str) -> None:
    with pytest.raises(ValidationError):
        EvidenceRequirement.model_validate({"name": "a.b", "max_age": bad})


def test_records_are_frozen_and_strict() -> None:
    rule = Rule.model_validate({"id": "r", "assert": "true"})
    with pytest.raises(dataclasses.FrozenInstanceError):
        rule.id = "other"  # type: ignore[misc]
    with pytest.raises(ValidationError, match="Unexpected keyword argument"):
        Rule.model_validate({"id": "r", "assert": "true", "asert": "x"})


def test_waiver_expiry_is_inclusive_of_its_last_day_in_utc() -> None:
    waiver = Waiver(
        control="NET-01", justification="j", approver="a", ticket="T-1", expires=date(2026, 3, 31)
    )
    assert waiver.is_active(datetime(2026, 3, 31, 23, 59, tzinfo=UTC))
    assert not waiver.is_active(datetime(2026, 4, 1, 0, 0, tzinfo=UTC))
    # 01:00 on April 1st in UTC+2 is still March 31st in UTC.
    assert waiver.is_active(datetime(2026, 4, 1, 1, 0, tzinfo=timezone(timedelta(hours=2))))


def test_inherited_scope_needs_a_provider() -> None:
    # Built by its class the record keeps its invariants (ValueError); read from a file, they are
    # validation errors.
    with pytest.raises(ValueError, match="names its provider"):
        ScopeEntry(framework="soc2", requirement="CC6.4", applicability="inherited", justification="j")
    with pytest.raises(ValidationError, match="names its provider"):
        ScopeEntry.model_validate(
            {"framework": "soc2", "requirement": "CC6.4", "applicability": "inherited", "justification": "j"}
        )
    with pytest.raises(ValueError, match="proven_by"):
        ScopeEntry(
            framework="soc2",
            requirement="CC6.4",
            applicability="inherited",
            provider="AWS",
            justification="-",
        )
    entry = ScopeEntry(
        framework="soc2",
        requirement="CC6.4",
        applicability="inherited",
        provider="AWS",
        proven_by="VENDOR-01",
        justification="j",
    )
    assert (entry.provider, entry.proven_by, entry.complementary_controls) == ("AWS", "VENDOR-01", ())


def test_the_records_import_no_pydantic_until_a_file_is_validated() -> None:
    """Importing the catalog's records and building them costs no pydantic: it is imported, and a
    validator built, when a file is validated or a schema written."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from assay.model import FILE_MODELS, Control, EvidenceRequirement, Rule\n"
        "rule = Rule(id='r', assert_='true')\n"
        "Control(id='A-1', title='t', claim='c', description='d', severity='high', domain='x',\n"
        "        evidence=(EvidenceRequirement(name='a.b'),), rules=(rule,), remediation='r')\n"
        "print('pydantic' in sys.modules, 'pydantic_core' in sys.modules)\n"
        "FILE_MODELS['control'].model_json_schema()\n"
        "print('pydantic' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False", "True"]
