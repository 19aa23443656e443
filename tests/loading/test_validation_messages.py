"""Validation errors of records read the same as they did when the records were pydantic models.

A record (a dataclass) reports an unknown key as ``unexpected_keyword_argument`` and a value that is no
mapping as ``dataclass_type``; users still read "unknown key ..., did you mean ...", with the keys as
files spell them, and "Input should be a valid dictionary or instance of ...". The expected lines are
what assay printed for these files before its records became dataclasses.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assay.loading.controls import load_controls
from assay.loading.frameworks import load_framework_documents

CONTROLS = """\
controls:
  - oops
  - id: NET-01
    title: T
    claim: C
    description: D
    severity: high
    domain: network
    evidence:
      - name: aws.elb.listeners
        max_agee: 7d
      - 12
    rules:
      - id: tls
        assert: "true"
        zzz: 1
    remediation: R
    parameters: {Bad: 1}
  - id: NET-02
    titel: T
    claim: C
    description: D
    severity: high
    domain: network
    evidence: [{name: a.b, max_age: 0d}]
    rules: [{id: r, assert: "true", for_each: "x"}]
    remediation: R
"""
MAPPING = """\
framework: soc2
mappings:
  - requirement: CC6.1
    controls: [3, NET-01, {control: NET-01, coverage: most, rationale: x, extra: 1}]
    together: {coverage: full, rationale: r, more: 2}
"""
EXPECTED = [
    ("controls.yaml:2:5: error: control #1: Input should be a valid dictionary or instance of Control"),
    (
        "controls.yaml:11:9: error: control NET-01 > evidence[0] > max_agee: "
        "unknown key 'max_agee'; did you mean 'max_age'?"
    ),
    (
        "controls.yaml:12:9: error: control NET-01 > evidence[1]: "
        "Input should be a valid dictionary or instance of EvidenceRequirement"
    ),
    (
        "controls.yaml:16:9: error: control NET-01 > rules[0] > zzz: "
        "unknown key 'zzz' (allowed: id, assert, for_each, resource_id, message, description)"
    ),
    ("controls.yaml:18:23: error: control NET-01 > parameters > Bad: 'Bad' is not in the expected form"),
    ("controls.yaml:19:5: error: control NET-02: missing required key 'title'"),
    (
        "controls.yaml:25:37: error: control NET-02 > evidence[0] > max_age: "
        "'0d' is not a duration: write a whole number and a unit, e.g. '90d', '36h', '2w'"
    ),
    (
        "controls.yaml:26:13: error: control NET-02 > rules[0]: "
        "a rule with for_each needs resource_id, so each finding names its resource"
    ),
    ("controls.yaml:20:5: error: control NET-02 > titel: unknown key 'titel'; did you mean 'title'?"),
    (
        "mapping.yaml:4:16: error: mapping CC6.1 > controls[0]: "
        "Input should be a valid dictionary or instance of MappedControl"
    ),
    (
        "mapping.yaml:4:19: error: mapping CC6.1 > controls[1]: "
        "NET-01 needs its coverage and rationale: write 'control: NET-01', "
        "'coverage: full|partial|supporting' and a one-sentence 'rationale'"
    ),
    (
        "mapping.yaml:4:55: error: mapping CC6.1 > controls[2] > coverage: "
        "Input should be 'full', 'partial' or 'supporting'"
    ),
    (
        "mapping.yaml:4:75: error: mapping CC6.1 > controls[2] > extra: "
        "unknown key 'extra' (allowed: control, coverage, rationale)"
    ),
    (
        "mapping.yaml:5:46: error: mapping CC6.1 > together > more: "
        "unknown key 'more' (allowed: coverage, rationale)"
    ),
]


@pytest.mark.parametrize("cache", ["cache", "no-cache"])
def test_every_problem_is_reported_as_before(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch, cache: str
) -> None:
    if cache == "no-cache":
        monkeypatch.setenv("ASSAY_NO_CACHE", "1")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "controls.yaml").write_text(CONTROLS, encoding="utf-8")
    (tmp_path / "mapping.yaml").write_text(MAPPING, encoding="utf-8")
    for _ in range(2):  # the second time from the cache, where there is one: still every problem
        found = [str(d) for d in load_controls([(Path("controls.yaml"), "controls.yaml")]).diagnostics]
        found += [
            str(d) for d in load_framework_documents([(Path("mapping.yaml"), "mapping.yaml")]).diagnostics
        ]
        assert found == EXPECTED
