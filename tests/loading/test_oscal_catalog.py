"""OSCAL catalogs as frameworks: NIST's SP 800-53 baseline, and catalogs built here to break the reader."""

from __future__ import annotations

import json
import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assay.errors import LoadError, Severity
from assay.loading.catalog import load_catalog, read_catalog
from assay.loading.frameworks import load_framework_documents
from assay.loading.oscal_catalog import description, display_label, framework_key
from assay.model import RequirementStatus
from assay.requirement_text import MAX_PART_DEPTH, inserted_ids, part_lines

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "oscal"
MODERATE = REFERENCE / "NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog-min.json"
needs_reference = pytest.mark.skipif(
    not MODERATE.is_file(), reason=f"NIST's OSCAL reference files are not here ({REFERENCE})"
)


KEYS = ["id", "title", "props", "name", "value", "parts", "prose", "params", "controls", "groups", "links"]


def control(ident: str, title: str, **extra: Any) -> dict[str, Any]:
    return {"id": ident, "title": title, **extra}


def catalog(groups: list[dict[str, Any]], *, version: str = "1.1.2") -> dict[str, Any]:
    metadata = {"title": "Tiny catalog", "last-modified": "2026-01-15T00:00:00Z", "version": "1.0"}
    return {"catalog": {"uuid": "x", "metadata": {**metadata, "oscal-version": version}, "groups": groups}}


TINY = catalog(
    [
        {
            "id": "ac",
            "title": "Access Control",
            "controls": [
                control(
                    "ac-2",
                    "Account Management",
                    params=[{"id": "ac-2_prm_1", "label": "frequency"}],
                    parts=[
                        {
                            "name": "statement",
                            "parts": [
                                {
                                    "name": "item",
                                    "props": [{"name": "label", "value": "a."}],
                                    "prose": "Review accounts {{ insert: param, ac-2_prm_1 }}.",
                                }
                            ],
                        },
                        {"name": "guidance", "prose": "Accounts\nmatter."},
                    ],
                    controls=[control("ac-2.1", "Automated Account Management")],
                ),
                control(
                    "ac-3",
                    "Old Access Enforcement",
                    props=[{"name": "status", "value": "withdrawn"}],
                    links=[{"href": "#ac-2", "rel": "incorporated-into"}],
                ),
                control("ac-4", "Gone", props=[{"name": "status", "value": "withdrawn"}]),
            ],
            "groups": [{"id": "ac-sub", "title": "Sub-group", "controls": [control("ac-9", "Nested")]}],
        }
    ]
)


def write(folder: Path, name: str, data: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, indent="\t"), encoding="utf-8")
    return path


def errors_of(path: Path) -> list[str]:
    _, diagnostics = read_catalog(None, [path])
    return [str(d).replace(f"{path.parent}/", "") for d in diagnostics if d.severity is Severity.ERROR]


@needs_reference
def test_nist_moderate_baseline_loads_as_287_requirements_in_18_groups(tmp_path: Path) -> None:
    copy = tmp_path / "nist-800-53-moderate.json"
    shutil.copyfile(MODERATE, copy)
    framework = load_catalog(None, [copy]).frameworks["nist-800-53-moderate"]
    assert framework.version == "5.1.1+u4"
    assert len(framework.assessable()) == 287
    headings = [r for r in framework.requirements if r.heading]
    assert len(headings) == 18
    assert headings[0].id == "ac"
    assert headings[0].title == "Access Control"
    found = {r.id: r for r in framework.requirements}
    assert found["ac-2"].title == "AC-2 Account Management"
    assert found["ac-2"].parent == "ac"
    assert found["ac-2.1"].title == "AC-2(1) Automated System Account Management"
    assert found["ac-2.1"].parent == "ac-2"
    assert "[Assignment: prerequisites and criteria]" in (found["ac-2"].description or "")


