"""``assay new control ID`` and ``assay new mapping FRAMEWORK``: scaffolds in the project's folders.

A control scaffold has the schema line, every required field, a rule over a placeholder evidence
shape and one passing and one failing test case, so ``assay test`` passes from the start and keeps
passing once the rule and the test evidence are replaced by real ones together. Every line to fill
in carries a ``TODO(assay new)`` comment, which ``assay lint`` warns about until it is gone. A mapping
scaffold extends a framework catalog with one entry. Nothing is ever overwritten: a control is
appended to an existing controls file through :mod:`assay.roundtrip`, a mapping file must be new.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from assay.commands._authoring import inside_project, shown_path
from assay.commands._common import Streams
from assay.commands._options import CATALOG_OPTIONS, add_project_options, project_from
from assay.errors import ConfigError
from assay.fileio import atomic_write
from assay.suggest import did_you_mean

NAME = "new"
HELP = "scaffold a control or a mapping file in the project's folders"

CONTROL = """\
  - id: {id}
    title: A short title of what is checked  {todo}
    claim: The public sentence this control backs, in plain words.  {todo}
    description: What is checked, on which evidence, and what passing means.  {todo}
    severity: medium  {todo}: low, medium, high or critical
    domain: {domain}
    evidence:
      - name: {evidence}
        kind: system
        max_age: 7d
        description: How this evidence is collected.  {todo}
    rules:
      - id: each-resource-complies  {todo}: the rule and its message, in CEL
        for_each: {evidence}.items
        resource_id: item.id
        assert: item.compliant == true
        message: '"resource " + item.id + " does not comply"'
    remediation: What to do when it fails.  {todo}
    tests:
      - name: a compliant resource  {todo}: real evidence that passes
        evidence:
          {evidence}: {{items: [{{id: r-1, compliant: true}}]}}
        expect: pass
      - name: a non-compliant resource  {todo}: real evidence that fails
        evidence:
          {evidence}: {{items: [{{id: r-2, compliant: false}}]}}
        expect: fail
        failing: [r-2]
"""
MAPPING = """\
# yaml-language-server: $schema=mapping.schema.json
schema_version: {version}
framework: {framework}
mappings:
  - requirement: {requirement}
    controls:
      - control: {control}
        coverage: partial  {todo}: full, partial or supporting
        rationale: Why this control serves the requirement to that extent.  {todo}
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    kinds = parser.add_subparsers(dest="kind", required=True, metavar="control|mapping")
    control = kinds.add_parser("control", help="a control with placeholders and two test cases")
    control.add_argument("id", metavar="ID", help="the new control's id, e.g. ACME-01")
    control.add_argument("--domain", required=True, help="its domain, e.g. identity-access")
    control.add_argument("--evidence", metavar="NAME", help="its evidence name (default: from the id)")
    control.add_argument(
        "--file", type=Path, help="the controls file (default: the project's controls folder)"
    )
    mapping = kinds.add_parser("mapping", help="a mapping file extending a framework")
    mapping.add_argument("framework", metavar="FRAMEWORK", help="the framework's key, e.g. soc2")
    mapping.add_argument("--control", required=True, metavar="ID", help="the control of its first entry")
    mapping.add_argument("--requirement", metavar="ID", help="its first requirement (default: the first)")
    mapping.add_argument(
        "--file", type=Path, help="the mapping file (default: the project's mappings folder)"
    )
    for sub in (control, mapping):
        add_project_options(sub, CATALOG_OPTIONS)


def _default_file(folders: tuple[Path, ...], fallback: str, name: str) -> Path:
    folder = next((f for f in folders if f.is_dir()), Path(fallback))
    return folder / f"{name}.yaml"


def todo() -> str:
    """The comment on each line to fill in (``assay lint`` warns until it is gone)."""
    from assay.loading.documents import PLACEHOLDER_MARKER  # the loaders (pydantic) only when run

    return f"# {PLACEHOLDER_MARKER}"


def new_control(args: argparse.Namespace, streams: Streams) -> int:
    from ruamel.yaml.comments import CommentedSeq

    from assay.commands._authoring import open_for_edit, save
    from assay.commands._layout import kind_of
    from assay.loaded_project import load_project_catalog
    from assay.model import CONTROL_ID_PATTERN, SCHEMA_VERSION
    from assay.roundtrip import round_trip_yaml

    project = project_from(args)
    if not re.match(CONTROL_ID_PATTERN, args.id):
        raise ConfigError(
            f"{args.id!r} is not a control id: upper-case prefix, a dash and a number, e.g. ACME-01"
        )
    if args.id in {c.id for c in load_project_catalog(project).controls}:
        raise ConfigError(f"control {args.id} already exists")
    evidence = args.evidence or "company." + args.id.lower().replace("-", "_")
    text = CONTROL.format(id=args.id, domain=args.domain, evidence=evidence, todo=todo())
    target = inside_project(args.file or _default_file(project.controls, "controls", args.domain), project)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        header = f"# yaml-language-server: $schema=control.schema.json\nschema_version: {SCHEMA_VERSION}\n"
        atomic_write(target, f"{header}controls:\n{text}")
    else:
        document = open_for_edit(target, project)
        if kind_of(document.data) != "controls" or not isinstance(document.data["controls"], CommentedSeq):
            raise ConfigError(f"{document.shown}: not a controls file (its top level must be `controls:`)")
        document.data["controls"].extend(round_trip_yaml().load(text))
        save(document)
    streams.say(f"{shown_path(target, project)}: added control {args.id}; fill in the lines marked {todo()}")
    return 0


def new_mapping(args: argparse.Namespace, streams: Streams) -> int:
    from assay.loaded_project import load_project_catalog
    from assay.model import SCHEMA_VERSION

    project = project_from(args)
    catalog = load_project_catalog(project)
    framework = catalog.frameworks.get(args.framework)
    if framework is None:
        raise ConfigError(
            f"unknown framework {args.framework!r}{did_you_mean(args.framework, catalog.frameworks)}"
        )
    ids = [r.id for r in framework.requirements]
    requirement = args.requirement or next(r.id for r in framework.requirements if not r.heading)
    if requirement not in ids:
        raise ConfigError(
            f"{args.framework} has no requirement {requirement!r}{did_you_mean(requirement, ids)}"
        )
    known = [c.id for c in catalog.controls]
    if args.control not in known:
        raise ConfigError(f"unknown control {args.control!r}{did_you_mean(args.control, known)}")
    target = inside_project(args.file or _default_file(project.mappings, "mappings", args.framework), project)
    if target.exists():
        raise ConfigError(f"{shown_path(target, project)} already exists; add the entry there by hand")
    target.parent.mkdir(parents=True, exist_ok=True)
    fields = {"framework": args.framework, "requirement": requirement, "control": args.control}
    atomic_write(target, MAPPING.format(version=SCHEMA_VERSION, todo=todo(), **fields))
    streams.say(f"{shown_path(target, project)}: created; fill in the lines marked {todo()}")
    return 0


def run(args: argparse.Namespace, streams: Streams) -> int:
    return new_control(args, streams) if args.kind == "control" else new_mapping(args, streams)
