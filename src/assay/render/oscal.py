"""The report as an OSCAL 1.1.2 ``assessment-results`` document, for GRC tools, FedRAMP and auditors.

One ``result`` holds the run: an ``observation`` per control evaluated (method ``TEST`` when it reads
system evidence, ``EXAMINE`` when it rests on people's attestations only), with the evidence it read
(path and sha256) and the failing resources as subjects; a ``risk`` per failing control, carrying its
remediation; and a ``finding`` per framework requirement, whose target is the requirement and whose
status is ``satisfied`` (met, or met with a waived exception) or ``not-satisfied``. assay's own status
words travel as properties in assay's namespace, so :mod:`assay.render` never loses what OSCAL's two
states cannot say.

There is no OSCAL assessment plan behind a run: ``import-ap`` points at a back-matter resource that says
so. Every UUID is made from content (:func:`~assay.render.oscal_text.stable_uuid`): the same inputs,
the same document.
"""

from __future__ import annotations

import functools
from datetime import datetime
from urllib.parse import quote

from assay.gaps import ControlEntry, FrameworkReport, Report, RequirementResult
from assay.model import ControlStatus, RequirementStatus
from assay.render import RenderOptions
from assay.render.oscal_text import (
    OSCAL_VERSION,
    Json,
    Pruned,
    aware,
    dump,
    line,
    prop,
    props,
    stable_uuid,
    timestamp,
    token,
    without_empty,
)
from assay.render.words import STATUS_MEANINGS
from assay.results import EvidenceUse

SATISFIED = (RequirementStatus.MET, RequirementStatus.MET_WITH_EXCEPTIONS)
_REASONS = {RequirementStatus.MET: "pass", RequirementStatus.NOT_MET: "fail"}


def render(report: Report, options: RenderOptions) -> str:
    return dump(assessment_results(report))


def assessment_results(report: Report) -> Json:
    """The ``{"assessment-results": ...}`` document of ``report``, as JSON-able data."""
    plan = _plan_resource(report)
    body = without_empty(
        {
            "metadata": _metadata(report),
            "import-ap": {
                "href": f"#{plan['uuid']}",
                "remarks": "assay runs have no separate OSCAL assessment plan; see the resource it names.",
            },
            "results": [_result(report)],
            "back-matter": {"resources": [plan, *_evidence_resources(report)]},
        }
    )
    return {"assessment-results": _identified("assessment-results", body)}


def _identified(kind: str, body: Json) -> Json:
    """``body`` with a UUID made from its content, first (where a reader looks for it)."""
    identified = {"uuid": stable_uuid(kind, body), **body}
    return Pruned(identified) if isinstance(body, Pruned) else identified


def _metadata(report: Report) -> Json:
    return {
        "title": "assay assessment results",
        "published": timestamp(report.generated_at),
        "last-modified": timestamp(report.generated_at),
        "version": timestamp(report.generated_at),
        "oscal-version": OSCAL_VERSION,
        "props": props(
            prop("tool", "assay"),
            prop("assay-version", report.assay_version),
            prop("cel-backend", report.backend),
            prop("run-time", timestamp(report.generated_at)),
        ),
        "remarks": "\n".join(f"- {line(problem)}" for problem in report.problems) or None,
    }


def _plan_resource(report: Report) -> Json:
    frameworks = ", ".join(f"{f.name} {f.version}" for f in report.frameworks) or "no framework"
    body = {
        "title": "assay controls and mappings",
        "description": (
            f"The controls assay {report.assay_version} evaluated, and their mappings onto {frameworks}. "
            "They are assay YAML files, not an OSCAL assessment plan."
        ),
    }
    return _identified("plan", body)


def _result(report: Report) -> Json:
    observations = {c.control: _observation(c, report) for c in report.controls}
    risks = {
        c.control: _risk(c, observations[c.control]["uuid"])
        for c in report.controls
        if c.status is ControlStatus.FAIL
    }
    observation_ids = {control: o["uuid"] for control, o in observations.items()}
    risk_ids = {control: r["uuid"] for control, r in risks.items()}
    findings = [
        _finding(framework, requirement, observation_ids, risk_ids)
        for framework in report.frameworks
        for requirement in framework.requirements
        if not requirement.heading
    ]
    body = without_empty(
        {
            "title": "assay run",
            "description": _result_text(report),
            "start": timestamp(report.generated_at),
            "end": timestamp(report.generated_at),
            "props": props(*(prop(f"controls-{status}", str(n)) for status, n in report.summary.items())),
            "local-definitions": {"inventory-items": _inventory(report)},
            "reviewed-controls": {"control-selections": [{"include-all": {}}]},
            "observations": list(observations.values()),
            "risks": list(risks.values()),
            "findings": findings,
        }
    )
    return _identified("result", body)


def _result_text(report: Report) -> str:
    counts = ", ".join(f"{n} {status}" for status, n in report.summary.items() if n)
    frameworks = ", ".join(f.name for f in report.frameworks) or "no framework"
    return (
        f"assay evaluated {len(report.controls)} controls ({counts or 'none'}) against the evidence "
        f"collected for them, and judged the requirements of {frameworks}."
    )


def _failing_resources(control: ControlEntry) -> list[str]:
    return sorted({f.resource for f in control.findings if f.resource is not None and f.waived_by is None})


