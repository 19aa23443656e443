"""Guards on the built-in catalog: its content is part of what assay promises."""

from __future__ import annotations

import functools
from collections import Counter
from datetime import UTC, datetime

import pytest

import assay
from assay.cel.functions import DEFAULT_FUNCTIONS
from assay.cel.native.extensions import extension_features
from assay.cel.syntax import parse
from assay.engine import Engine
from assay.gaps import build_report
from assay.lint import lint
from assay.loaded_project import LoadedProject, load_project
from assay.model import ControlStatus, RequirementStatus

CATALOG = assay.builtin_catalog()


@functools.cache
def example_inputs() -> LoadedProject:
    return load_project(catalog=CATALOG)


ENGINE = Engine(CATALOG)
CASES = [(c, t) for c in CATALOG.controls for t in c.tests]
# The built-in controls whose rules use CEL's extension libraries: only the native backend runs them.
NATIVE_ONLY = {
    control.id
    for control in CATALOG.controls
    for rule in control.rules
    if any(extension_features(parse(e), DEFAULT_FUNCTIONS) for e in rule.expressions().values())
}


def test_lint_is_clean() -> None:
    paths = assay.builtin_paths()
    diagnostics = lint(
        waivers=paths.example / "waivers.yaml",
        scope=paths.example / "scope.yaml",
        now=datetime(2026, 11, 25, 12, tzinfo=UTC),
    )
    assert [str(d) for d in diagnostics] == []


def test_there_are_at_least_sixty_controls_in_one_file_per_domain() -> None:
    assert len(CATALOG.controls) >= 60
    files = {CATALOG.control_sources[c.id].file for c in CATALOG.controls}
    assert len(files) >= 12


@pytest.mark.parametrize(("control", "case"), CASES, ids=[f"{c.id}[{t.name}]" for c, t in CASES])
def test_every_embedded_test_case_passes(control: assay.Control, case: assay.TestCase) -> None:
    outcome = ENGINE.run_test_case(control, case)
    assert outcome.problems == ()


@pytest.mark.parametrize("control", CATALOG.controls, ids=lambda c: c.id)
def test_every_control_has_a_passing_and_a_failing_case(control: assay.Control) -> None:
    expected = {case.expect for case in control.tests}
    assert {"pass", "fail"} <= expected


def test_every_control_is_mapped_and_every_mapping_is_to_an_assessable_requirement() -> None:
    mapped = {m.control for m in CATALOG.mappings}
    assert [c.id for c in CATALOG.controls if c.id not in mapped] == []
    for mapping in CATALOG.mappings:
        framework = CATALOG.frameworks[mapping.framework]
        requirement = next(r for r in framework.requirements if r.id == mapping.requirement)
        assert not requirement.heading, f"{mapping} maps to a heading"


def test_every_builtin_mapping_states_its_coverage_and_reason() -> None:
    rationales = [m.rationale for m in CATALOG.mappings]
    assert all(m.coverage in ("full", "partial", "supporting") for m in CATALOG.mappings)
    assert all(len(r.split()) >= 6 for r in rationales)  # a sentence, not a placeholder
    assert not any("Pending" in r or "exactly what the requirement asks" in r for r in rationales)
    # Reviewed, not defaulted: a spread of coverage, with full kept for what a control wholly satisfies.
    counts = Counter(m.coverage for m in CATALOG.mappings)
    assert counts["partial"] > counts["supporting"] > counts["full"] > 0


def test_every_builtin_evidence_item_says_what_kind_it_is() -> None:
    for control in CATALOG.controls:
        source = CATALOG.control_sources[control.id]
        written = source.document.data
        for step in source.path:
            written = written[step]
        for index, requirement in enumerate(control.evidence):
            # written in the file, not defaulted
            assert "kind" in written["evidence"][index], (control.id, requirement.name)
            assert (requirement.kind == "attestation") == requirement.name.startswith("attestations."), (
                control.id,
                requirement.name,
            )


def test_framework_catalogs_are_complete() -> None:
    frameworks = CATALOG.frameworks
    assert len(frameworks["soc2"].assessable()) == 61
    annex_a = [r for r in frameworks["iso27001"].assessable() if r.id.startswith("A.")]
    assert len(annex_a) == 93
    assert len(frameworks["pci-dss"].assessable()) == 280
    hipaa = {r.id: r for r in frameworks["hipaa"].requirements}
    specs = [r for r in hipaa.values() if r.implementation is not None]
    assert Counter(r.implementation for r in specs) == {"required": 14 + 7, "addressable": 22}
    gdpr = frameworks["gdpr"]
    articles = {r.id.split("(")[0] for r in gdpr.requirements}
    assert len(articles) == 40
    assert "Art.32(1)(a)" in {r.id for r in gdpr.assessable()}


