"""``assay explain CONTROL``: a control's claim, mappings, evidence, parameters, rules and result now."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from assay.commands._common import Streams
from assay.commands._options import CATALOG_OPTIONS, EVIDENCE_OPTIONS, add_project_options, project_from
from assay.errors import ConfigError
from assay.safe_text import terminal_safe
from assay.suggest import did_you_mean

if TYPE_CHECKING:  # the model (pydantic) and the pipeline are imported when the command runs
    from assay.model import Control, Requirement
    from assay.pipeline import Outcome

NAME = "explain"
HELP = "show a control, its mappings, evidence and result"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("control", metavar="CONTROL")
    add_project_options(parser, CATALOG_OPTIONS, EVIDENCE_OPTIONS)


def run(args: argparse.Namespace, streams: Streams) -> int:
    from assay.loaded_project import load_project
    from assay.pipeline import run as run_project

    project = load_project(project=project_from(args))
    try:
        control = project.catalog.control(args.control)
    except KeyError:
        known = [c.id for c in project.catalog.controls]
        raise ConfigError(f"unknown control {args.control!r}{did_you_mean(args.control, known)}") from None
    outcome = run_project(project, controls=[control.id])
    lines = [*_header(control, outcome), *_mappings(control, outcome), *_evidence(control, outcome)]
    lines += [*_parameters(control, outcome), *_result(control, outcome)]
    # The control's own texts may span lines; what came from evidence was made one line where it is used.
    streams.out.write(terminal_safe("\n".join(lines), multiline=True) + "\n")
    return 0


def _header(control: Control, outcome: Outcome) -> list[str]:
    lines = [f"{control.id}: {control.title}"]
    source = outcome.project.catalog.control_sources.get(control.id)
    if source is not None:
        position = source.position("id")
        lines.append(f"  defined at {source.file}:{position.line}:{position.column}")
    return [
        *lines,
        f"  claim:       {control.claim}",
        f"  severity:    {control.severity.value}",
        f"  domain:      {control.domain}",
        "",
        f"  {control.description}",
        "",
    ]


def _mappings(control: Control, outcome: Outcome) -> list[str]:
    catalog = outcome.project.catalog
    lines = ["Mapped to:"]
    mappings = catalog.mappings_of(control.id)
    for mapping in mappings:
        framework = catalog.frameworks[mapping.framework]
        requirement = next((r for r in framework.requirements if r.id == mapping.requirement), None)
        title = requirement.title if requirement is not None else ""
        why = f" ({mapping.rationale})" if mapping.rationale else ""
        lines.append(f"  {mapping.framework:9} {mapping.requirement:22} {title}{why}")
        lines += _requirement_text(requirement) if requirement is not None else []
    if not mappings:
        lines.append("  nothing")
    return lines


def _requirement_text(requirement: Requirement) -> list[str]:
    """A requirement's wording and parameters (an OSCAL catalog's), under its mapping line."""
    from assay.requirement_text import parameter_text, part_lines

    lines = [
        f"      {'  ' * depth}{line}" for depth, line in part_lines(requirement.parts, requirement.parameters)
    ]
    known = {p.id: p for p in requirement.parameters}
    if requirement.parameters:
        lines.append("      Parameters:")
    lines += [f"        {p.id}: {parameter_text(p, known)}" for p in requirement.parameters]
    return lines


def _evidence(control: Control, outcome: Outcome) -> list[str]:
    from assay.durations import format_duration

    lines = ["", "Evidence:"]
    uses = {use.name: use for use in outcome.run.results[0].evidence}
    for requirement in control.evidence:
        use = uses.get(requirement.name)
        age = f", at most {format_duration(requirement.max_age)} old" if requirement.max_age else ""
        lines.append(f"  {requirement.name}{age}")
        if use is not None and use.path:
            collected = use.collected_at.isoformat() if use.collected_at else "undated"
            lines.append(terminal_safe(f"    {use.path}  collected {collected}  sha256 {use.sha256 or '-'}"))
        if use is not None and use.problem:
            lines.append(terminal_safe(f"    problem: {use.problem}"))
    return lines


def _parameters(control: Control, outcome: Outcome) -> list[str]:
    if not control.parameters:
        return []
    lines = ["", "Parameters:"]
    given = outcome.project.parameters.get(control.id, {})
    for name, default in control.parameters.items():
        value, origin = (given[name], "this company") if name in given else (default, "default")
        shown = "not set" if value is None else json.dumps(value, ensure_ascii=False)
        lines.append(f"  {name} = {shown} ({origin})")
    return lines


def _result(control: Control, outcome: Outcome) -> list[str]:
    result = outcome.run.results[0]
    lines = ["", "Rules:"]
    for rule in control.rules:
        loop = f" for each {rule.for_each}" if rule.for_each else ""
        lines.append(f"  {rule.id}:{loop} assert {rule.assert_}")
    lines += ["", f"Result at {outcome.run.now.isoformat()}: {result.status.value}"]
    if result.reason:
        lines.append(terminal_safe(f"  {result.reason}"))
    for finding in result.findings:
        waived = f" (waived by {finding.waived_by})" if finding.waived_by else ""
        lines.append(terminal_safe(f"  - {finding.resource or control.id}: {finding.message}{waived}"))
    return [*lines, "", f"Remediation: {control.remediation}"]