def _observation(control: ControlEntry, report: Report) -> Json:
    subjects = [  # nothing empty to prune: made pruned
        Pruned({"subject-uuid": _resource_uuid(resource), "type": "inventory-item", "title": line(resource)})
        for resource in _failing_resources(control)
    ]
    body = without_empty(
        {
            "title": line(f"{control.control}: {control.title}"),
            "description": _observation_text(control),
            "props": props(
                prop("control-id", control.control),
                prop("status", control.status.value),
                prop("severity", control.severity.value),
                prop("domain", control.domain),
            ),
            "methods": ["EXAMINE" if control.attestation_only else "TEST"],
            "subjects": subjects,
            "relevant-evidence": [_relevant_evidence(use) for use in control.evidence],
            "collected": timestamp(_collected(control, report.generated_at)),
            "remarks": "\n".join(f"- {line(error)}" for error in control.errors) or None,
        }
    )
    return _identified("observation", body)


def _observation_text(control: ControlEntry) -> str:
    text = f"{control.claim}\n\nStatus: {control.status.value}."
    if control.reason:
        text += f" {control.reason}"
    lines = [text]  # joined once: adding a line at a time copies the text once per finding
    for finding in control.findings:
        waived = f" (waived by {finding.waived_by})" if finding.waived_by else ""
        lines.append(f"- {line(finding.message)}{waived}")
    return "\n".join(lines)


def _collected(control: ControlEntry, fallback: datetime) -> datetime:
    """When the evidence was collected: its oldest date, else the run's time."""
    dates = [use.collected_at or use.as_of for use in control.evidence]
    known = [d for d in dates if d is not None]
    return min(known, key=aware) if known else fallback


def _relevant_evidence(use: EvidenceUse) -> Json:
    description = f"evidence {use.name}" + (f": {use.problem}" if use.problem else "")
    return without_empty(
        {
            "href": _href(use.path) if use.path else None,
            "description": description,
            "props": props(
                prop("evidence-name", use.name),
                prop("sha256", use.sha256 or ""),
                prop("source", use.source or ""),
            ),
            "links": [{"href": f"#{_evidence_uuid(use.path, use.sha256)}", "rel": "evidence"}]
            if use.path and use.sha256
            else None,
        }
    )


def _evidence_resources(report: Report) -> list[Json]:
    """A back-matter resource per evidence file: its path and its hash, in OSCAL's own terms."""
    seen: dict[str, Json] = {}
    for control in report.controls:
        for use in control.evidence:
            if use.path and use.sha256:
                key = _evidence_uuid(use.path, use.sha256)
                seen[key] = {
                    "uuid": key,
                    "title": line(f"evidence {use.name}"),
                    "rlinks": [
                        {"href": _href(use.path), "hashes": [{"algorithm": "SHA-256", "value": use.sha256}]}
                    ],
                }
    return [seen[key] for key in sorted(seen)]


def _evidence_uuid(path: str, sha256: str) -> str:
    return stable_uuid("evidence", path, sha256)


@functools.lru_cache(maxsize=1 << 16)
def _resource_uuid(resource: str) -> str:
    """Asked twice of each failing resource (its subject, its inventory item): remembered."""
    return stable_uuid("resource", resource)


def _inventory(report: Report) -> list[Json]:
    resources = sorted({r for control in report.controls for r in _failing_resources(control)})
    return [
        {
            "uuid": _resource_uuid(resource),
            "description": f"the resource {line(resource)}, named in failing evidence",
            "props": props(prop("resource-id", resource)),
        }
        for resource in resources
    ]


def _risk(control: ControlEntry, observation: str) -> Json:
    failing = [f.message for f in control.findings if f.waived_by is None]
    statement = "\n".join(f"- {line(message)}" for message in failing) or control.reason or "it fails"
    remediation = {
        "lifecycle": "recommendation",
        "title": line(f"Remediate {control.control}"),
        "description": control.remediation,
    }
    body = {
        "title": line(f"{control.control} fails: {control.title}"),
        "description": control.claim,
        "statement": statement,
        "props": props(prop("control-id", control.control), prop("severity", control.severity.value)),
        "status": "open",
        "remediations": [_identified("remediation", remediation)],
        "related-observations": [{"observation-uuid": observation}],
    }
    return _identified("risk", body)


def _finding(
    framework: FrameworkReport,
    requirement: RequirementResult,
    observations: dict[str, str],
    risks: dict[str, str],
) -> Json:
    reason = requirement.reason or STATUS_MEANINGS[requirement.status]
    controls = [c.control for c in requirement.controls]
    status = {
        "state": "satisfied" if requirement.status in SATISFIED else "not-satisfied",
        "reason": _REASONS.get(requirement.status, "other"),
        "remarks": f"{requirement.status.value}: {reason}",
    }
    body = without_empty(
        {
            "title": line(f"{framework.name} {requirement.id}: {requirement.title}"),
            "description": f"{requirement.status.value}: {reason}",
            "props": props(
                prop("framework", framework.key),
                prop("framework-name", framework.name),
                prop("framework-version", framework.version),
                prop("requirement-id", requirement.id),
                prop("status", requirement.status.value),
                prop("coverage", requirement.coverage or ""),
            ),
            "target": {
                "type": "objective-id",
                "target-id": token(requirement.id),
                "title": line(requirement.title),
                "status": status,
            },
            "related-observations": [
                {"observation-uuid": observations[c]} for c in controls if c in observations
            ],
            "related-risks": [{"risk-uuid": risks[c]} for c in controls if c in risks],
        }
    )
    return _identified(f"finding:{framework.key}", body)


def _href(path: str) -> str:
    """A URI reference for an evidence path: relative paths stay relative, absolute ones become file URIs."""
    path = path.replace("\\", "/")
    return "file://" + quote(path, safe="/") if path.startswith("/") else quote(path, safe="/")