def test_the_example_shows_every_status() -> None:
    inputs = example_inputs()
    assert inputs.evidence.snapshot_at is not None
    run = ENGINE.evaluate(
        inputs.evidence,
        now=inputs.evidence.snapshot_at,
        waivers=inputs.waivers,
        scope=inputs.scope,
        parameters=inputs.parameters,
    )
    assert not any("parameter" in (r.reason or "") for r in run.results)
    assert {r.status for r in run.results} == set(ControlStatus)
    report = build_report(CATALOG, run, evidence=inputs.evidence, waivers=inputs.waivers)
    statuses = {r.status for f in report.frameworks for r in f.requirements if not r.heading}
    # best_practice needs an evaluation time before a future-dated requirement takes effect: the
    # example's snapshot is after PCI DSS v4.0's last one (tests/test_example_verdicts.py checks it).
    assert statuses == set(RequirementStatus) - {RequirementStatus.BEST_PRACTICE}
    for framework in report.frameworks:
        assert framework.counts[RequirementStatus.NOT_COVERED] == len(
            [r for r in framework.gaps() if r.status is RequirementStatus.NOT_COVERED]
        )
    assert list(inputs.evidence.problems()) == []


def coverage_table() -> str:
    """The coverage table of controls/README.md, computed from the catalog and the example scope."""
    inputs = load_project()
    scoped = {(s.framework, s.requirement) for s in inputs.scope}
    automated = {c.id for c in CATALOG.controls if any(e.kind == "system" for e in c.evidence)}
    rows = [
        "| framework | assessable requirements | covered by a control | of which by system evidence "
        "| of which fully (a full control or a together statement) | out of scope for the example "
        "| not covered |",
        "|---|---|---|---|---|---|---|",
    ]
    for key in ("soc2", "iso27001", "hipaa", "pci-dss", "gdpr"):
        framework = CATALOG.frameworks[key]
        mapped: dict[str, set[str]] = {}
        full: set[str] = set()
        for mapping in CATALOG.mappings:
            if mapping.framework == key:
                mapped.setdefault(mapping.requirement, set()).add(mapping.control)
                if mapping.coverage == "full" or mapping.together is not None:
                    full.add(mapping.requirement)
        assessable = framework.assessable()
        covered = [r for r in assessable if r.id in mapped]
        by_automation = [r for r in covered if mapped[r.id] & automated]
        out_of_scope = [r for r in assessable if (key, r.id) in scoped]
        uncovered = [r for r in assessable if r.id not in mapped and (key, r.id) not in scoped]
        rows.append(
            f"| {framework.name} (`{key}`) | {len(assessable)} | {len(covered)} | {len(by_automation)} "
            f"| {len(full & {r.id for r in covered})} | {len(out_of_scope)} | {len(uncovered)} |"
        )
    return "\n".join(rows)


def test_readme_coverage_table_is_current() -> None:
    readme = (assay.builtin_paths().controls / "README.md").read_text(encoding="utf-8")
    assert coverage_table() in readme, "update the table in controls/README.md:\n" + coverage_table()


@pytest.mark.parametrize("name", sorted(CATALOG.evidence_schemas))
def test_fast_and_reference_schema_validators_agree(name: str) -> None:
    import jsonschema
    import jsonschema_rs

    schema = CATALOG.evidence_schemas[name]
    reference = jsonschema.Draft202012Validator(schema)
    fast = jsonschema_rs.Draft202012Validator(schema)
    item = example_inputs().evidence.get(name)
    samples: list[object] = [None, {}, [], "text", {"message": "API rate limit exceeded"}]
    if item is not None:
        samples.append(item.data)
    for sample in samples:
        assert fast.is_valid(sample) == reference.is_valid(sample), sample


def test_native_and_reference_backends_agree_on_the_example() -> None:
    from assay.cel.reference import ReferenceBackend

    inputs = example_inputs()
    now = inputs.evidence.snapshot_at
    assert now is not None
    options = {"now": now, "waivers": inputs.waivers, "parameters": inputs.parameters}
    native = ENGINE.evaluate(inputs.evidence, **options)
    reference = Engine(CATALOG, backend=ReferenceBackend()).evaluate(inputs.evidence, **options)
    assert "NET-01" in NATIVE_ONLY
    for ours, theirs in zip(native.results, reference.results, strict=True):
        if ours.control in NATIVE_ONLY:  # rules using CEL's extension libraries, which cel-python lacks
            assert theirs.status is ControlStatus.ERROR
            assert "run it on the native backend" in (theirs.reason or "")
            continue
        assert (ours.control, ours.status) == (theirs.control, theirs.status)
        assert [(f.resource, f.message) for f in ours.findings] == [
            (f.resource, f.message) for f in theirs.findings
        ]