@needs_reference
def test_nist_parameters_and_parts_are_kept_as_data(tmp_path: Path) -> None:
    copy = tmp_path / "nist-800-53-moderate.json"
    shutil.copyfile(MODERATE, copy)
    found = {r.id: r for r in load_catalog(None, [copy]).frameworks["nist-800-53-moderate"].requirements}
    ac2 = found["ac-2"]
    assert [p.id for p in ac2.parameters] == [f"ac-02_odp.{n:02}" for n in range(1, 11)]
    first = ac2.parameters[0]
    assert (first.label, first.values, first.choices) == ("prerequisites and criteria", (), ())
    assert first.guidelines == ("prerequisites and criteria for group and role membership are defined;",)
    assert [part.name for part in ac2.parts] == ["statement", "guidance"]
    items = ac2.parts[0].parts
    assert [item.label for item in items] == [f"{letter}." for letter in "abcdefghijkl"]
    assert items[2].prose == "Require {{ insert: param, ac-02_odp.01 }} for group and role membership;"
    assert [sub.label for sub in items[3].parts] == ["1.", "2.", "3."]
    lines = part_lines(ac2.parts, ac2.parameters)
    assert lines[2] == (
        0,
        "c. Require [Assignment: prerequisites and criteria] for group and role membership;",
    )
    assert lines[4] == (1, "1. Authorized users of the system;")
    selection = next(p for p in found["ac-7"].parameters if p.id == "ac-07_odp.03")
    assert (selection.how_many, len(selection.choices)) == ("one-or-more", 5)
    # Assessment objectives and methods are not kept; every insertion names a parameter the requirement has.
    for requirement in found.values():
        assert {part.name for part in requirement.parts} <= {"statement", "guidance"}
        assert set(inserted_ids(requirement.parts)) <= {p.id for p in requirement.parameters}


def test_odd_parameters_and_parts_are_left_out_and_values_are_shown(tmp_path: Path) -> None:
    deep: dict[str, Any] = {"name": "item", "prose": "bottom"}
    for _ in range(20):
        deep = {"name": "item", "prose": "level", "parts": [deep]}
    params = [
        {"id": "p-1", "label": "frequency", "values": ["weekly", 7]},
        {"id": "has space", "label": "skipped"},
        {"id": "p-3", "select": {"choice": ["on", {"not": "text"}]}},
        "not a parameter",
    ]
    parts = [
        {
            "name": "statement",
            "prose": "Every {{ insert: param, p-1 }}, {{ insert: param, p-3 }}.",
            "parts": [deep],
        },
        {"name": "assessment-objective", "prose": "not kept"},
        {"name": 7, "prose": "no name"},
        {"name": "guidance", "prose": {"not": "text"}},
    ]
    data = catalog(
        [{"id": "g", "title": "G", "controls": [control("g-1", "Odd", params=params, parts=parts)]}]
    )
    (odd,) = load_catalog(None, [write(tmp_path, "odd.json", data)]).frameworks["odd"].assessable()
    assert [(p.id, p.values, p.choices) for p in odd.parameters] == [
        ("p-1", ("weekly",), ()),
        ("p-3", (), ("on",)),
    ]
    assert [part.name for part in odd.parts] == ["statement", "guidance"]
    assert odd.parts[1].prose is None
    lines = part_lines(odd.parts, odd.parameters)
    assert lines[0] == (0, "Every weekly, [Selection (one): on].")
    assert max(depth for depth, _ in lines) == MAX_PART_DEPTH
    assert odd.description is not None
    assert odd.description.startswith("Every weekly, [Selection (one): on].")


def test_groups_controls_enhancements_params_and_parts(tmp_path: Path) -> None:
    framework = load_catalog(None, [write(tmp_path, "Tiny Catalog.json", TINY)]).frameworks["tiny-catalog"]
    found = {r.id: r for r in framework.requirements}
    assert [r.id for r in framework.requirements] == [
        "ac",
        "ac-sub",
        "ac-9",
        "ac-2",
        "ac-2.1",
        "ac-3",
        "ac-4",
    ]
    assert found["ac"].heading
    assert found["ac-sub"].heading
    assert found["ac-sub"].parent == "ac"
    assert found["ac-9"].parent == "ac-sub"
    assert found["ac-2.1"].title == "AC-2(1) Automated Account Management"
    assert (
        found["ac-2"].description
        == "a. Review accounts [Assignment: frequency].\n\nGuidance: Accounts matter."
    )


def test_a_withdrawn_control_is_superseded_by_the_one_it_moved_into(tmp_path: Path) -> None:
    framework = load_catalog(None, [write(tmp_path, "tiny.json", TINY)]).frameworks["tiny"]
    moved = next(r for r in framework.requirements if r.id == "ac-3")
    assert (moved.successor, moved.withdrawn) == ("ac-2", True)
    assert moved.superseded_after == date(2026, 1, 14)  # the day before the catalog's date
    assert moved.in_force(date(2026, 1, 14))
    assert not moved.in_force(date(2026, 1, 15))


