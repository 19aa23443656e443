"""An OSCAL ``assessment-results`` document read back into a gap report, so any renderer can show it.

The inverse of :mod:`assay.render.oscal`: a document assay wrote comes back with assay's own words
(they travel as properties in assay's namespace); one a GRC tool wrote is read in OSCAL's terms. Its
latest ``result`` is the run; each ``finding`` is a requirement (``satisfied`` is met, anything else
not met) of the framework its properties name, else of one framework named after the document; each
``observation`` is a control, failing when a not-satisfied finding rests on it, with its evidence and
its risks' remediations.

Every problem is an error at its JSON path, raised as :class:`~assay.errors.LoadError`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assay._version import __version__
from assay.errors import Diagnostic, LoadError, Severity
from assay.gaps import (
    ControlEntry,
    EvidenceEntry,
    FrameworkReport,
    MappedControlStatus,
    Report,
    RequirementResult,
)
from assay.loading.json_document import load_json_file
from assay.loading.oscal_catalog import OTHER_MODELS, SUPPORTED_VERSIONS
from assay.model import ControlStatus, RequirementStatus
from assay.model import Severity as ControlSeverity
from assay.results import EvidenceUse, Finding
from assay.yamlsource import Limits, PathKey, YamlDocument

MAX_BYTES = 64 * 1024 * 1024
LIMITS = Limits(max_bytes=MAX_BYTES, max_nodes=8_000_000)
_NOT_MET = ControlStatus.FAIL
Json = dict[str, Any]


def read_assessment_results(file: Path, shown: str) -> Report:
    """The gap report an OSCAL assessment-results file states, or :class:`LoadError` saying why not."""
    document = load_json_file(file, shown, LIMITS)
    return _Reader(document).report()


class _Reader:
    def __init__(self, document: YamlDocument) -> None:
        self.document = document

    def fail(self, path: PathKey, message: str) -> LoadError:
        position = self.document.position(path)
        crumb = " > ".join(str(step) if isinstance(step, str) else f"[{step}]" for step in path)
        crumb = crumb.replace(" > [", "[")
        return LoadError(
            [Diagnostic(self.document.path, position.line, position.column, Severity.ERROR, message, crumb)]
        )

    def mapping(self, value: Any, path: PathKey) -> Json:
        if not isinstance(value, dict):
            raise self.fail(path, "expected an object")
        return value

    def entries(self, parent: Json, key: str, path: PathKey) -> list[Json]:
        value = parent.get(key, [])
        if not isinstance(value, list):
            raise self.fail((*path, key), "expected a list")
        return [self.mapping(entry, (*path, key, index)) for index, entry in enumerate(value)]

    def text(self, parent: Json, key: str, path: PathKey) -> str:
        value = parent.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail((*path, key) if key in parent else path, f"expected a non-empty string {key!r}")
        return value

    def moment(self, parent: Json, key: str, path: PathKey) -> datetime:
        text = self.text(parent, key, path)
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise self.fail((*path, key), f"{text!r} is not a date-time") from None
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)

    def report(self) -> Report:
        data = self.document.data
        if not isinstance(data, dict) or "assessment-results" not in data:
            found = next(
                (n for n in (*OTHER_MODELS, "catalog") if isinstance(data, dict) and n in data), None
            )
            message = f"an OSCAL {found}, not assessment results" if found else "not OSCAL assessment results"
            raise self.fail((), f"{message}: expected a top-level 'assessment-results'")
        root: PathKey = ("assessment-results",)
        results = self.mapping(data["assessment-results"], root)
        metadata = self.mapping(results.get("metadata"), (*root, "metadata"))
        version = self.text(metadata, "oscal-version", (*root, "metadata"))
        if not SUPPORTED_VERSIONS.match(version):
            message = f"OSCAL version {version!r} is not supported: assay reads OSCAL 1.x"
            raise self.fail((*root, "metadata", "oscal-version"), message)
        runs = self.entries(results, "results", root)
        if not runs:
            raise self.fail((*root, "results"), "expected at least one result")
        index = len(runs) - 1
        return self.run(
            runs[index], (*root, "results", index), self.text(metadata, "title", (*root, "metadata"))
        )

    def run(self, result: Json, path: PathKey, title: str) -> Report:
        start = self.moment(result, "start", path)
        observations = self.entries(result, "observations", path)
        findings = self.entries(result, "findings", path)
        risks = {r.get("uuid"): r for r in self.entries(result, "risks", path)}
        failing = _failing_observations(findings)
        controls = [
            self.control(o, (*path, "observations", i), failing, risks) for i, o in enumerate(observations)
        ]
        names = {o.get("uuid"): c.control for o, c in zip(observations, controls, strict=True)}
        statuses = {c.control: c.status for c in controls}
        frameworks = self.frameworks(findings, (*path, "findings"), title, names, statuses)
        summary = {status.value: 0 for status in ControlStatus}
        for control in controls:
            summary[control.status.value] += 1
        return Report(
            assay_version=__version__,
            generated_at=start,
            backend="oscal",
            summary=summary,
            frameworks=frameworks,
            controls=tuple(controls),
            evidence=tuple(_evidence_table(controls)),
        )

    def control(
        self, observation: Json, path: PathKey, failing: set[str], risks: dict[Any, Json]
    ) -> ControlEntry:
        props = _props(observation)
        description = self.text(observation, "description", path)
        collected = self.moment(observation, "collected", path)
        name = props.get("control-id") or f"observation-{int(path[-1]) + 1}"
        status = _status(props.get("status"), ControlStatus)
        if status is None:
            status = _NOT_MET if observation.get("uuid") in failing else ControlStatus.PASS
        remediations = [
            str(rem.get("description"))
            for risk in risks.values()
            if observation.get("uuid")
            in {o.get("observation-uuid") for o in _list(risk, "related-observations")}
            for rem in _list(risk, "remediations")
            if isinstance(rem.get("description"), str)
        ]
        subjects = [str(s.get("title") or s.get("subject-uuid")) for s in _list(observation, "subjects")]
        return ControlEntry(
            control=name,
            title=_title(observation, description),
            severity=_status(props.get("severity"), ControlSeverity) or ControlSeverity.MEDIUM,
            domain=props.get("domain") or "oscal",
            status=status,
            findings=tuple(
                Finding(rule="oscal", resource=s, message=_title(observation, description))
                for s in (subjects if status is _NOT_MET else [])
            ),
            evidence=tuple(_evidence_use(e, collected) for e in _list(observation, "relevant-evidence")),
            claim=description,
            remediation="\n".join(remediations) or "-",
            attestation_only=_examined_only(observation),
        )

    def frameworks(
        self,
        findings: list[Json],
        path: PathKey,
        title: str,
        names: dict[Any, str],
        statuses: dict[str, ControlStatus],
    ) -> tuple[FrameworkReport, ...]:
        rows: dict[tuple[str, str, str], list[RequirementResult]] = defaultdict(list)
        for index, finding in enumerate(findings):
            props = _props(finding)
            where = (*path, index)
            target = self.mapping(finding.get("target"), (*where, "target"))
            ident = props.get("requirement-id") or self.text(target, "target-id", (*where, "target"))
            state = self.mapping(target.get("status", {}), (*where, "target", "status")).get("state")
            status = _status(props.get("status"), RequirementStatus) or (
                RequirementStatus.MET if state == "satisfied" else RequirementStatus.NOT_MET
            )
            related = [
                names[o.get("observation-uuid")]
                for o in _list(finding, "related-observations")
                if o.get("observation-uuid") in names
            ]
            framework = (
                props.get("framework") or "oscal",
                props.get("framework-version") or "-",
                props.get("framework-name") or props.get("framework") or title,
            )
            rows[framework].append(
                RequirementResult(
                    id=ident,
                    title=str(target.get("title") or self.text(finding, "title", where)),
                    status=status,
                    reason=str(finding.get("description") or "") or None,
                    controls=tuple(_linked(c, statuses.get(c)) for c in related),
                )
            )
        return tuple(_framework(*framework, requirements) for framework, requirements in rows.items())


def _examined_only(observation: Json) -> bool:
    """Whether the observation's methods are ``EXAMINE`` alone: it rests on people's statements."""
    methods = observation.get("methods")
    return isinstance(methods, list) and bool(methods) and all(m == "EXAMINE" for m in methods)


def _linked(control: str, status: ControlStatus | None) -> MappedControlStatus:
    return MappedControlStatus(
        control=control,
        status=status,
        coverage="supporting",
        rationale="the finding rests on its observation",
    )


def _framework(key: str, version: str, name: str, requirements: list[RequirementResult]) -> FrameworkReport:
    counts = {status.value: 0 for status in RequirementStatus}
    for requirement in requirements:
        counts[requirement.status.value] += 1
    in_scope = (
        len(requirements) - counts[RequirementStatus.OUT_OF_SCOPE] - counts[RequirementStatus.SUPERSEDED]
    )
    return FrameworkReport(
        key=key,
        name=name,
        version=version,
        assessable=len(requirements),
        counts=counts,
        share_met=round(counts[RequirementStatus.MET] / in_scope, 4) if in_scope > 0 else None,
        requirements=tuple(requirements),
    )


def _failing_observations(findings: list[Json]) -> set[str]:
    failing: set[str] = set()
    for finding in findings:
        target = finding.get("target")
        status = target.get("status") if isinstance(target, dict) else None
        if isinstance(status, dict) and status.get("state") == "not-satisfied":
            failing |= {str(o.get("observation-uuid")) for o in _list(finding, "related-observations")}
    return failing


def _list(parent: Json, key: str) -> list[Json]:
    value = parent.get(key)
    return [entry for entry in value if isinstance(entry, dict)] if isinstance(value, list) else []


def _props(element: Json) -> dict[str, str]:
    return {
        str(p["name"]): str(p["value"])
        for p in _list(element, "props")
        if isinstance(p.get("name"), str) and isinstance(p.get("value"), str)
    }


def _status(value: str | None, kind: Any) -> Any:
    try:
        return kind(value) if value is not None else None
    except ValueError:
        return None


def _title(element: Json, fallback: str) -> str:
    title = element.get("title")
    return title if isinstance(title, str) and title.strip() else " ".join(fallback.split())[:80]


def _evidence_use(evidence: Json, collected: datetime) -> EvidenceUse:
    props = _props(evidence)
    href = evidence.get("href")
    return EvidenceUse(
        name=props.get("evidence-name") or str(evidence.get("description") or href or "evidence"),
        sha256=props.get("sha256"),
        path=href if isinstance(href, str) else None,
        source=props.get("source"),
        collected_at=collected,
    )


def _evidence_table(controls: list[ControlEntry]) -> list[EvidenceEntry]:
    rows: dict[str, EvidenceEntry] = {}
    for control in controls:
        for use in control.evidence:
            previous = rows.get(use.name)
            rows[use.name] = EvidenceEntry(
                name=use.name,
                path=use.path,
                source=use.source,
                sha256=use.sha256,
                collected_at=use.collected_at,
                used_by=(*(previous.used_by if previous else ()), control.control),
            )
    return [rows[name] for name in sorted(rows)]
