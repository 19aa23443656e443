"""Waiver notices: a warning for each resource a waiver names nowhere in its control's evidence.

Evidence of a million resources is not walked string by string to say so: a JSON or CSV file is
written once as compact JSON and the name searched for as a literal. These tests compare that with
the walk on hostile documents.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from assay.evidence import EvidenceItem, EvidenceStore
from assay.loaded_project import LoadedProject, load_project
from assay.pipeline import MAX_SUGGESTION_POOL, _Documents, waiver_notices
from assay.project import Project
from assay.suggest import did_you_mean

ACME = Path(__file__).resolve().parent / "fixtures" / "acme"


def walked(data: Any) -> set[str]:
    """Every string and string key of a document: what the notices were computed from before."""
    found: set[str] = set()
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            found.add(node)
        elif isinstance(node, dict):
            found.update(k for k in node if isinstance(k, str))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def walked_notices(project: LoadedProject, evidence: EvidenceStore) -> list[str]:
    """The notices as the walk of every string of the control's evidence gave them."""
    controls = {control.id: control for control in project.catalog.controls}
    notices = []
    for waiver in project.waivers:
        control = controls.get(waiver.control)
        if control is None or not waiver.resources:
            continue
        seen: set[str] = set()
        for requirement in control.evidence:
            item = evidence.get(requirement.name)
            if item is not None:
                seen |= walked(item.data)
        for resource in waiver.resources:
            if resource not in seen:
                hint = (
                    did_you_mean(resource, seen, list_known=False) if len(seen) <= MAX_SUGGESTION_POOL else ""
                )
                notices.append(
                    f"waiver {waiver.ticket} for {waiver.control} names resource {resource!r}, which appears "
                    f"in none of the control's evidence{hint}"
                )
    return notices


# --- the search against the walk, on random documents ----------------------------------------------

_TRICKY = st.sampled_from(["sg-1", 'x"sg-1', '"sg-1"', "sg-1\\", "\\sg-1", ",sg-1", ":", "]", "", "é", "sg"])
_STRINGS = st.text(alphabet='sg-1"\\:,] é{}\n\x01', max_size=6) | _TRICKY
_DOCUMENTS = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _STRINGS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_STRINGS, children, max_size=4),
    max_leaves=25,
)


def item(data: Any, fmt: str = "json", path: str | None = "evidence/e.json") -> EvidenceItem:
    return EvidenceItem(name="aws.e", data=data, sha256="0" * 64, path=path, format=fmt)


@settings(max_examples=400, deadline=None)
@given(_DOCUMENTS, st.lists(_STRINGS, min_size=1, max_size=6), st.booleans())
def test_a_name_is_found_in_a_json_document_exactly_when_the_walk_finds_it(
    document: Any, names: list[str], ascii_only: bool
) -> None:
    data = json.loads(json.dumps(document, ensure_ascii=ascii_only))  # as the loader parses a file
    documents = _Documents()
    for name in names + sorted(walked(data))[:4]:
        assert documents.holds(item(data), name) == (name in walked(data)), name


@settings(max_examples=200, deadline=None)
@given(st.lists(st.dictionaries(_STRINGS, _STRINGS, max_size=4), max_size=5), st.lists(_STRINGS, max_size=6))
def test_a_name_is_found_in_a_csv_table_exactly_when_the_walk_finds_it(
    rows: list[dict[str, str]], names: list[str]
) -> None:
    table = item(rows, "csv", "evidence/e.csv")
    documents = _Documents()
    for name in names:
        assert documents.holds(table, name) == (name in walked(rows)), name


def test_documents_not_parsed_from_a_file_are_walked() -> None:
    """A document given in memory may hold any Python value: a date written as a string in JSON, a
    tuple or a number used as a key are no strings of the document, and are not taken for one."""
    data = {"when": __import__("datetime").date(2026, 1, 2), "pair": ("sg-1", "x"), 7: "y"}
    documents = _Documents()
    for name in ("2026-01-02", "sg-1", "7", "y"):
        assert documents.holds(item(data, path=None), name) == (name in walked(data))
    assert _Documents().holds(item(["sg-1"], "yaml", "evidence/e.yaml"), "sg-1")


# --- the notices of a run, on a project with a hostile evidence file ---------------------------------

HOSTILE = (
    '{"SecurityGroups": [\n'
    '  {"GroupId": "sg-0web", "IpPermissions": []},\n'
    '  {"GroupId": "sg-0bastion", "IpPermissions": []},\n'
    '  {"GroupId": "sg-\\u0065sc", "Description": "the sg-inside group", "Note": "x\\"sg-quote"},\n'
    '  {"GroupId": "sg-2", "Tags": {"sg-key": 1}, "Count": 12345, "Tail": "sg-tail\\\\"}\n'
    "]}\n"
)
NAMED = [
    "sg-0bastion",
    "sg-key",
    "sg-esc",
    "sg-inside",
    "sg-quote",
    "12345",
    "sg-tail",
    "sg-tail\\",
    ",sg-0web",
]


def test_notices_name_exactly_the_resources_written_nowhere_as_a_string(tmp_path: Path) -> None:
    root = tmp_path / "acme"
    shutil.copytree(ACME, root)
    (root / "evidence" / "aws" / "ec2" / "security_groups.json").write_text(HOSTILE, encoding="utf-8")
    waivers = root / "waivers.yaml"
    waivers.write_text(
        "waivers:\n  - control: NET-01\n    resources: "
        + json.dumps(NAMED)
        + "\n    justification: Hostile names.\n    approver: Dana Whitfield\n    ticket: SEC-7\n"
        "    expires: 2026-12-10\n",
        encoding="utf-8",
    )
    project = load_project(
        project=Project(
            controls=(root / "controls",),
            mappings=(root / "mappings",),
            evidence=root / "evidence",
            waivers=waivers,
        )
    )
    assert project.evidence is not None
    notices = waiver_notices(project, project.evidence)
    # only as a key, escaped in the file: there; inside a longer string, after an escaped quote,
    # a number, a name with a backslash's neighbour: nowhere as a string of their own
    missing = [n.split("names resource ")[1].split(", which")[0] for n in notices]
    assert missing == ["'sg-inside'", "'sg-quote'", "'12345'", "'sg-tail'", "',sg-0web'"]
    assert notices == walked_notices(project, project.evidence)