def test_a_withdrawn_control_without_a_successor_is_kept_marked_withdrawn(tmp_path: Path) -> None:
    # ac-4 is withdrawn and links nowhere; ac-5 is "incorporated into" a control this catalog lacks.
    group = TINY["catalog"]["groups"][0]
    orphan = control(
        "ac-5",
        "Elsewhere",
        props=[{"name": "status", "value": "withdrawn"}],
        links=[{"href": "#zz-99", "rel": "incorporated-into"}],
    )
    data = catalog([{**group, "controls": [*group["controls"], orphan]}])
    path = write(tmp_path, "tiny.json", data)
    framework, diagnostics = read_catalog(None, [path])
    assert diagnostics == []  # nothing left out, nothing to warn about in the catalog itself
    found = {r.id: r for r in framework.frameworks["tiny"].requirements}
    for ident in ("ac-4", "ac-5"):
        gone = found[ident]
        assert (gone.withdrawn, gone.successor, gone.superseded_after) == (True, None, None)
        assert gone.parent == "ac"
        assert not gone.in_force(date(2000, 1, 1))
        assert not gone.in_force(date(2100, 1, 1))


def test_labels_from_ids_and_from_props() -> None:
    assert display_label({"id": "ac-2.12"}) == "AC-2(12)"
    assert display_label({"id": "ac-2", "props": [{"name": "label", "value": "AC-02"}]}) == "AC-02"
    assert description({"parts": [{"name": "statement", "prose": {"not": "text"}}]}, {}) is None


def test_framework_keys_come_from_the_file_name() -> None:
    assert framework_key(Path("NIST_SP-800-53 rev5.json")) == "nist-sp-800-53-rev5"
    assert framework_key(Path("fedramp.high.json")) == "fedramp"
    assert framework_key(Path("___.json")) == "oscal"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"profile": {}}, "an OSCAL profile, not a catalog: resolve it into a catalog first"),
        ({"component-definition": {}}, "an OSCAL component-definition, not a catalog"),
        ([1, 2], "not an OSCAL catalog: expected a top-level 'catalog'"),
        (catalog([], version="2.0.0"), "OSCAL version '2.0.0' is not supported: assay reads OSCAL 1.x"),
        (catalog([{"id": "ac", "title": 7}]), "catalog > groups[0] > title: expected a non-empty string"),
        (catalog([{"id": "ac", "title": "A", "controls": "ac-1"}]), "groups[0] > controls: expected a list"),
        (
            {"catalog": {"metadata": {"title": "T", "version": "1"}}},
            "expected a non-empty string 'oscal-version'",
        ),
    ],
)
def test_what_is_not_a_catalog_assay_reads_is_named_at_its_path(
    tmp_path: Path, data: Any, expected: str
) -> None:
    (error,) = errors_of(write(tmp_path, "bad.json", data))
    assert error.startswith("bad.json:")
    assert expected in error


def test_duplicate_ids_are_errors_at_the_second(tmp_path: Path) -> None:
    twice = catalog(
        [{"id": "ac", "title": "A", "controls": [control("ac-1", "One"), control("ac-1", "Again")]}]
    )
    path = write(tmp_path, "twice.json", json.dumps(twice, indent=1))
    (error,) = errors_of(path)
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if '"Again"' in text) - 1
    assert error.startswith(f"twice.json:{line}:")
    assert "duplicate requirement id 'ac-1'" in error


def test_truncated_json_is_named_at_its_line_and_column(tmp_path: Path) -> None:
    text = json.dumps(TINY, indent=2)
    path = write(tmp_path, "cut.json", text[: len(text) // 2])
    (error,) = errors_of(path)
    assert error.startswith(f"cut.json:{text[: len(text) // 2].count(chr(10)) + 1}:")
    assert "invalid JSON" in error


def test_a_huge_catalog_is_refused_before_it_is_read(tmp_path: Path) -> None:
    from assay.loading import frameworks

    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.truncate(frameworks.OSCAL_MAX_BYTES + 1)
    (error,) = errors_of(path)
    assert f"the limit is {frameworks.OSCAL_MAX_BYTES:,} bytes" in error


def _tiny_project(folder: Path, *mapped: str) -> None:
    """A project whose framework is the TINY catalog, with one control mapped onto each of ``mapped``."""
    write(folder, "tiny.json", TINY)
    write(folder / "maps", "tiny.yaml", "framework: tiny\nmappings:\n" + "".join(_mapping(r) for r in mapped))
    (folder / "assay.toml").write_text('catalogs = ["tiny.json"]\nmappings = ["maps"]\n', encoding="utf-8")


def test_a_superseded_requirement_is_reported_so(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _tiny_project(tmp_path, "ac-2", "ac-3")
    result = cli("check", "--framework", "tiny", "--format", "json", "--now", "2026-11-25T12:00:00Z")
    assert result.code in (0, 1), result.err
    rows = {r["id"]: r for r in json.loads(result.out)["frameworks"][0]["requirements"]}
    assert rows["ac-3"]["status"] == RequirementStatus.SUPERSEDED.value
    assert rows["ac-3"]["successor"] == "ac-2"


def test_a_withdrawn_requirement_is_shown_so_never_a_gap_and_a_mapping_onto_it_warns(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _tiny_project(tmp_path, "ac-2", "ac-4")
    lint = cli("lint")
    assert (lint.code, lint.err.strip()) == (1, "assay lint: 0 error(s), 1 warning(s)")
    assert "maps/tiny.yaml:6:" in lint.out
    assert "ac-4 is withdrawn from tiny with no successor: IAM-01 counts for nothing there" in lint.out
    when = ("--framework", "tiny", "--now", "2026-11-25T12:00:00Z")
    report = json.loads(cli("check", *when, "--format", "json").out)
    (framework,) = report["frameworks"]
    rows = {r["id"]: r for r in framework["requirements"]}
    assert rows["ac-4"]["status"] == RequirementStatus.SUPERSEDED.value
    assert (rows["ac-4"]["withdrawn"], rows["ac-4"]["successor"]) == (True, None)
    assert rows["ac-4"]["reason"] == "withdrawn from the framework with no successor"
    assert rows["ac-2"]["withdrawn"] is False
    # Not counted: neither among the requirements in scope nor as a gap of its heading.
    assert framework["counts"]["superseded"] == 2  # ac-3 (after the catalog's date) and ac-4
    assert rows["ac"]["reason"] is None or "ac-4" not in rows["ac"]["reason"]
    terminal = cli("check", *when).out
    assert "ac-4" not in terminal  # the terminal report lists gaps only
    markdown = cli("check", *when, "--format", "markdown").out
    assert "withdrawn from the framework with no successor" in markdown


def _mapping(requirement: str) -> str:
    return (
        f"  - requirement: {requirement}\n"
        "    controls: [{control: IAM-01, coverage: partial, rationale: Part of account management.}]\n"
    )


def test_a_bad_catalog_exits_2_and_writes_nothing(cli, tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.json", '{"catalog": {"metadata": ')
    target = tmp_path / "out.oscal.json"
    result = cli("check", "--catalog", str(bad), "--output", str(target))
    assert result.code == 2
    assert "bad.json:1:" in result.err
    assert "invalid JSON" in result.err
    assert not target.exists()
    with pytest.raises(LoadError):
        load_catalog(None, [bad])


def test_a_yaml_oscal_catalog_is_read_too(tmp_path: Path) -> None:
    from assay.yamlsource import dump_yaml

    path = write(tmp_path, "tiny.yaml", dump_yaml(TINY))
    framework = load_catalog(None, [path]).frameworks["tiny"]
    assert len(framework.assessable()) == 5  # ac-9, ac-2, ac-2.1, ac-3 and the withdrawn ac-4


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=80)
@given(JSON_VALUES, st.sampled_from(["groups", "controls", "metadata", "params", "parts", "props"]))
def test_any_value_anywhere_is_a_diagnostic_never_a_crash(value: Any, where: str) -> None:
    document = json.loads(json.dumps(TINY))
    group = document["catalog"]["groups"][0]
    if where in ("groups", "controls"):
        group[where] = value
    elif where == "metadata":
        document["catalog"]["metadata"] = value
    else:
        group["controls"][0][where] = value
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder), "fuzz.json", document)
        loaded = load_framework_documents([(path, "fuzz.json")])
    assert all(d.line >= 1 and d.column >= 1 for d in loaded.diagnostics)
    assert loaded.frameworks or loaded.diagnostics
